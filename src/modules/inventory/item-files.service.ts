/**
 * Files of items (bionet: `files: [{fileName, fileType, name}]`). The bytes are streamed into the file store
 * under a generated name with their detected type, size and SHA-256 before the database is touched; the row
 * and its audit event are then written in one transaction, and the stored bytes are removed again if that
 * fails, so no row points at a missing file and no file is left without its row.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { newId, nowIso } from '../../db/columns.js';
import type { FileStore, StoredFile } from '../../files/file-store.js';
import { DomainError, NotFound } from '../../errors/catalogue.js';
import { inTransaction } from '../../db/transaction.js';
import type { Actor } from '../accounts/actor.js';
import { recordChange } from '../audit/audit.service.js';
import type { ItemFile } from './item-files.schema.js';
import * as repo from './item-files.repository.js';
import { assertItemAccess } from './item-access.js';
import { requireLiveItem } from './items.service.js';

function toItemFile(row: repo.ItemFileRow): ItemFile {
  return {
    id: row.id,
    itemId: row.item_id,
    name: row.name,
    contentType: row.content_type,
    size: Number(row.size),
    sha256: row.sha256,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

/** A file in the store, described, to be attached to an item. */
interface StoredAttachment {
  itemId: string;
  /** The item's project, whose members read the audit event; null for a lab-wide item. */
  projectId: string | null;
  storageName: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * Records a stored file as attached to its item, with its audit event, in the caller's transaction. Files of
 * lab-wide items are readable by every signed-in user and so is their event; a sample's file is recorded
 * with its project, for the project's members.
 */
async function recordAttachment(trx: Db, actor: Actor, file: StoredAttachment): Promise<repo.ItemFileRow> {
  const row: repo.ItemFileRow = {
    id: newId(),
    item_id: file.itemId,
    storage_name: file.storageName,
    name: file.name,
    content_type: file.contentType,
    size: file.size,
    sha256: file.sha256,
    created_at: nowIso(),
    created_by: actor.id,
  };
  await repo.insertItemFile(trx, row);
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'item_file',
    entityId: row.id,
    projectId: file.projectId,
    after: row,
  });
  return row;
}

export interface Upload {
  readonly stream: Readable;
  readonly filename: string;
  readonly mimetype: string;
}

/**
 * Stores uploaded files and attaches them to a live item. Each upload is streamed (never buffered whole) and
 * refused past `maxBytes`; all files of the request are attached in one transaction.
 */
export async function attachFiles(
  db: Db,
  files: FileStore,
  actor: Actor,
  itemId: string,
  uploads: AsyncIterable<Upload>,
  maxBytes: number,
): Promise<ItemFile[]> {
  await assertItemAccess(db, actor, await requireLiveItem(db, itemId), 'write');
  const stored: StoredFile[] = [];
  try {
    for await (const upload of uploads) {
      stored.push(
        await files.save(upload.stream, {
          originalName: upload.filename,
          maxBytes,
          declaredType: upload.mimetype,
        }),
      );
    }
    return await inTransaction(db, async (trx) => {
      const item = await requireLiveItem(trx, itemId);
      const created: ItemFile[] = [];
      for (const file of stored) {
        const row = await recordAttachment(trx, actor, {
          itemId,
          projectId: item.project_id,
          storageName: file.storageName,
          name: file.originalName,
          contentType: file.contentType,
          size: file.size,
          sha256: file.sha256,
        });
        created.push(toItemFile(row));
      }
      return created;
    });
  } catch (error) {
    await Promise.allSettled(stored.map((file) => files.remove(file.storageName)));
    throw error;
  }
}

/** The files of an item, oldest first. */
export async function listItemFiles(db: Db, actor: Actor, itemId: string): Promise<ItemFile[]> {
  await assertItemAccess(db, actor, await requireLiveItem(db, itemId), 'read');
  return (await repo.listItemFiles(db, itemId)).map(toItemFile);
}

/** A file's description and a stream of its bytes, for download. */
export async function openItemFile(
  db: Db,
  actor: Actor,
  files: FileStore,
  id: string,
): Promise<{ file: ItemFile; stream: Readable; itemId: string }> {
  const row = await repo.findItemFile(db, id);
  if (!row) throw new NotFound('File', id);
  await requireLiveItem(db, row.item_id)
    .then((item) => assertItemAccess(db, actor, item, 'read'))
    .catch(() => {
      throw new NotFound('File', id);
    });
  return { file: toItemFile(row), stream: files.open(row.storage_name), itemId: row.item_id };
}

/** A file as bionet lists it on an entry: where it lies in the store, its detected type and its label. */
export interface StoredFileReference {
  storageName: string;
  contentType: string;
  name: string;
}

/** The files of many items (item id → files, oldest first), with their storage names (bionet exports). */
export async function listStoredFilesOfItems(
  db: Db,
  itemIds: readonly string[],
): Promise<Map<string, StoredFileReference[]>> {
  const result = new Map<string, StoredFileReference[]>();
  for (const row of await repo.listFilesOfItems(db, itemIds)) {
    const list = result.get(row.item_id) ?? [];
    list.push({ storageName: row.storage_name, contentType: row.content_type, name: row.name });
    result.set(row.item_id, list);
  }
  return result;
}

/**
 * Attaches files whose bytes are already in the store (an import of entries that name them, e.g. a bionet
 * dump restored next to its files): each is measured and hashed from the store, recorded and audited in the
 * caller's transaction. Returns the storage names it could not find there; those are not attached.
 */
export async function attachStoredFiles(
  trx: Db,
  files: FileStore,
  actor: Actor,
  attachments: readonly (StoredFileReference & { itemId: string; projectId: string | null })[],
): Promise<string[]> {
  const missing: string[] = [];
  for (const attachment of attachments) {
    let size: number;
    try {
      size = (await files.stat(attachment.storageName)).size;
    } catch (error) {
      if (error instanceof NotFound || (error instanceof DomainError && error.status === 422)) {
        missing.push(attachment.storageName);
        continue;
      }
      throw error;
    }
    const hash = createHash('sha256');
    for await (const chunk of files.open(attachment.storageName)) hash.update(chunk as Buffer);
    await recordAttachment(trx, actor, { ...attachment, size, sha256: hash.digest('hex') });
  }
  return missing;
}

/** An item's file with where it lies in the store. */
export interface StoredItemFile extends ItemFile {
  storageName: string;
}

/**
 * The files of many items (item id → files, oldest first) with their storage names, for a caller that has
 * already decided the reader may have them (the analyses of samples the reader may change).
 */
export async function listFilesOfItems(
  db: Db,
  itemIds: readonly string[],
): Promise<Map<string, StoredItemFile[]>> {
  const result = new Map<string, StoredItemFile[]>();
  for (const row of await repo.listFilesOfItems(db, itemIds)) {
    const list = result.get(row.item_id) ?? [];
    list.push({ ...toItemFile(row), storageName: row.storage_name });
    result.set(row.item_id, list);
  }
  return result;
}

/**
 * A file's bytes by its id, for a reader the caller has already let have it (the agent of a job that takes
 * the file as its input); NotFound when there is no such file.
 */
export async function openFileContent(
  db: Db,
  files: FileStore,
  id: string,
): Promise<{ file: StoredItemFile; stream: Readable }> {
  const row = await repo.findItemFile(db, id);
  if (!row) throw new NotFound('File', id);
  return {
    file: { ...toItemFile(row), storageName: row.storage_name },
    stream: files.open(row.storage_name),
  };
}
