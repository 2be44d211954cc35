/**
 * The live feed of one process: the audit trail, streamed to open event streams (`GET /api/events`) as events
 * become final, each stream getting what its user may see (the history's rule) after its place in the trail.
 *
 * The trail is the event log: a stream's place is an audit event id, so resuming after a reconnection (even to
 * another process, or after a restart) is exact. The feed reads only up to the audit horizon (ids that can no
 * longer appear, audit/audit-horizon.ts), so a stream never moves past an event that commits late.
 *
 * Waking up: on PostgreSQL, one dedicated connection per process LISTENs for the audit trail's notifications
 * (migration 0009), and a catch-up read every `CATCH_UP_MS` covers notifications lost while it reconnected.
 * On SQLite (no NOTIFY) the feed polls the newest id every `POLL_MS` while a stream is open, which also sees
 * other processes' commits. Wake-ups are coalesced: while a read runs, any number of wake-ups cause one more
 * read, so a burst of changes costs each stream a query or two, not one per change; and a stream whose filter
 * (the web app's: analyses, jobs, resources) none of the new events matches costs no query at all.
 */
import type { Db } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import { listenForNotifications, type NotificationListener } from '../../db/notification-listener.js';
import type { BaseLogger } from 'pino';
import type { Actor } from '../accounts/actor.js';
import { AuditHorizon } from '../audit/audit-horizon.js';
import { latestAuditEventId, readAuditEventSubjects } from '../audit/audit.service.js';
import type { LiveEvent } from './history.schema.js';
import { listEventsAfter, type HideUnseenReferences } from './history.service.js';

/** The channel the audit trail notifies on PostgreSQL (migration 0009). */
const AUDIT_CHANNEL = 'cairn_audit';
/** SQLite: how often open streams look for new events. */
const POLL_MS = 300;
/** PostgreSQL: how often the feed reads even without a notification. */
const CATCH_UP_MS = 5_000;
/** PostgreSQL: how soon the horizon is probed again while committed events wait to become final. */
const SETTLE_MS = 50;
/** Events read for one stream at a time. */
const PAGE_SIZE = 200;
/** New events whose subjects are read to tell which streams they concern; beyond this, every stream reads. */
const SUBJECTS_READ_LIMIT = 2_000;

export interface StreamRequest {
  /** Who reads; `refresh` may replace it. */
  actor: Actor;
  entityTypes?: readonly string[] | undefined;
  entityId?: string | undefined;
  /** Send events after this id; undefined: only events after those committed now. */
  afterId?: number | undefined;
}

/** What the feed tells one stream. */
export interface StreamSink {
  /** New events, oldest first. */
  send(events: readonly LiveEvent[]): void;
}

export interface OpenStream {
  /** Who reads from now on (a role or membership change), or null to end the stream. */
  refresh(actor: Actor | null): void;
  close(): void;
}

interface Stream {
  actor: Actor;
  readonly entityTypes: readonly string[] | undefined;
  readonly entityId: string | undefined;
  /** Events up to this id have been read for the stream. */
  readUpTo: number;
  readonly sink: StreamSink;
}

export interface EventFeedOptions {
  readonly db: Db;
  /** PostgreSQL's URL for the listening connection; null on SQLite. */
  readonly databaseUrl: string | null;
  readonly log: BaseLogger;
  readonly labWideTypes: readonly string[];
  readonly hideUnseenReferences: HideUnseenReferences;
}

/** One per process: the open streams and what wakes them. */
export class EventFeed {
  readonly #options: EventFeedOptions;
  readonly #horizon: AuditHorizon;
  readonly #streams = new Set<Stream>();
  #listener: NotificationListener | null = null;
  #timer: NodeJS.Timeout | null = null;
  #settleTimer: NodeJS.Timeout | null = null;
  #reading: Promise<void> | null = null;
  #wakeAgain = false;
  #closed = false;

  constructor(options: EventFeedOptions) {
    this.#options = options;
    this.#horizon = new AuditHorizon(options.db, (transactionIds) =>
      options.log.warn(
        { transactionIds },
        'live events no longer wait for transactions open this long; what they commit is not streamed live',
      ),
    );
  }

  /** Opens a stream: from `afterId`, or from now; its events go to `sink` until it is closed. */
  async open(request: StreamRequest, sink: StreamSink): Promise<OpenStream> {
    if (this.#closed) throw new Error('the event feed is closed');
    const stream: Stream = {
      actor: request.actor,
      entityTypes: request.entityTypes,
      entityId: request.entityId,
      readUpTo: request.afterId ?? (await latestAuditEventId(this.#options.db)),
      sink,
    };
    if (this.#closed) throw new Error('the event feed is closed');
    this.#streams.add(stream);
    this.#startWaking();
    this.wake();
    return {
      refresh: (actor) => {
        if (actor === null) this.#streams.delete(stream);
        else stream.actor = actor;
      },
      close: () => {
        this.#streams.delete(stream);
      },
    };
  }

  /** Reads what is new for every stream: now, or right after the read under way. */
  wake(): void {
    if (this.#closed || this.#streams.size === 0) return;
    if (this.#reading !== null) {
      this.#wakeAgain = true;
      return;
    }
    this.#reading = this.#readNew().finally(() => {
      this.#reading = null;
      if (this.#wakeAgain) {
        this.#wakeAgain = false;
        this.wake();
      }
    });
  }

  /** Stops waking and forgets the streams (their connections are the caller's to end); waits for a read under way. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#streams.clear();
    if (this.#timer !== null) clearInterval(this.#timer);
    if (this.#settleTimer !== null) clearTimeout(this.#settleTimer);
    this.#timer = null;
    this.#settleTimer = null;
    await this.#listener?.close();
    this.#listener = null;
    await this.#reading;
  }

  #startWaking(): void {
    if (this.#timer !== null) return;
    const { db, databaseUrl, log } = this.#options;
    const onPostgres = dialectOf(db) === 'postgres';
    this.#timer = setInterval(() => this.wake(), onPostgres ? CATCH_UP_MS : POLL_MS);
    this.#timer.unref();
    if (onPostgres && databaseUrl !== null) {
      this.#listener = listenForNotifications({
        databaseUrl,
        channel: AUDIT_CHANNEL,
        onNotify: () => this.wake(),
        onError: (error) =>
          log.warn({ err: error }, 'live events: the listening connection failed; reconnecting'),
      });
    }
  }

  async #readNew(): Promise<void> {
    let settled = true;
    try {
      const horizon = await this.#horizon.advance();
      settled = horizon.settled;
      // Every stream's read ends before this read does (a failed one is logged): the next read must not
      // start while a stream is still being read, or that stream could be sent the same events twice.
      const due = await this.#streamsConcerned(horizon.finalId);
      const reads = await Promise.allSettled(due.map((stream) => this.#readFor(stream, horizon.finalId)));
      for (const read of reads) {
        if (read.status === 'rejected') {
          this.#options.log.error({ err: read.reason }, "live events: reading a stream's events failed");
        }
      }
    } catch (error) {
      this.#options.log.error({ err: error }, 'live events: probing the audit trail failed');
    }
    if (!settled && !this.#closed && this.#settleTimer === null) {
      this.#settleTimer = setTimeout(() => {
        this.#settleTimer = null;
        this.wake();
      }, SETTLE_MS);
    }
  }

  /**
   * The streams that new events up to `finalId` may concern. One read of what the new events are about spares
   * the streams whose filter (types, entity) none of them matches a read of their own: they move on at once.
   * A range too long for that read (a large import) is read for every stream.
   */
  async #streamsConcerned(finalId: number): Promise<Stream[]> {
    const behind = [...this.#streams].filter((stream) => stream.readUpTo < finalId);
    if (behind.length === 0) return [];
    const afterId = Math.min(...behind.map((stream) => stream.readUpTo));
    const subjects = await readAuditEventSubjects(this.#options.db, {
      afterId,
      upToId: finalId,
      limit: SUBJECTS_READ_LIMIT + 1,
    });
    if (subjects.length > SUBJECTS_READ_LIMIT) return behind;
    return behind.filter((stream) => {
      const concerned = subjects.some(
        (subject) =>
          subject.id > stream.readUpTo &&
          (stream.entityTypes === undefined || stream.entityTypes.includes(subject.entity_type)) &&
          (stream.entityId === undefined || stream.entityId === subject.entity_id),
      );
      if (!concerned) stream.readUpTo = finalId;
      return concerned;
    });
  }

  /** Sends a stream its events up to `finalId`, a page at a time; a failed read is tried again on the next wake. */
  async #readFor(stream: Stream, finalId: number): Promise<void> {
    const { db, labWideTypes, hideUnseenReferences } = this.#options;
    while (stream.readUpTo < finalId && this.#streams.has(stream)) {
      const events = await listEventsAfter(
        db,
        stream.actor,
        {
          afterId: stream.readUpTo,
          upToId: finalId,
          entityTypes: stream.entityTypes,
          entityId: stream.entityId,
          limit: PAGE_SIZE,
        },
        labWideTypes,
        hideUnseenReferences,
      );
      if (!this.#streams.has(stream)) return;
      if (events.length > 0) stream.sink.send(events);
      stream.readUpTo = events.length < PAGE_SIZE ? finalId : (events.at(-1)?.id ?? finalId);
    }
  }
}
