/**
 * The database handle: Kysely over embedded SQLite (better-sqlite3) or PostgreSQL (pg), chosen by config.
 *
 * SQLite runs in WAL mode with foreign keys on and a busy timeout; its transactions begin IMMEDIATE so two
 * processes sharing the file queue for the write lock instead of failing mid-transaction, and prepared
 * statements are cached by SQL text (Kysely would prepare every query anew, about 4× the cost of a query).
 */
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  sql,
  Kysely,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import pg from 'pg';
import type { Config, DatabaseDialect } from '../config/config.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

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

/** Wraps a better-sqlite3 handle so that `prepare` returns a cached statement for SQL it has seen. */
function withStatementCache(sqlite: SqliteDatabase.Database, maxStatements = 1000) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(sql);
      if (!cached) {
        if (cache.size >= maxStatements) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
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
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  return { db, dialect: 'sqlite', sqlite, destroy: () => db.destroy() };
}

/** Which database a Kysely handle (or transaction) talks to, for the few queries that differ. */
export function dialectOf(db: Kysely<unknown> | Db): DatabaseDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * A query built and compiled once per dialect, then run with new argument values: the hot read paths skip
 * Kysely's builder and compiler (most of a point query's cost on SQLite). Every parameter of the built
 * query must come from an argument (they are found by compiling with sentinel values).
 */
export function compiledOnce<R>(build: (db: Db, ...args: string[]) => { compile(): CompiledQuery<R> }) {
  const byDialect = new Map<DatabaseDialect, { compiled: CompiledQuery<R>; slots: number[] }>();
  return async (db: Db, ...args: string[]): Promise<R[]> => {
    const dialect = dialectOf(db);
    let entry = byDialect.get(dialect);
    if (entry === undefined) {
      const sentinels = args.map((_, i) => `\u0000cairn-arg-${i}\u0000`);
      const compiled = build(db, ...sentinels).compile();
      const slots = compiled.parameters.map((value) => sentinels.indexOf(value as string));
      if (slots.includes(-1))
        throw new Error('compiledOnce: a query parameter does not come from an argument');
      entry = { compiled, slots };
      byDialect.set(dialect, entry);
    }
    const { compiled, slots } = entry;
    const result = await db.executeQuery<R>({ ...compiled, parameters: slots.map((slot) => args[slot]) });
    return result.rows;
  };
}

/** Throws when the database does not answer (the health check). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
