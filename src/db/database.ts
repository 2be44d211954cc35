/**
 * The database handle: Kysely over embedded SQLite (better-sqlite3) or PostgreSQL (pg), chosen by config.
 *
 * SQLite runs in WAL mode with foreign keys on and a busy timeout; its transactions begin IMMEDIATE so two
 * processes sharing the file queue for the write lock instead of failing mid-transaction, and prepared
 * statements are cached by SQL text (Kysely would prepare every query anew, which costs more than most queries).
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
import { ChangeClock } from './change-clock.js';
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

/**
 * Wraps a better-sqlite3 handle for Kysely's driver: `prepare` returns a cached statement for SQL it has
 * seen, and tells the change clock about every write statement (the driver runs what it prepares at once).
 */
function withStatementCache(sqlite: SqliteDatabase.Database, clock: ChangeClock, maxStatements = 1000) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const fetch = (sql: string) => {
    const cached = cache.get(sql);
    if (cached && !cached.busy) return cached;
    const statement = sqlite.prepare(sql);
    if (!cached) {
      if (cache.size >= maxStatements) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  };
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const statement = fetch(sql);
      // `readonly`, not `reader`: an UPDATE … RETURNING reads rows back but still writes.
      if (!statement.readonly) clock.noteWrite();
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
  const clock = new ChangeClock(sqlite);
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite, clock) }),
  });
  directSqliteOf.set(db, { sqlite, clock });
  return { db, dialect: 'sqlite', sqlite, destroy: () => db.destroy() };
}

/** Which database a Kysely handle (or transaction) talks to, for the few queries that differ. */
export function dialectOf<Tables>(db: Kysely<Tables>): DatabaseDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * The raw better-sqlite3 handle and change clock behind each root SQLite Kysely instance (not its
 * transactions), for the direct read path of `compiledOnce`.
 */
const directSqliteOf = new WeakMap<Db, { sqlite: SqliteDatabase.Database; clock: ChangeClock }>();

/** Entries a cached `compiledOnce` query keeps at most; all are dropped at once when the database changes. */
const MAX_CACHED_READS = 10_000;

interface DirectRead<R> {
  statement: SqliteDatabase.Statement;
  /** Which argument goes to each of the statement's parameters. */
  slots: readonly number[];
  /** The change-clock epoch the cached rows were read in. */
  epoch: number;
  rows: Map<string, readonly R[]>;
}

/**
 * A read query built and compiled once per dialect, then run with new argument values: the hot read paths
 * skip Kysely's builder and compiler (most of a point query's cost on SQLite). Every parameter of the built
 * query must come from an argument (they are found by compiling with sentinel values).
 *
 * On SQLite, outside a transaction, the query runs straight on the connection's prepared statement,
 * synchronously: Kysely's connection hand-over (a promise mutex and several awaits) cost more than the query.
 * That is safe because better-sqlite3 is synchronous: the only state another request can leave on the shared
 * connection is an open transaction (between its awaits), and then `inTransaction` is true and the query
 * queues behind it through Kysely like any other, never reading uncommitted rows.
 *
 * With `cache: true` (SQLite only), that direct path also remembers answers by argument values until the
 * database changes in any way (see change-clock.ts): on a busy server a cold point query costs tens of
 * microseconds, the check a fraction of that. The rows returned are frozen and shared: read them, copy them.
 * For the few reads every request makes (who holds this token, what is my role in this project).
 */
export function compiledOnce<R>(
  build: (db: Db, ...args: string[]) => { compile(): CompiledQuery<R> },
  options: { cache?: boolean } = {},
) {
  const byDialect = new Map<DatabaseDialect, { compiled: CompiledQuery<R>; slots: number[] }>();
  const direct = new WeakMap<SqliteDatabase.Database, DirectRead<R>>();
  const compiledFor = (db: Db, args: readonly string[]) => {
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
    return entry;
  };
  const parametersOf = (slots: readonly number[], args: readonly string[]) => slots.map((slot) => args[slot]);
  return async (db: Db, ...args: string[]): Promise<R[]> => {
    const handle = directSqliteOf.get(db);
    if (handle === undefined || handle.sqlite.inTransaction) {
      const { compiled, slots } = compiledFor(db, args);
      const result = await db.executeQuery<R>({ ...compiled, parameters: parametersOf(slots, args) });
      return result.rows;
    }
    let read = direct.get(handle.sqlite);
    if (read === undefined) {
      const { compiled, slots } = compiledFor(db, args);
      read = { statement: handle.sqlite.prepare(compiled.sql), slots, epoch: -1, rows: new Map() };
      direct.set(handle.sqlite, read);
    }
    if (options.cache !== true) return read.statement.all(...parametersOf(read.slots, args)) as R[];
    const epoch = handle.clock.epoch();
    const key = args.length === 1 ? (args[0] ?? '') : args.join('\u0000');
    if (read.epoch !== epoch || read.rows.size >= MAX_CACHED_READS) {
      read.rows.clear();
      read.epoch = epoch;
    }
    let rows = read.rows.get(key);
    if (rows === undefined) {
      const fresh = read.statement.all(...parametersOf(read.slots, args)) as R[];
      rows = Object.freeze(fresh.map((row) => Object.freeze(row)));
      read.rows.set(key, rows);
    }
    return rows as R[];
  };
}

/** Throws when the database does not answer (the health check). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
