/**
 * Sessions (seed: NexusLIMS `session_log`, the Session Logger's role): a START row when someone begins using an
 * instrument (WAITING_FOR_END), an END row when they finish, and then every row of the session TO_BE_BUILT, for
 * the record builder. Instrument PCs call this with API tokens; a retried request with the same
 * `Idempotency-Key` answers as the first did and logs nothing again.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/columns.js';
import { uniqueViolation } from '../../db/constraint-errors.js';
import { decodeCursor, encodeCursor, fetchPage, type Page } from '../../db/paging.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors/catalogue.js';
import { isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import { recordChange } from '../audit/audit.service.js';
import * as repo from './instruments.repository.js';
import type { ListSessionsQuery, Session, StartSession } from './instruments.schema.js';

/** Which of these sessions have a record (the records module's answer, passed in by whoever composes the app). */
export type RecordsOfSessions = (
  db: Db,
  sessionIdentifiers: readonly string[],
) => Promise<Map<string, string>>;

/** The sessions with their records' ids filled in. */
async function withRecords(
  db: Db,
  sessions: Session[],
  recordsOf: RecordsOfSessions | undefined,
): Promise<Session[]> {
  if (recordsOf === undefined || sessions.length === 0) return sessions;
  const records = await recordsOf(
    db,
    sessions.map((session) => session.sessionIdentifier),
  );
  return sessions.map((session) => ({
    ...session,
    recordId: records.get(session.sessionIdentifier) ?? null,
  }));
}

function toSession(row: repo.SessionRow): Session {
  return {
    sessionIdentifier: row.session_identifier,
    instrument: row.instrument,
    user: row.user,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.record_status,
    recordId: null,
  };
}

/**
 * Runs `work` once per (caller, key): a request repeated with the same `Idempotency-Key` gets the answer the
 * first one got; the same key with another request is a 422. Without a key, `work` simply runs.
 */
async function once<T>(
  trx: Db,
  actor: Actor,
  key: string | undefined,
  request: unknown,
  work: () => Promise<T>,
): Promise<T> {
  if (key === undefined) return work();
  const fingerprint = JSON.stringify(request);
  const earlier = await repo.findSessionRequest(trx, actor.id, key);
  if (earlier) {
    if (earlier.request !== fingerprint) {
      throw new Invalid('This Idempotency-Key was used for another request', [
        { field: 'Idempotency-Key', message: 'was used for another request' },
      ]);
    }
    return JSON.parse(earlier.response) as T;
  }
  const answer = await work();
  try {
    await repo.insertSessionRequest(trx, {
      user_id: actor.id,
      idempotency_key: key,
      request: fingerprint,
      response: JSON.stringify(answer),
      created_at: nowIso(),
    });
  } catch (error) {
    if (uniqueViolation(error) === null) throw error;
    throw new Conflict('A request with this Idempotency-Key is being answered: try again');
  }
  return answer;
}

async function readSession(db: Db, sessionIdentifier: string): Promise<Session> {
  const [row] = await repo.listSessions(db, { sessionIdentifier }, null, 1);
  if (!row) throw new NotFound('Session', sessionIdentifier);
  return toSession(row);
}

/**
 * Starts a session on an instrument: a START row, WAITING_FOR_END, with a new session identifier. The user is
 * the caller, unless staff log it for someone (an instrument PC's account).
 */
export async function startSession(
  trx: Db,
  actor: Actor,
  input: StartSession,
  idempotencyKey?: string,
): Promise<Session> {
  return once(trx, actor, idempotencyKey, { start: input }, async () => {
    const instrument = await repo.findInstrument(trx, input.instrument);
    if (!instrument) {
      throw new Invalid(`There is no instrument ${input.instrument}`, [
        { field: 'instrument', message: 'is not a registered instrument' },
      ]);
    }
    if (instrument.harvester === 'nemo') {
      throw new Conflict(
        `Sessions of ${input.instrument} come from NEMO: they are not logged through the API`,
        [{ field: 'instrument', message: 'is harvested from NEMO' }],
      );
    }
    if (input.user !== undefined && input.user !== actor.username && !isStaffOrAdmin(actor)) {
      throw new Forbidden('Only staff log sessions for someone else');
    }
    const sessionIdentifier = randomUUID();
    const at = nowIso();
    await repo.insertSessionLog(trx, [
      {
        session_identifier: sessionIdentifier,
        instrument: instrument.instrument_pid,
        timestamp: at,
        event_type: 'START',
        record_status: 'WAITING_FOR_END',
        user: (input.user ?? actor.username).slice(0, 50),
      },
    ]);
    await recordChange(trx, actor, {
      action: 'create',
      entityType: 'session',
      entityId: sessionIdentifier,
      after: { instrument: instrument.instrument_pid, startedAt: at, status: 'WAITING_FOR_END' },
    });
    return readSession(trx, sessionIdentifier);
  });
}

/**
 * Ends a session: an END row, and every row of the session TO_BE_BUILT. The session's user or staff may end
 * it; a session that has ended already is a 409, an unknown one a 404.
 */
export async function endSession(
  trx: Db,
  actor: Actor,
  sessionIdentifier: string,
  idempotencyKey?: string,
): Promise<Session> {
  return once(trx, actor, idempotencyKey, { end: sessionIdentifier }, async () => {
    const rows = await repo.findSessionRows(trx, sessionIdentifier);
    const start = rows.find((row) => row.event_type === 'START');
    if (!start) throw new NotFound('Session', sessionIdentifier);
    if (!isStaffOrAdmin(actor) && start.user !== actor.username)
      throw new NotFound('Session', sessionIdentifier);
    if (rows.some((row) => row.event_type === 'END')) {
      throw new Conflict(`Session ${sessionIdentifier} has ended already`);
    }
    const at = nowIso();
    await repo.insertSessionLog(trx, [
      {
        session_identifier: sessionIdentifier,
        instrument: start.instrument,
        timestamp: at,
        event_type: 'END',
        record_status: 'TO_BE_BUILT',
        user: start.user,
      },
    ]);
    await repo.setSessionStatus(trx, sessionIdentifier, 'TO_BE_BUILT');
    await recordChange(trx, actor, {
      action: 'update',
      entityType: 'session',
      entityId: sessionIdentifier,
      before: { status: start.record_status },
      after: { instrument: start.instrument, endedAt: at, status: 'TO_BE_BUILT' },
    });
    return readSession(trx, sessionIdentifier);
  });
}

/** A session that has already happened, as the demo and imports log it. */
export interface PastSession {
  instrument: string;
  /** The username the session is logged as. */
  user: string;
  startedAt: Date;
  endedAt: Date;
  /** What its reservation said, as NexusLIMS's questions ask it; kept as a harvested session's answers are. */
  reservation?: {
    projectId?: string | null;
    experimentTitle?: string | null;
    purpose?: string | null;
    sampleNames?: readonly string[];
  };
}

/** A past session's reservation in the shape the harvester keeps (nemo/session-from-usage.ts), so one reader suffices. */
function reservationDetails(reservation: NonNullable<PastSession['reservation']>): string {
  return JSON.stringify({
    project: null,
    reservation: null,
    answers: {
      projectId: reservation.projectId ?? null,
      experimentTitle: reservation.experimentTitle ?? null,
      purpose: reservation.purpose ?? null,
      samples: (reservation.sampleNames ?? []).map((name) => ({
        name,
        pid: null,
        details: null,
        elements: [],
      })),
      dataConsent: null,
      sources: ['reservation'],
    },
  });
}

/**
 * Logs a session that has already ended, its START and END at the times given and both rows TO_BE_BUILT: the
 * demo's and imports' way of adding sessions from the past, which the API (START and END at the time of the
 * call) cannot. Staff and admins only; audited like a session started and ended through the API.
 */
export async function logPastSession(trx: Db, actor: Actor, input: PastSession): Promise<Session> {
  if (!isStaffOrAdmin(actor)) throw new Forbidden('Only staff log past sessions');
  const instrument = await repo.findInstrument(trx, input.instrument);
  if (!instrument) {
    throw new Invalid(`There is no instrument ${input.instrument}`, [
      { field: 'instrument', message: 'is not a registered instrument' },
    ]);
  }
  if (!(input.startedAt.getTime() < input.endedAt.getTime()) || input.endedAt.getTime() > Date.now()) {
    throw new Invalid('A past session starts before it ends, and has ended', [
      { field: 'endedAt', message: 'is not after the start, or is in the future' },
    ]);
  }
  const sessionIdentifier = randomUUID();
  const row = {
    session_identifier: sessionIdentifier,
    instrument: instrument.instrument_pid,
    record_status: 'TO_BE_BUILT' as const,
    user: input.user.slice(0, 50),
  };
  await repo.insertSessionLog(trx, [
    { ...row, timestamp: input.startedAt.toISOString(), event_type: 'START' },
    { ...row, timestamp: input.endedAt.toISOString(), event_type: 'END' },
  ]);
  if (input.reservation !== undefined) {
    await repo.insertSessionReservation(trx, {
      session_identifier: sessionIdentifier,
      source: 'logged',
      details: reservationDetails(input.reservation),
      recorded_at: nowIso(),
    });
  }
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'session',
    entityId: sessionIdentifier,
    after: {
      instrument: instrument.instrument_pid,
      startedAt: input.startedAt.toISOString(),
      endedAt: input.endedAt.toISOString(),
      status: 'TO_BE_BUILT',
    },
  });
  return readSession(trx, sessionIdentifier);
}

/** Sessions, one row each, newest first: staff and admins see all, others the sessions logged as them. */
export async function listSessions(
  db: Db,
  actor: Actor,
  query: ListSessionsQuery & { limit: number },
  recordsOf?: RecordsOfSessions,
): Promise<Page<Session>> {
  if (!isStaffOrAdmin(actor) && query.user !== undefined && query.user !== actor.username) {
    return { items: [], nextCursor: null };
  }
  const after = decodeCursor(query.cursor);
  const page = await fetchPage(
    query.limit,
    (limit) =>
      repo.listSessions(
        db,
        {
          instrument: query.instrument,
          status: query.status,
          user: isStaffOrAdmin(actor) ? query.user : actor.username,
          from: query.from === undefined ? undefined : new Date(query.from).toISOString(),
          to: query.to === undefined ? undefined : new Date(query.to).toISOString(),
        },
        after,
        limit,
      ),
    (row) => encodeCursor({ value: row.started_at, id: String(row.id_session_log) }),
  );
  return { items: await withRecords(db, page.items.map(toSession), recordsOf), nextCursor: page.nextCursor };
}

/** One session, for its user and for staff. */
export async function getSession(
  db: Db,
  actor: Actor,
  sessionIdentifier: string,
  recordsOf?: RecordsOfSessions,
): Promise<Session> {
  const session = await readSession(db, sessionIdentifier);
  if (!isStaffOrAdmin(actor) && session.user !== actor.username)
    throw new NotFound('Session', sessionIdentifier);
  const [withRecord] = await withRecords(db, [session], recordsOf);
  return withRecord!;
}
