/**
 * Records as people read them: who may see a record (the session's user, staff and admins), the list with its
 * filters, a record's document, its XML, its previews and the zip of it all.
 */
import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { decodeCursor, encodeCursor, fetchPage, type Page } from '../../db/paging.js';
import { NotFound } from '../../errors/catalogue.js';
import type { FileStore } from '../../files/file-store.js';
import { isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import type { RecordDocument } from './record-document.js';
import { zipRecord } from './record-zip.js';
import * as repo from './records.repository.js';
import type { ExperimentRecord, ListRecordsQuery, RecordSummary } from './records.schema.js';

function toSummary(row: repo.RecordSummaryRow): RecordSummary {
  return {
    id: row.id,
    sessionIdentifier: row.session_identifier,
    instrument: row.instrument,
    title: row.title,
    user: row.user,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    builtAt: row.built_at,
  };
}

function maySee(actor: Actor, row: { user: string | null }): boolean {
  return isStaffOrAdmin(actor) || (row.user !== null && row.user === actor.username);
}

async function requireRecord(db: Db, actor: Actor, id: string): Promise<repo.RecordRow> {
  const row = await repo.findRecord(db, id);
  if (!row || !maySee(actor, row)) throw new NotFound('Record', id);
  return row;
}

/** Records the actor may see, newest session first, filtered, cursor-paged. */
export async function listRecords(
  db: Db,
  actor: Actor,
  query: ListRecordsQuery & { limit: number },
): Promise<Page<RecordSummary>> {
  const user = isStaffOrAdmin(actor) ? query.user : actor.username;
  if (!isStaffOrAdmin(actor) && query.user !== undefined && query.user !== actor.username) {
    return { items: [], nextCursor: null };
  }
  const after = decodeCursor(query.cursor);
  const page = await fetchPage(
    query.limit,
    (limit) =>
      repo.listRecords(
        db,
        {
          instrument: query.instrument,
          user,
          from: query.from === undefined ? undefined : new Date(query.from).toISOString(),
          to: query.to === undefined ? undefined : new Date(query.to).toISOString(),
          text: query.text,
        },
        after,
        limit,
      ),
    (row) => encodeCursor({ value: row.started_at, id: row.id }),
  );
  return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
}

/** One record with its document. */
export async function getRecord(db: Db, actor: Actor, id: string): Promise<ExperimentRecord> {
  const row = await requireRecord(db, actor, id);
  return { ...toSummary(row), document: JSON.parse(row.document) as RecordDocument };
}

/** The record as NexusLIMS XML (valid against its schema: it was checked before it was saved). */
export async function getRecordXml(db: Db, actor: Actor, id: string): Promise<string> {
  return (await requireRecord(db, actor, id)).xml;
}

/** A dataset's PNG preview. */
export async function openRecordPreview(
  db: Db,
  actor: Actor,
  files: FileStore,
  id: string,
  fileId: string,
): Promise<Readable> {
  await requireRecord(db, actor, id);
  const file = await repo.findRecordFile(db, fileId);
  if (!file || file.record_id !== id || file.preview === null) throw new NotFound('Preview', fileId);
  return files.open(file.preview);
}

/** Which of these sessions have a record, and its id: what the sessions list links to (passed down as data). */
export function recordsOfSessions(
  db: Db,
  sessionIdentifiers: readonly string[],
): Promise<Map<string, string>> {
  return repo.findRecordIdsOfSessions(db, sessionIdentifiers);
}

/**
 * The record's files, document, XML and previews as a zip stream. Nothing is read whole: each file is piped
 * through as the zip reaches it, so a record of hundreds of gigabytes downloads with the memory of a small one.
 */
export async function openRecordZip(
  db: Db,
  actor: Actor,
  files: FileStore,
  dataRoot: string,
  id: string,
): Promise<Readable> {
  const row = await requireRecord(db, actor, id);
  const json: ExperimentRecord = { ...toSummary(row), document: JSON.parse(row.document) as RecordDocument };
  return zipRecord({
    json,
    xml: row.xml,
    files: await repo.listRecordFiles(db, id),
    dataRoot,
    previews: files,
  });
}
