/** All SQL for the records module's tables: records and record_files. */
import type { Selectable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { isOneOf } from '../../db/one-of.js';
import type { Cursor } from '../../db/paging.js';
import { containsText } from '../../db/text-search.js';
import type { RecordFilesTable, RecordsTable, RecordsTables } from './records.tables.js';

const recordsTables = (db: Db) => tablesOf<RecordsTables>(db);

export type RecordRow = Selectable<RecordsTable>;
export type RecordFileRow = Selectable<RecordFilesTable>;
export type RecordSummaryRow = Omit<RecordRow, 'document' | 'xml'>;

export async function insertRecord(db: Db, row: RecordRow, files: RecordFileRow[]): Promise<void> {
  await recordsTables(db).insertInto('records').values(row).execute();
  for (let start = 0; start < files.length; start += 500) {
    await recordsTables(db)
      .insertInto('record_files')
      .values(files.slice(start, start + 500))
      .execute();
  }
}

export function findRecord(db: Db, id: string): Promise<RecordRow | undefined> {
  return recordsTables(db).selectFrom('records').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findRecordFile(db: Db, id: string): Promise<RecordFileRow | undefined> {
  return recordsTables(db).selectFrom('record_files').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface RecordFilter {
  instrument?: string | undefined;
  user?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  text?: string | undefined;
}

/** Records newest session first, after the cursor's (started_at, id). */
export function listRecords(
  db: Db,
  filter: RecordFilter,
  after: Cursor | null,
  limit: number,
): Promise<RecordSummaryRow[]> {
  let select = recordsTables(db)
    .selectFrom('records')
    .select([
      'id',
      'session_identifier',
      'instrument',
      'title',
      'user',
      'started_at',
      'ended_at',
      'built_at',
    ]);
  if (filter.instrument !== undefined) select = select.where('instrument', '=', filter.instrument);
  if (filter.user !== undefined) select = select.where('user', '=', filter.user);
  if (filter.from !== undefined) select = select.where('started_at', '>=', filter.from);
  if (filter.to !== undefined) select = select.where('started_at', '<', filter.to);
  if (filter.text !== undefined)
    select = select.where(containsText(db, ['title', 'instrument', 'user'], filter.text));
  if (after !== null) {
    const value = String(after.value);
    select = select.where((eb) =>
      eb.or([eb('started_at', '<', value), eb.and([eb('started_at', '=', value), eb('id', '<', after.id)])]),
    );
  }
  return select.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** The record of each of these sessions that has one (session identifier → record id). */
export async function findRecordIdsOfSessions(
  db: Db,
  identifiers: readonly string[],
): Promise<Map<string, string>> {
  if (identifiers.length === 0) return new Map();
  const tables = recordsTables(db);
  const rows = await tables
    .selectFrom('records')
    .select(['id', 'session_identifier'])
    .where(isOneOf(tables, 'records.session_identifier', identifiers))
    .execute();
  return new Map(rows.map((row) => [row.session_identifier, row.id]));
}

/** A record's files in the order the record lists them (activity, then path). */
export function listRecordFiles(
  db: Db,
  recordId: string,
): Promise<Array<Pick<RecordFileRow, 'path' | 'preview'>>> {
  return recordsTables(db)
    .selectFrom('record_files')
    .select(['path', 'preview'])
    .where('record_id', '=', recordId)
    .orderBy('activity')
    .orderBy('path')
    .execute();
}

/** Records by id, or a page in id order after `afterId`: what the search index mirrors. */
export function findRecordsForSearch(
  db: Db,
  selection: { ids: readonly string[] } | { afterId: string | null; limit: number },
): Promise<RecordRow[]> {
  const all = recordsTables(db).selectFrom('records').selectAll();
  if ('ids' in selection) {
    return selection.ids.length === 0 ? Promise.resolve([]) : all.where('id', 'in', selection.ids).execute();
  }
  return all
    .$if(selection.afterId !== null, (q) => q.where('id', '>', selection.afterId ?? ''))
    .orderBy('id')
    .limit(selection.limit)
    .execute();
}
