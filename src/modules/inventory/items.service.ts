/**
 * Reading items: one item (by id or by a scanned code), and what other modules look up about items — live
 * items by id or as people name them, ids already taken, label contents. Every read answers only what the
 * actor may see (item-access.ts). Lists are in item-lists.service.ts.
 */
import type { Db } from '../../db/database.js';
import { NotFound } from '../../errors/catalogue.js';
import type { Actor } from '../accounts/actor.js';
import type { Item } from './inventory.schema.js';
import type { ItemClass } from './inventory.tables.js';
import { assertItemAccess, inScope, ProjectAccess, projectScopeOf } from './item-access.js';
import { toItems, toOneItem } from './item-views.js';
import * as repo from './items.repository.js';
import type { LabelContent } from './labels.js';

/** A live item, or 404. */
export async function requireLiveItem(
  db: Db,
  id: string,
  lock: repo.RowLock = null,
): Promise<repo.ItemWithTypeRow> {
  const row = await repo.findItem(db, id, lock);
  if (!row || row.deleted_at !== null) throw new NotFound('Item', id);
  return row;
}

/** One item; deleted items only when asked for. */
export async function getItem(
  db: Db,
  actor: Actor,
  id: string,
  options: { includeDeleted?: boolean | undefined } = {},
): Promise<Item> {
  const row = await repo.findItem(db, id);
  if (!row || (row.deleted_at !== null && options.includeDeleted !== true)) throw new NotFound('Item', id);
  await assertItemAccess(db, actor, row, 'read');
  return toOneItem(db, actor, row);
}

/** Resolves a scanned code to its live item: a barcode first, else a human id (`P-000123`), else an item id. */
export async function resolveCode(db: Db, actor: Actor, code: string): Promise<Item> {
  const trimmed = code.trim();
  const row =
    (await repo.findLiveItemByBarcode(db, trimmed)) ??
    (/^[PV]-\d+$/i.test(trimmed) ? await repo.findLiveItemByHumanId(db, trimmed.toUpperCase()) : undefined) ??
    (/^[pv]-/.test(trimmed) ? await repo.findItem(db, trimmed) : undefined);
  if (!row || row.deleted_at !== null) throw new NotFound('Item with code', trimmed);
  await assertItemAccess(db, actor, row, 'read').catch(() => {
    throw new NotFound('Item with code', trimmed);
  });
  return toOneItem(db, actor, row);
}

/** What a label shows for each item, in the order asked: the DataMatrix carries the barcode, else the human id. */
export async function getLabelContents(
  db: Db,
  actor: Actor,
  ids: readonly string[],
): Promise<LabelContent[]> {
  const rows = await repo.findItems(db, ids);
  const scope = rows.some((row) => row.project_id !== null) ? await projectScopeOf(db, actor) : null;
  const byId = new Map(
    rows
      .filter((row) => row.deleted_at === null && inScope(scope, row.project_id))
      .map((row) => [row.id, row]),
  );
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw new NotFound('Item', id);
    return {
      humanId: row.human_id,
      name: row.name,
      barcode: row.barcode ?? row.human_id,
      typeName: row.type_name,
    };
  });
}

/** A live item as an importer sees it when resolving a name someone wrote: identity and class. */
export interface ItemReference {
  id: string;
  humanId: string;
  class: ItemClass;
  name: string;
  barcode: string | null;
}

/**
 * Live items the actor may see that any of `refs` could mean: an item id, a human id (any case), a barcode
 * or a name (exact, else ignoring case for references nothing matched exactly). The caller decides which
 * match wins and what is ambiguous; a fixed number of queries for any number of references. Items of
 * projects the actor is not in are left out, as if they did not exist.
 */
export async function findItemsByReference(
  db: Db,
  actor: Actor,
  refs: readonly string[],
): Promise<ItemReference[]> {
  const found = await repo.findLiveItemsByReference(db, refs);
  const access = await ProjectAccess.load(
    db,
    actor,
    found.map((row) => row.project_id),
  );
  const rows = found.filter((row) => access.maySee(row.project_id));
  const matched = new Set<string>();
  for (const row of rows) {
    matched.add(row.id).add(row.human_id).add(row.name);
    if (row.barcode !== null) matched.add(row.barcode);
  }
  const unmatched = refs.filter((ref) => !matched.has(ref) && !matched.has(ref.toUpperCase()));
  const seen = new Set(rows.map((row) => row.id));
  if (unmatched.length > 0) {
    const loose = await repo.findLiveItemsByNameIgnoringCase(db, unmatched);
    const looseAccess = await ProjectAccess.load(
      db,
      actor,
      loose.map((row) => row.project_id),
    );
    for (const row of loose) {
      if (!seen.has(row.id) && looseAccess.maySee(row.project_id)) {
        rows.push(row);
      }
    }
  }
  return rows.map((row) => ({
    id: row.id,
    humanId: row.human_id,
    class: row.class,
    name: row.name,
    barcode: row.barcode,
  }));
}

/**
 * A project's live items that any of `refs` could mean (id, human id, barcode, or name ignoring case), for a
 * caller acting as the system that links what an outside system named (a reservation's samples) to a project
 * it has already settled on. The caller decides which match wins and what is ambiguous. One query.
 */
export async function findProjectItemsByReference(
  db: Db,
  projectId: string,
  refs: readonly string[],
): Promise<ItemReference[]> {
  return (await repo.findLiveProjectItemsByReference(db, projectId, refs)).map((row) => ({
    id: row.id,
    humanId: row.human_id,
    class: row.class,
    name: row.name,
    barcode: row.barcode,
  }));
}

/** Which of these ids are taken by an item, live or deleted (imports that keep their ids). */
export async function findExistingItemIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  return new Set((await repo.findItems(db, ids)).map((row) => row.id));
}

/** Live items in id order, a page at a time after `afterId` (exports in bionet's key order). */
export async function listLiveItemsInIdOrder(
  db: Db,
  actor: Actor,
  query: { afterId: string | null; limit: number },
): Promise<Item[]> {
  return toItems(db, actor, await repo.listLiveItemsInIdOrder(db, query.afterId, query.limit));
}

/** Live items by id as the actor sees them, in one query per 500 ids (missing, deleted or hidden ids are left out). */
export async function getLiveItems(db: Db, actor: Actor, ids: readonly string[]): Promise<Item[]> {
  const rows = (await repo.findItems(db, ids)).filter((row) => row.deleted_at === null);
  const access = await ProjectAccess.load(
    db,
    actor,
    rows.map((row) => row.project_id),
  );
  return toItems(
    db,
    actor,
    rows.filter((row) => access.maySee(row.project_id)),
  );
}

/** Items' names by id, live or deleted, for a caller that has already decided the reader may see them. */
export async function namesOfItems(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await repo.findItems(db, ids)).map((row) => [row.id, row.name]));
}
