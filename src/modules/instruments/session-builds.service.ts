/**
 * Sessions as the record builder takes them: the oldest TO_BE_BUILT session, held under a lease while it is
 * built; then its ending — a RECORD_GENERATION row and every row of the session COMPLETED, NO_FILES_FOUND or
 * ERROR — or its release for a later try (no files yet). An ERROR can be sent back to be built again.
 */
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/columns.js';
import { Conflict, Forbidden, NotFound } from '../../errors/catalogue.js';
import { isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import { recordChange, type AuditActor } from '../audit/audit.service.js';
import * as repo from './instruments.repository.js';
import { toInstrument } from './instruments.service.js';
import type { Instrument } from './instruments.schema.js';
import type { RecordStatus } from './instruments.tables.js';

export interface SessionToBuild {
  sessionIdentifier: string;
  instrument: Instrument;
  user: string | null;
  /** The START and END timestamps as logged. */
  start: string;
  end: string;
  /** What the reservation said (NEMO harvesting), when anything did. */
  reservation: Record<string, unknown> | null;
}

/**
 * Takes the next session to build for `claimant` (only among `among` when given), or null when none waits;
 * held for `leaseMs`.
 */
export async function claimNextSession(
  trx: Db,
  claimant: string,
  leaseMs: number,
  among: readonly string[] | null = null,
): Promise<SessionToBuild | null> {
  const now = new Date();
  const start = await repo.claimSessionToBuild(
    trx,
    claimant,
    now.toISOString(),
    new Date(now.getTime() + leaseMs).toISOString(),
    among,
  );
  if (!start) return null;
  const rows = await repo.findSessionRows(trx, start.session_identifier);
  const end = rows.find((row) => row.event_type === 'END');
  const instrument = await repo.findInstrument(trx, start.instrument);
  if (!instrument) throw new NotFound('Instrument', start.instrument);
  const reservation = await repo.findSessionReservation(trx, start.session_identifier);
  return {
    sessionIdentifier: start.session_identifier,
    instrument: toInstrument(instrument),
    user: start.user,
    start: start.timestamp,
    end: end?.timestamp ?? start.timestamp,
    reservation:
      reservation === undefined ? null : (JSON.parse(reservation.details) as Record<string, unknown>),
  };
}

/**
 * Lets the session be taken again after `retryAfterMs` (its files may not have arrived yet); until then the
 * builders take the sessions behind it.
 */
export function deferSession(db: Db, sessionIdentifier: string, retryAfterMs: number): Promise<void> {
  return repo.deferSessionBuild(db, sessionIdentifier, new Date(Date.now() + retryAfterMs).toISOString());
}

/**
 * Ends a build: a RECORD_GENERATION row, every row of the session set to `status`, the hold released; audited
 * with the reason (an ERROR's, or why no record was made).
 */
export async function finishSessionBuild(
  trx: Db,
  actor: AuditActor | null,
  session: SessionToBuild,
  status: Extract<RecordStatus, 'COMPLETED' | 'NO_FILES_FOUND' | 'ERROR'>,
  reason: string | null,
): Promise<void> {
  await repo.insertSessionLog(trx, [
    {
      session_identifier: session.sessionIdentifier,
      instrument: session.instrument.pid,
      timestamp: nowIso(),
      event_type: 'RECORD_GENERATION',
      record_status: status,
      user: 'cairn',
    },
  ]);
  await repo.setSessionStatus(trx, session.sessionIdentifier, status);
  await repo.releaseSessionBuild(trx, session.sessionIdentifier);
  await recordChange(trx, actor, {
    action: 'update',
    entityType: 'session',
    entityId: session.sessionIdentifier,
    before: { status: 'TO_BE_BUILT' },
    after: { status, reason },
  });
}

/** Sends a session whose build failed (ERROR) back to be built (staff). */
export async function retrySessionBuild(trx: Db, actor: Actor, sessionIdentifier: string): Promise<void> {
  if (!isStaffOrAdmin(actor)) throw new Forbidden('Only staff send a session back to be built');
  const rows = await repo.findSessionRows(trx, sessionIdentifier);
  const start = rows.find((row) => row.event_type === 'START');
  if (!start) throw new NotFound('Session', sessionIdentifier);
  if (start.record_status !== 'ERROR') {
    throw new Conflict(
      `Session ${sessionIdentifier} is ${start.record_status}: only a failed build is retried`,
    );
  }
  await repo.setSessionStatus(trx, sessionIdentifier, 'TO_BE_BUILT');
  await recordChange(trx, actor, {
    action: 'update',
    entityType: 'session',
    entityId: sessionIdentifier,
    before: { status: 'ERROR' },
    after: { status: 'TO_BE_BUILT' },
  });
}
