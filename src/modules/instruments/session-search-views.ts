/**
 * Instruments and sessions as the search index reads them. A session is found by its instrument, its user
 * and what its reservation said (experiment title, purpose, samples, project); who may see it is the
 * session's user and staff, which the index keeps with it.
 */
import type { Db } from '../../db/database.js';
import * as repo from './instruments.repository.js';

export interface SearchableInstrument {
  pid: string;
  name: string;
  location: string;
  text: string[];
}

export interface SearchableSession {
  identifier: string;
  instrument: string;
  user: string | null;
  startedAt: string;
  endedAt: string | null;
  status: string;
  /** The reservation's words: every text it holds. */
  reservationText: string[];
}

/** The instruments with these pids (all of them when `pids` is null). */
export async function readSearchableInstruments(
  db: Db,
  pids: readonly string[] | null,
): Promise<SearchableInstrument[]> {
  const rows = await repo.listInstruments(db);
  return rows
    .filter((row) => pids === null || pids.includes(row.instrument_pid))
    .map((row) => ({
      pid: row.instrument_pid,
      name: row.schema_name,
      location: row.location,
      text: [row.location, row.property_tag, row.calendar_name, row.computer_name ?? '', row.harvester ?? ''],
    }));
}

/** Every text value in a reservation's details, depth first (the details' shape is the harvester's). */
function textsIn(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const entry of value) textsIn(entry, into);
  else if (value !== null && typeof value === 'object')
    for (const entry of Object.values(value)) textsIn(entry, into);
  return into;
}

/** Sessions by identifier (unknown ones are left out). */
export async function readSearchableSessions(
  db: Db,
  identifiers: readonly string[],
): Promise<SearchableSession[]> {
  const unique = [...new Set(identifiers)];
  const sessions: SearchableSession[] = [];
  for (let start = 0; start < unique.length; start += 500) {
    const chunk = unique.slice(start, start + 500);
    const [rows, reservations] = await Promise.all([
      repo.findSessionsByIdentifier(db, chunk),
      repo.findSessionReservations(db, chunk),
    ]);
    for (const row of rows) {
      const details = reservations.get(row.session_identifier);
      sessions.push({
        identifier: row.session_identifier,
        instrument: row.instrument,
        user: row.user,
        startedAt: row.started_at,
        endedAt: row.ended_at,
        status: row.record_status,
        reservationText: details === undefined ? [] : textsIn(JSON.parse(details), []),
      });
    }
  }
  return sessions;
}

/** A page of session identifiers, newest first, after the cursor (for rebuilding the index). */
export async function listSessionIdentifiers(
  db: Db,
  after: { startedAt: string; rowId: number } | null,
  limit: number,
): Promise<{ identifier: string; startedAt: string; rowId: number }[]> {
  const rows = await repo.listSessions(
    db,
    {},
    after === null ? null : { value: after.startedAt, id: String(after.rowId) },
    limit,
  );
  return rows.map((row) => ({
    identifier: row.session_identifier,
    startedAt: row.started_at,
    rowId: row.id_session_log,
  }));
}
