/**
 * The database handle: Kysely over embedded SQLite (better-sqlite3) or PostgreSQL (pg), chosen by config.
 *
 * SQLite runs in WAL mode with foreign keys on and a busy timeout; its transactions begin IMMEDIATE so two
 * processes sharing the file queue for the write lock instead of failing mid-transaction. Its statement cache
 * and the hot reads that skip Kysely live in read-cache.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  sql,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import pg from 'pg';
import type { Config, DatabaseDialect } from '../config/config.js';
import { cacheReads } from './read-cache.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/**
 * The same handle or transaction, typed with only some tables: each repository queries through its own
 * module's tables (`tablesOf<InventoryTables>(db)`), so that naming another module's table there does not
 * compile. Kysely cannot narrow a handle itself (it is invariant in its tables); no connection is made.
 */
export function tablesOf<
  Tables extends { [T in keyof Tables]: T extends keyof Database ? Database[T] : never },
>(db: Db): Kysely<Tables> {
  return db as unknown as Kysely<Tables>;
}

export interface DatabaseHandle {
  readonly db: Db;
  readonly dialect: DatabaseDialect;
  /** The raw better-sqlite3 handle on SQLite (for bulk paths that measure themselves), else null. */
  readonly sqlite: SqliteDatabase.Database | null;
  destroy(): Promise<void>;
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

export function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('synchronous = NORMAL');
  // 64 MiB of page cache (the default is 2 MiB): the hierarchy index of a large inventory stays in memory.
  sqlite.pragma('cache_size = -65536');
  return sqlite;
}

// PostgreSQL returns bigint (count(*), identity columns) as strings by default; ours fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function connectDatabase(
  config: Pick<Config, 'dialect' | 'databaseUrl' | 'sqlitePath'>,
  onIdleError?: (error: Error) => void,
): DatabaseHandle {
  if (config.dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.databaseUrl ?? undefined, max: 10 });
    // An idle pooled connection that the server closes (restart, admin termination) must not crash the
    // process: the pool replaces it on next use.
    pool.on('error', (error) => onIdleError?.(error));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', sqlite: null, destroy: () => db.destroy() };
  }
  const sqlite = openSqlite(config.sqlitePath);
  const reads = cacheReads(sqlite);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: reads.database }) });
  reads.serveReads(db);
  return { db, dialect: 'sqlite', sqlite, destroy: () => db.destroy() };
}

/** Throws when the database does not answer (the health check). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
