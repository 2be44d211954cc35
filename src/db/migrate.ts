/**
 * Migrations: an ordered, append-only list run in one transaction under a lock, so two processes starting
 * at once do not both migrate (SQLite: BEGIN IMMEDIATE takes the write lock; PostgreSQL: an advisory lock).
 */
import { sql, type Kysely } from 'kysely';
import type { DatabaseDialect } from '../config/config.js';
import type { DatabaseHandle } from './database.js';
import { foundation } from './migrations/0001-foundation.js';
import { inventory } from './migrations/0002-inventory.js';
import { samples } from './migrations/0003-samples.js';
import { itemFiles } from './migrations/0004-item-files.js';
import { itemPaths } from './migrations/0005-item-paths.js';
import { itemNameOrder } from './migrations/0006-item-name-order.js';
import { hpcResources } from './migrations/0007-hpc-resources.js';
import { analyses } from './migrations/0008-analyses.js';
import { auditNotify } from './migrations/0009-audit-notify.js';
import { instruments } from './migrations/0010-instruments.js';
import { records } from './migrations/0011-records.js';
import { search } from './migrations/0012-search.js';
import { recordLinks } from './migrations/0013-record-links.js';
import { sequences } from './migrations/0014-sequences.js';
import { dnaSequences } from './migrations/0015-dna-sequences.js';

export interface Migration {
  readonly name: string;
  up(db: Kysely<unknown>, dialect: DatabaseDialect): Promise<void>;
}

/** Every migration, oldest first. Append only: never edit or reorder a released migration. */
export const migrations: readonly Migration[] = [
  foundation,
  inventory,
  samples,
  itemFiles,
  itemPaths,
  itemNameOrder,
  hpcResources,
  analyses,
  auditNotify,
  instruments,
  records,
  search,
  recordLinks,
  sequences,
  dnaSequences,
];

const MIGRATION_LOCK_KEY = 4_242_001;

/** Applies pending migrations; returns the names it applied. */
export async function migrateToLatest(handle: DatabaseHandle): Promise<string[]> {
  const { db, dialect } = handle;
  return db.connection().execute(async (conn) => {
    const anyConn = conn as unknown as Kysely<unknown>;
    await sql.raw(dialect === 'sqlite' ? 'begin immediate' : 'begin').execute(conn);
    try {
      if (dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
      await sql`create table if not exists cairn_migrations (name text primary key, applied_at text not null)`.execute(
        conn,
      );
      const done = await sql<{ name: string }>`select name from cairn_migrations`.execute(conn);
      const applied = new Set(done.rows.map((row) => row.name));
      const ran: string[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.name)) continue;
        await migration.up(anyConn, dialect);
        await sql`insert into cairn_migrations (name, applied_at) values (${migration.name}, ${new Date().toISOString()})`.execute(
          conn,
        );
        ran.push(migration.name);
      }
      await sql.raw('commit').execute(conn);
      return ran;
    } catch (error) {
      await sql.raw('rollback').execute(conn);
      throw error;
    }
  });
}
