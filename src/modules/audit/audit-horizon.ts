/**
 * How far the audit trail is final: the highest event id at or below which no event can still appear. A live
 * reader (the history's event streams) reads up to it and never past it, so that it can keep one id as its
 * place (`Last-Event-ID`) and skip nothing.
 *
 * SQLite: writers take the database's one write lock and ids are assigned under it, so events commit in id
 * order, even across processes: every committed id is final.
 *
 * PostgreSQL: ids come from a sequence when a row is inserted, but transactions commit in any order, so event
 * 11 may be visible while event 10's transaction is still open (or will roll back). Seeing id N committed is
 * not enough; the horizon moves in two steps instead. A probe reads the newest committed id and the transaction
 * ids of this database's open writers (`pg_stat_activity.backend_xid`). Every event with an id up to the newest
 * id seen at probe k-1 was inserted before that probe, so its transaction is either over or among the writers of
 * probe k; once none of those writers is still open, those ids are final (committed or rolled back for good).
 * On a quiet database the second probe settles it at once; the caller probes again shortly while `settled` is
 * false. The one assumption: between taking its id and getting its transaction id (within one INSERT, and only
 * when the audit row is its transaction's first write) a writer does not stall for longer than two probes apart.
 *
 * A writer left open (an idle-in-transaction session) would hold the horizon back for good, so one that is
 * still open after `WRITER_WAIT_LIMIT_MS` is no longer waited for (and reported): events it commits later are
 * in the history but not streamed live. Writers whose transaction ids this role cannot read (other roles,
 * without `pg_read_all_stats`) are not waited for either, and their events are then streamed in id order
 * as they are seen.
 */
import type { Db } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import { findLatestAuditEventId, findLatestAuditEventIdAndWriters } from './audit.repository.js';

/** How long the horizon waits for one open writer before it moves past it. */
export const WRITER_WAIT_LIMIT_MS = 60_000;

interface PendingRange {
  /** Ids up to this one are final once none of `writers` is open. */
  readonly upToId: number;
  readonly writers: ReadonlySet<string>;
  readonly since: number;
}

export interface HorizonState {
  /** Every event with an id up to this one is committed or never will be. */
  readonly finalId: number;
  /** False while committed ids beyond `finalId` wait for a later probe: probe again soon. */
  readonly settled: boolean;
}

/** The final part of the audit trail as one process sees it; probe with `advance()`, one call at a time. */
export class AuditHorizon {
  readonly #db: Db;
  readonly #onStuckWriters: (transactionIds: string[]) => void;
  #finalId = 0;
  #latestSeen: number | null = null;
  readonly #pending: PendingRange[] = [];
  readonly #notWaitedFor = new Set<string>();

  constructor(db: Db, onStuckWriters: (transactionIds: string[]) => void = () => {}) {
    this.#db = db;
    this.#onStuckWriters = onStuckWriters;
  }

  /** Probes the database and moves the horizon as far as it may go. */
  async advance(): Promise<HorizonState> {
    if (dialectOf(this.#db) === 'sqlite') {
      this.#finalId = Math.max(this.#finalId, await findLatestAuditEventId(this.#db));
      return { finalId: this.#finalId, settled: true };
    }
    const { latestId, writers } = await findLatestAuditEventIdAndWriters(this.#db);
    const now = Date.now();
    const open = new Set(writers);
    for (const xid of this.#notWaitedFor) if (!open.has(xid)) this.#notWaitedFor.delete(xid);
    const previous = this.#latestSeen;
    const lastPending = this.#pending.at(-1)?.upToId ?? this.#finalId;
    if (previous !== null && previous > lastPending) {
      this.#pending.push({
        upToId: previous,
        writers: new Set(writers.filter((xid) => !this.#notWaitedFor.has(xid))),
        since: now,
      });
    }
    this.#latestSeen = latestId;
    for (let range = this.#pending[0]; range !== undefined; range = this.#pending[0]) {
      const waitingFor = [...range.writers].filter((xid) => open.has(xid) && !this.#notWaitedFor.has(xid));
      if (waitingFor.length > 0) {
        if (now - range.since < WRITER_WAIT_LIMIT_MS) break;
        for (const xid of waitingFor) this.#notWaitedFor.add(xid);
        this.#onStuckWriters(waitingFor);
      }
      this.#finalId = Math.max(this.#finalId, range.upToId);
      this.#pending.shift();
    }
    return { finalId: this.#finalId, settled: this.#pending.length === 0 && latestId <= this.#finalId };
  }
}
