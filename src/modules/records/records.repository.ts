/** All SQL for the records module's tables: records, record_files and record_samples. */
import type { ExpressionBuilder, Selectable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { isOneOf } from '../../db/one-of.js';
import type { Cursor } from '../../db/paging.js';
import { containsText } from '../../db/text-search.js';
import type { RecordFilesTable, RecordsTable, RecordsTables } from './records.tables.js';

const recordsTables = (db: Db) => tablesOf<RecordsTables>(db);

/**
 * Whose records a reader sees besides everyone's who sees all (null): those of their sessions and of their
 * projects. The records service decides it (records.service.ts `audienceOf`); every read here applies it.
 */
export type RecordAudience = { username: string; projectIds: readonly string[] } | null;

function visibleTo(db: Db, audience: RecordAudience) {
  const tables = recordsTables(db);
  return (eb: ExpressionBuilder<RecordsTables, 'records'>) =>
    audience === null
      ? eb.lit(true)
      : eb.or([
          eb('records.user', '=', audience.username),
          isOneOf(tables, 'records.project_id', audience.projectIds),
        ]);
}

export type RecordRow = Selectable<RecordsTable>;
export type RecordFileRow = Selectable<RecordFilesTable>;
export type RecordSummaryRow = Omit<RecordRow, 'document' | 'xml'>;

export async function insertRecord(
  db: Db,
  row: RecordRow,
  files: RecordFileRow[],
  sampleIds: readonly string[],
): Promise<void> {
  await recordsTables(db).insertInto('records').values(row).execute();
  if (sampleIds.length > 0) {
    await recordsTables(db)
      .insertInto('record_samples')
      .values([...new Set(sampleIds)].map((sampleId) => ({ record_id: row.id, sample_id: sampleId })))
      .execute();
  }
  for (let start = 0; start < files.length; start += 500) {
    await recordsTables(db)
      .insertInto('record_files')
      .values(files.slice(start, start + 500))
      .execute();
  }
}

/** The record, if the audience sees it. */
export function findRecord(db: Db, id: string, audience: RecordAudience): Promise<RecordRow | undefined> {
  return recordsTables(db)
    .selectFrom('records')
    .selectAll()
    .where('id', '=', id)
    .where(visibleTo(db, audience))
    .executeTakeFirst();
}

/** The samples each of these records was made with (record id → sample ids). */
export async function findSampleIdsOfRecords(
  db: Db,
  recordIds: readonly string[],
): Promise<Map<string, string[]>> {
  const samples = new Map<string, string[]>();
  if (recordIds.length === 0) return samples;
  const tables = recordsTables(db);
  const rows = await tables
    .selectFrom('record_samples')
    .select(['record_id', 'sample_id'])
    .where(isOneOf(tables, 'record_samples.record_id', recordIds))
    .orderBy('record_id')
    .orderBy('sample_id')
    .execute();
  for (const row of rows) samples.set(row.record_id, [...(samples.get(row.record_id) ?? []), row.sample_id]);
  return samples;
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
  project?: string | undefined;
  /** Only the records made with this sample. */
  sample?: string | undefined;
}

/** Records the audience sees, newest session first, after the cursor's (started_at, id). */
export function listRecords(
  db: Db,
  audience: RecordAudience,
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
      'project_id',
    ])
    .where(visibleTo(db, audience));
  if (filter.instrument !== undefined) select = select.where('instrument', '=', filter.instrument);
  if (filter.user !== undefined) select = select.where('user', '=', filter.user);
  if (filter.from !== undefined) select = select.where('started_at', '>=', filter.from);
  if (filter.to !== undefined) select = select.where('started_at', '<', filter.to);
  if (filter.project !== undefined) select = select.where('project_id', '=', filter.project);
  if (filter.sample !== undefined) {
    const sample = filter.sample;
    select = select.where('id', 'in', (eb) =>
      eb.selectFrom('record_samples').select('record_id').where('sample_id', '=', sample),
    );
  }
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
