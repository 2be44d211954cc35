/**
 * When an SQLite database last changed, cheaply enough to ask on every hot read, so that a cache of reads
 * never answers from before a change:
 * - this process's writes: every write statement the connection runs is counted as Kysely fetches it
 *   (`noteWrite`, from the statement cache in database.ts; nothing in Cairn writes around Kysely);
 * - other connections' commits (the CLI, a worker process, another server): SQLite's `PRAGMA data_version`
 *   moves when one lands. It is read at most once per event-loop turn: a read answered later in the same
 *   turn is as of the turn's first check, which a client cannot tell from its request arriving a moment
 *   earlier.
 *
 * `epoch()` moves whenever either does; a cache keeps entries stamped with the epoch they were read in.
 */
import type SqliteDatabase from 'better-sqlite3';

export class ChangeClock {
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
