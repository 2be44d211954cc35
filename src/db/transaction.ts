/** Transactions open at the edge (a route or a task) and are passed down to services as `trx`. */
import type { Db } from './database.js';

export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}
