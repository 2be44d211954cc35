/**
 * Hot reads, built and compiled once, and on SQLite their cache with the change clock that ends it: the
 * connection's statement cache tells the clock about every write this process makes, SQLite's data version
 * about other connections' commits, and a cached read is answered from memory only while neither moved.
 */
import type SqliteDatabase from 'better-sqlite3';
import type { CompiledQuery, SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import type { DatabaseDialect } from '../config/config.js';
import type { Db } from './database.js';
import { dialectOf } from './dialect.js';

/**
 * When an SQLite database last changed, cheaply enough to ask on every hot read, so that a cache of reads
 * never answers from before a change:
 * - this process's writes: every write statement the connection runs is counted as Kysely fetches it
 *   (`noteWrite`, from the statement cache below; nothing in Cairn writes around Kysely);
 * - other connections' commits (the CLI, a worker process, another server): SQLite's `PRAGMA data_version`
 *   moves when one lands. It is read at most once per event-loop turn: a read answered later in the same
 *   turn is as of the turn's first check, which a client cannot tell from its request arriving a moment
 *   earlier.
 *
 * `epoch()` moves whenever either does; a cache keeps entries stamped with the epoch they were read in.
 */
class ChangeClock {
  readonly #dataVersion: SqliteDatabase.Statement;
  #epoch = 0;
  #lastDataVersion: unknown = null;
  #checkedThisTurn = false;
  readonly #endTurn = () => {
    this.#checkedThisTurn = false;
  };

  constructor(sqlite: SqliteDatabase.Database) {
    this.#dataVersion = sqlite.prepare('pragma data_version').pluck();
  }

  /** A write statement is about to run on this connection (committed or not, it ends every cached read). */
  noteWrite(): void {
    this.#epoch++;
  }

  /** The current epoch: equal to an earlier answer only if nothing changed in between. */
  epoch(): number {
    if (!this.#checkedThisTurn) {
      this.#checkedThisTurn = true;
      setImmediate(this.#endTurn);
      const dataVersion: unknown = this.#dataVersion.get();
      if (dataVersion !== this.#lastDataVersion) {
        this.#lastDataVersion = dataVersion;
        this.#epoch++;
      }
    }
    return this.#epoch;
  }
}

/** An SQLite connection that `compiledOnce` reads from directly, with the clock of its changes. */
interface DirectSqlite {
  sqlite: SqliteDatabase.Database;
  clock: ChangeClock;
}

/** The connection behind each root SQLite Kysely handle (not its transactions), for `compiledOnce`. */
const directSqliteOf = new WeakMap<Db, DirectSqlite>();

/**
 * Prepares an SQLite connection for Kysely and the read cache. `database` is what Kysely's SQLite dialect
 * gets: its `prepare` returns a cached statement for SQL it has seen (Kysely would prepare every query anew,
 * which costs more than most queries) and tells the change clock about every write statement (the driver
 * runs what it prepares at once). `serveReads(db)` then lets `compiledOnce` read straight from the
 * connection for that Kysely handle.
 */
export function cacheReads(
  sqlite: SqliteDatabase.Database,
  maxStatements = 1000,
): { database: KyselySqliteDatabase; serveReads(db: Db): void } {
  const clock = new ChangeClock(sqlite);
  const statements = new Map<string, SqliteDatabase.Statement>();
  const fetch = (sql: string) => {
    const cached = statements.get(sql);
    if (cached && !cached.busy) return cached;
    const statement = sqlite.prepare(sql);
    if (!cached) {
      if (statements.size >= maxStatements) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  };
  return {
    database: {
      close: () => sqlite.close(),
      prepare(sql: string) {
        const statement = fetch(sql);
        // `readonly`, not `reader`: an UPDATE … RETURNING reads rows back but still writes.
        if (!statement.readonly) clock.noteWrite();
        return statement;
      },
    },
    serveReads(db: Db) {
      directSqliteOf.set(db, { sqlite, clock });
    },
  };
}

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
 * database changes in any way (see ChangeClock above): the check costs a fraction of a cold point query
 * (bench/README.md, Decisions). The rows returned are frozen and shared: read them, copy them.
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
