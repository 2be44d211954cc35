/** Which database a Kysely handle talks to, for the few queries (and compiled reads) that differ. */
import { PostgresAdapter, type Kysely } from 'kysely';
import type { DatabaseDialect } from '../config/config.js';

/** Which database a Kysely handle (or transaction) talks to. */
export function dialectOf<Tables>(db: Kysely<Tables>): DatabaseDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
