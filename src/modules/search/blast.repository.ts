/**
 * All SQL of the BLAST bookkeeping: the entries written to the BLAST databases, the pending-changes queue,
 * the volumes each database's alias combines, and the upkeep's lease.
 */
import type { Insertable, Selectable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { nowIso } from '../../db/columns.js';
import type { BlastDbType, BlastEntriesTable, BlastVolume, SearchTables } from './search.tables.js';

const blastTables = (db: Db) => tablesOf<SearchTables>(db);

export type BlastEntryRow = Selectable<BlastEntriesTable>;
export type NewBlastEntry = Omit<Insertable<BlastEntriesTable>, 'id'>;

const CHUNK = 500;

function chunks<T>(values: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < values.length; start += CHUNK) result.push(values.slice(start, start + CHUNK));
  return result;
}

export async function insertPending(db: Db, itemIds: readonly string[]): Promise<void> {
  const createdAt = nowIso();
  for (const chunk of chunks(itemIds)) {
    await blastTables(db)
      .insertInto('blast_pending')
      .values(chunk.map((itemId) => ({ item_id: itemId, created_at: createdAt })))
      .execute();
  }
}

export function listPending(db: Db, limit: number): Promise<{ id: number; item_id: string }[]> {
  return blastTables(db)
    .selectFrom('blast_pending')
    .select(['id', 'item_id'])
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function countPending(db: Db): Promise<number> {
  const row = await blastTables(db)
    .selectFrom('blast_pending')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Deletes exactly these rows: a change queued meanwhile (even under a lower id) stays. */
export async function deletePending(db: Db, ids: readonly number[]): Promise<void> {
  for (const chunk of chunks(ids))
    await blastTables(db).deleteFrom('blast_pending').where('id', 'in', chunk).execute();
}

/** Which of these items already have entries (an item of a type that lost its sequence field, a purged item). */
export async function itemsWithEntries(db: Db, itemIds: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const chunk of chunks([...new Set(itemIds)])) {
    const rows = await blastTables(db)
      .selectFrom('blast_entries')
      .select('item_id')
      .distinct()
      .where('item_id', 'in', chunk)
      .execute();
    found.push(...rows.map((row) => row.item_id));
  }
  return found;
}

export async function findEntriesOfItems(db: Db, itemIds: readonly string[]): Promise<BlastEntryRow[]> {
  const rows: BlastEntryRow[] = [];
  for (const chunk of chunks([...new Set(itemIds)])) {
    rows.push(
      ...(await blastTables(db)
        .selectFrom('blast_entries')
        .selectAll()
        .where('item_id', 'in', chunk)
        .execute()),
    );
  }
  return rows;
}

export async function findEntries(db: Db, ids: readonly number[]): Promise<BlastEntryRow[]> {
  const rows: BlastEntryRow[] = [];
  for (const chunk of chunks([...new Set(ids)])) {
    rows.push(
      ...(await blastTables(db).selectFrom('blast_entries').selectAll().where('id', 'in', chunk).execute()),
    );
  }
  return rows;
}

/** Inserts entries and returns them with the ids that name them in BLAST. */
export async function insertEntries(db: Db, entries: readonly NewBlastEntry[]): Promise<BlastEntryRow[]> {
  const rows: BlastEntryRow[] = [];
  for (const chunk of chunks(entries)) {
    rows.push(...(await blastTables(db).insertInto('blast_entries').values(chunk).returningAll().execute()));
  }
  return rows;
}

export async function deleteEntries(db: Db, ids: readonly number[]): Promise<void> {
  for (const chunk of chunks(ids))
    await blastTables(db).deleteFrom('blast_entries').where('id', 'in', chunk).execute();
}

export async function setEntriesLive(db: Db, ids: readonly number[], live: boolean): Promise<void> {
  for (const chunk of chunks(ids)) {
    await blastTables(db)
      .updateTable('blast_entries')
      .set({ live: live ? 1 : 0 })
      .where('id', 'in', chunk)
      .execute();
  }
}

/** Every entry, a page at a time in id order (a merge compares them with the items' sequences now). */
export function listEntriesInIdOrder(db: Db, afterId: number, limit: number): Promise<BlastEntryRow[]> {
  return blastTables(db)
    .selectFrom('blast_entries')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The live entries of one volume of one database (the recent volume is rewritten from them). */
export function listLiveEntriesOf(
  db: Db,
  dbType: BlastDbType,
  volume: BlastVolume,
): Promise<BlastEntryRow[]> {
  return blastTables(db)
    .selectFrom('blast_entries')
    .selectAll()
    .where('db_type', '=', dbType)
    .where('volume', '=', volume)
    .where('live', '=', 1)
    .orderBy('id')
    .execute();
}

/**
 * The entries a job's own blastn leaves out: sequences still in a main volume that items no longer hold, and
 * samples' sequences (a project's, which a job's output, read by another project, must not name).
 */
export async function listEntryIdsJobsLeaveOut(db: Db, dbType: BlastDbType): Promise<number[]> {
  const rows = await blastTables(db)
    .selectFrom('blast_entries')
    .select('id')
    .where('db_type', '=', dbType)
    .where((eb) => eb.or([eb('live', '=', 0), eb('project_id', 'is not', null)]))
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function countEntries(
  db: Db,
  dbType: BlastDbType,
  volume: BlastVolume,
  live: boolean,
): Promise<number> {
  const row = await blastTables(db)
    .selectFrom('blast_entries')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('db_type', '=', dbType)
    .where('volume', '=', volume)
    .where('live', '=', live ? 1 : 0)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** After a merge every kept entry is in the main volume. */
export async function moveAllEntriesToMain(db: Db): Promise<void> {
  await blastTables(db)
    .updateTable('blast_entries')
    .set({ volume: 'main' })
    .where('volume', '=', 'recent')
    .execute();
}

export function findDatabases(
  db: Db,
): Promise<{ db_type: BlastDbType; main_volume: string | null; recent_volume: string | null }[]> {
  return blastTables(db)
    .selectFrom('blast_databases')
    .select(['db_type', 'main_volume', 'recent_volume'])
    .execute();
}

export async function setVolumes(
  db: Db,
  dbType: BlastDbType,
  volumes: { main_volume?: string | null; recent_volume?: string | null },
): Promise<void> {
  await blastTables(db)
    .updateTable('blast_databases')
    .set({ ...volumes, updated_at: nowIso() })
    .where('db_type', '=', dbType)
    .execute();
}

/**
 * Takes the upkeep's lease for `holder` until `until` when it is free or expired (or already `holder`'s);
 * returns whether it did. One conditional update: two workers cannot both take it.
 */
export async function takeLease(db: Db, holder: string, until: string): Promise<boolean> {
  const now = nowIso();
  const result = await blastTables(db)
    .updateTable('blast_upkeep')
    .set({ locked_by: holder, locked_until: until })
    .where('id', '=', 'blast')
    .where((eb) =>
      eb.or([eb('locked_by', 'is', null), eb('locked_until', '<', now), eb('locked_by', '=', holder)]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function releaseLease(db: Db, holder: string): Promise<void> {
  await blastTables(db)
    .updateTable('blast_upkeep')
    .set({ locked_by: null, locked_until: null })
    .where('id', '=', 'blast')
    .where('locked_by', '=', holder)
    .execute();
}

/** The next number to name a volume with (never reused, so a volume's files are never rewritten in place). */
export async function nextGeneration(db: Db): Promise<number> {
  const row = await blastTables(db)
    .updateTable('blast_upkeep')
    .set((eb) => ({ generation: eb('generation', '+', 1) }))
    .where('id', '=', 'blast')
    .returning('generation')
    .executeTakeFirstOrThrow();
  return row.generation;
}
