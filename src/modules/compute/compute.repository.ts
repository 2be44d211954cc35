/** All SQL for the compute module's tables: hpc_resources. */
import { sql, type Selectable, type Updateable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import type { Cursor } from '../../db/paging.js';
import type { ComputeTables, HpcResourcesTable } from './compute.tables.js';

/** The handle with the compute module's tables only. */
const computeTables = (db: Db) => tablesOf<ComputeTables>(db);

export type HpcResourceRow = Selectable<HpcResourcesTable>;

export async function insertResource(db: Db, row: HpcResourceRow): Promise<void> {
  await computeTables(db).insertInto('hpc_resources').values(row).execute();
}

export function findResource(db: Db, id: string): Promise<HpcResourceRow | undefined> {
  return computeTables(db).selectFrom('hpc_resources').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One resource, locked against concurrent changes on PostgreSQL (read-modify-write; SQLite's write lock already holds). */
export function findResourceForUpdate(db: Db, id: string): Promise<HpcResourceRow | undefined> {
  return computeTables(db)
    .selectFrom('hpc_resources')
    .selectAll()
    .where('id', '=', id)
    .$if(dialectOf(db) === 'postgres', (qb) => qb.forUpdate())
    .executeTakeFirst();
}

export function findResourceByName(db: Db, name: string): Promise<HpcResourceRow | undefined> {
  return computeTables(db)
    .selectFrom('hpc_resources')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function updateResource(
  db: Db,
  id: string,
  changes: Updateable<HpcResourcesTable>,
): Promise<void> {
  await computeTables(db).updateTable('hpc_resources').set(changes).where('id', '=', id).execute();
}

/**
 * Resources by name then id, after the cursor's (name, id). Names compare in byte order on both databases
 * (PostgreSQL's "C" collation, SQLite's default), so that a page follows on from the last alike.
 */
export function listResources(db: Db, after: Cursor | null, limit: number): Promise<HpcResourceRow[]> {
  const name = dialectOf(db) === 'postgres' ? sql<string>`name collate "C"` : sql<string>`name`;
  let select = computeTables(db).selectFrom('hpc_resources').selectAll();
  if (after !== null) {
    const { value, id } = after;
    select = select.where(sql<boolean>`(${name} > ${value} or (${name} = ${value} and id > ${id}))`);
  }
  return select.orderBy(name).orderBy('id').limit(limit).execute();
}
