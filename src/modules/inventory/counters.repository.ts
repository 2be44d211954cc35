/**
 * All SQL for counters (bionet miscDB's id generator). A bump is one atomic UPDATE … RETURNING in the
 * caller's transaction: the row stays locked until commit (PostgreSQL) or the write lock is held (SQLite),
 * so no two transactions get the same value and a committed value is never handed out again.
 */
import type { Db } from '../../db/database.js';

/** Adds `by` to a counter and returns its new value (the last of the `by` values reserved). */
export async function bumpCounter(db: Db, name: string, by: number): Promise<number> {
  const row = await db
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', by) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirst();
  if (row === undefined) throw new Error(`counter ${name} does not exist`);
  return Number(row.value);
}
