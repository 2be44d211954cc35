/**
 * All SQL for counters (bionet miscDB's id generator). A bump is one atomic UPDATE … RETURNING in the
 * caller's transaction: the row stays locked until commit (PostgreSQL) or the write lock is held (SQLite),
 * so no two transactions get the same value and a committed value is never handed out again.
 */
import { tablesOf, type Db } from '../../db/database.js';
import type { InventoryTables } from './inventory.tables.js';

/** The handle with the inventory's tables only. */
const inventoryTables = (db: Db) => tablesOf<InventoryTables>(db);

/** Adds `by` to a counter and returns its new value (the last of the `by` values reserved). */
export async function bumpCounter(db: Db, name: string, by: number): Promise<number> {
  const row = await inventoryTables(db)
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', by) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirst();
  if (row === undefined) throw new Error(`counter ${name} does not exist`);
  return Number(row.value);
}
