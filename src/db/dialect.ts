/** Which database a Kysely handle talks to, for the few queries (and compiled reads) that differ. */
import { PostgresAdapter, type Kysely } from 'kysely';
import type { DatabaseDialect } from '../config/config.js';
import type { Db } from './database.js';

/** Which database a Kysely handle (or transaction) talks to. */
export function dialectOf(db: Kysely<unknown> | Db): DatabaseDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
