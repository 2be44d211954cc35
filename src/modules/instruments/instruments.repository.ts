/** All SQL for the instruments module's tables: instruments, session_log, session_reservations, session_requests. */
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import { isOneOf } from '../../db/one-of.js';
import type { Cursor } from '../../db/paging.js';
import type {
  InstrumentsTable,
  InstrumentsTables,
  RecordStatus,
  SessionLogTable,
  SessionRequestsTable,
} from './instruments.tables.js';

const instrumentsTables = (db: Db) => tablesOf<InstrumentsTables>(db);

export type InstrumentRow = Selectable<InstrumentsTable>;
export type SessionLogRow = Selectable<SessionLogTable>;
export type SessionRequestRow = Selectable<SessionRequestsTable>;

export async function insertInstrument(db: Db, row: Insertable<InstrumentsTable>): Promise<void> {
  await instrumentsTables(db).insertInto('instruments').values(row).execute();
}

export function findInstrument(db: Db, pid: string): Promise<InstrumentRow | undefined> {
  return instrumentsTables(db)
    .selectFrom('instruments')
    .selectAll()
    .where('instrument_pid', '=', pid)
    .$if(dialectOf(db) === 'postgres', (qb) => qb.forUpdate())
    .executeTakeFirst();
}

export function listInstruments(db: Db): Promise<InstrumentRow[]> {
  return instrumentsTables(db).selectFrom('instruments').selectAll().orderBy('instrument_pid').execute();
}

export async function updateInstrument(
  db: Db,
  pid: string,
  changes: Updateable<InstrumentsTable>,
): Promise<void> {
  await instrumentsTables(db)
    .updateTable('instruments')
    .set(changes)
    .where('instrument_pid', '=', pid)
    .execute();
}

/** Instruments sharing a value that must be unique, other than `pid` itself. */
export function findInstrumentsWith(
  db: Db,
  column: 'api_url' | 'computer_name' | 'computer_ip',
  value: string,
  exceptPid: string | null,
): Promise<InstrumentRow[]> {
  let select = instrumentsTables(db).selectFrom('instruments').selectAll().where(column, '=', value);
  if (exceptPid !== null) select = select.where('instrument_pid', '!=', exceptPid);
  return select.execute();
}

export async function insertSessionLog(db: Db, rows: Insertable<SessionLogTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await instrumentsTables(db).insertInto('session_log').values(rows).execute();
}

/** Every row of a session, oldest first (locked on PostgreSQL: the caller changes its status). */
export function findSessionRows(db: Db, sessionIdentifier: string): Promise<SessionLogRow[]> {
  return instrumentsTables(db)
    .selectFrom('session_log')
    .selectAll()
    .where('session_identifier', '=', sessionIdentifier)
    .orderBy('id_session_log')
    .$if(dialectOf(db) === 'postgres', (qb) => qb.forUpdate())
    .execute();
}

/** Sets the status of every row of a session, as NexusLIMS does. */
export async function setSessionStatus(
  db: Db,
  sessionIdentifier: string,
  status: RecordStatus,
): Promise<void> {
  await instrumentsTables(db)
    .updateTable('session_log')
    .set({ record_status: status })
    .where('session_identifier', '=', sessionIdentifier)
    .execute();
}

/** A session as one row: its START joined with its END (if any). */
export interface SessionRow {
  session_identifier: string;
  instrument: string;
  user: string | null;
  started_at: string;
  ended_at: string | null;
  record_status: RecordStatus;
  id_session_log: number;
}

export interface SessionFilter {
  sessionIdentifier?: string | undefined;
  instrument?: string | undefined;
  status?: RecordStatus | undefined;
  user?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Sessions, newest start first (then START row id), after the cursor's (start, row id). */
export function listSessions(
  db: Db,
  filter: SessionFilter,
  after: Cursor | null,
  limit: number,
): Promise<SessionRow[]> {
  let select = instrumentsTables(db)
    .selectFrom('session_log as s')
    .leftJoin('session_log as e', (join) =>
      join.onRef('e.session_identifier', '=', 's.session_identifier').on('e.event_type', '=', 'END'),
    )
    .select([
      's.session_identifier',
      's.instrument',
      's.user',
      's.timestamp as started_at',
      'e.timestamp as ended_at',
      's.record_status',
      's.id_session_log',
    ])
    .where('s.event_type', '=', 'START');
  if (filter.sessionIdentifier !== undefined)
    select = select.where('s.session_identifier', '=', filter.sessionIdentifier);
  if (filter.instrument !== undefined) select = select.where('s.instrument', '=', filter.instrument);
  if (filter.status !== undefined) select = select.where('s.record_status', '=', filter.status);
  if (filter.user !== undefined) select = select.where('s.user', '=', filter.user);
  if (filter.from !== undefined) select = select.where('s.timestamp', '>=', filter.from);
  if (filter.to !== undefined) select = select.where('s.timestamp', '<', filter.to);
  if (after !== null) {
    const value = String(after.value);
    const id = Number(after.id);
    select = select.where(
      sql<boolean>`(s.timestamp < ${value} or (s.timestamp = ${value} and s.id_session_log < ${id}))`,
    );
  }
  return select.orderBy('s.timestamp', 'desc').orderBy('s.id_session_log', 'desc').limit(limit).execute();
}

export function findSessionRequest(
  db: Db,
  userId: string,
  key: string,
): Promise<SessionRequestRow | undefined> {
  return instrumentsTables(db)
    .selectFrom('session_requests')
    .selectAll()
    .where('user_id', '=', userId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function insertSessionRequest(db: Db, row: SessionRequestRow): Promise<void> {
  await instrumentsTables(db).insertInto('session_requests').values(row).execute();
}

/** The keys (`loggedEventKey`) of the rows of these sessions already logged: what an import skips. */
export async function listLoggedEventKeys(
  db: Db,
  sessionIdentifiers: readonly string[],
): Promise<Set<string>> {
  const keys = new Set<string>();
  const unique = [...new Set(sessionIdentifiers)];
  const tables = instrumentsTables(db);
  for (let start = 0; start < unique.length; start += 5000) {
    const rows = await tables
      .selectFrom('session_log')
      .select(['session_identifier', 'event_type', 'timestamp'])
      .where(isOneOf(tables, 'session_log.session_identifier', unique.slice(start, start + 5000)))
      .execute();
    for (const row of rows) keys.add(loggedEventKey(row));
  }
  return keys;
}

/** What makes a row the same event: a session has one START and one END; each RECORD_GENERATION has its time. */
export function loggedEventKey(row: {
  session_identifier: string;
  event_type: string;
  timestamp: string;
}): string {
  return JSON.stringify(
    row.event_type === 'RECORD_GENERATION'
      ? [row.session_identifier, row.event_type, row.timestamp]
      : [row.session_identifier, row.event_type],
  );
}

/**
 * Logs a harvested session's START and END unless they are logged already (the unique index on START/END
 * decides, so two harvests at once write it once); true when this call wrote them.
 */
export async function insertSessionOnce(db: Db, rows: Insertable<SessionLogTable>[]): Promise<boolean> {
  const written = await instrumentsTables(db)
    .insertInto('session_log')
    .values(rows)
    .onConflict((conflict) => conflict.doNothing())
    .returning('id_session_log')
    .execute();
  return written.length > 0;
}

export async function insertSessionReservation(
  db: Db,
  row: { session_identifier: string; source: string; details: string; recorded_at: string },
): Promise<void> {
  await instrumentsTables(db)
    .insertInto('session_reservations')
    .values(row)
    .onConflict((conflict) => conflict.doNothing())
    .execute();
}

/** The identifiers among these that have a START logged. */
export async function findLoggedSessions(db: Db, identifiers: readonly string[]): Promise<Set<string>> {
  const tables = instrumentsTables(db);
  const found = new Set<string>();
  for (let start = 0; start < identifiers.length; start += 5000) {
    const rows = await tables
      .selectFrom('session_log')
      .select('session_identifier')
      .where('event_type', '=', 'START')
      .where(isOneOf(tables, 'session_log.session_identifier', identifiers.slice(start, start + 5000)))
      .execute();
    for (const row of rows) found.add(row.session_identifier);
  }
  return found;
}

export function findHarvestedUntil(db: Db, address: string): Promise<string | undefined> {
  return instrumentsTables(db)
    .selectFrom('nemo_harvests')
    .select('harvested_until')
    .where('address', '=', address)
    .executeTakeFirst()
    .then((row) => row?.harvested_until);
}

export async function saveHarvestedUntil(db: Db, address: string, until: string, at: string): Promise<void> {
  await instrumentsTables(db)
    .insertInto('nemo_harvests')
    .values({ address, harvested_until: until, updated_at: at })
    .onConflict((conflict) =>
      conflict.column('address').doUpdateSet({ harvested_until: until, updated_at: at }),
    )
    .execute();
}

/**
 * Takes the oldest TO_BE_BUILT session no builder holds (or whose holder's lease ran out) for `claimant` until
 * `leaseUntil` (only among these sessions when `among` is given): its START row, or undefined when none is free
 * or another builder took it first. SKIP LOCKED on PostgreSQL and the write lock on SQLite keep two builders
 * from taking the same one.
 */
export async function claimSessionToBuild(
  trx: Db,
  claimant: string,
  now: string,
  leaseUntil: string,
  among: readonly string[] | null = null,
): Promise<SessionLogRow | undefined> {
  const tables = instrumentsTables(trx);
  const start = await tables
    .selectFrom('session_log as s')
    .leftJoin('session_builds as b', 'b.session_identifier', 's.session_identifier')
    .selectAll('s')
    .where('s.event_type', '=', 'START')
    .where('s.record_status', '=', 'TO_BE_BUILT')
    .where((eb) => eb.or([eb('b.session_identifier', 'is', null), eb('b.lease_until', '<', now)]))
    .$if(among !== null, (qb) => qb.where(isOneOf(tables, 's.session_identifier', among ?? [])))
    .orderBy('s.id_session_log')
    .limit(1)
    .$if(dialectOf(trx) === 'postgres', (qb) => qb.forUpdate('s').skipLocked())
    .executeTakeFirst();
  if (!start) return undefined;
  // The lease is taken on session_builds itself: on PostgreSQL the select above may have read the lease table
  // before another builder's claim committed, and the upsert's condition is checked against the latest row.
  const claimed = await tables
    .insertInto('session_builds')
    .values({ session_identifier: start.session_identifier, claimed_by: claimant, lease_until: leaseUntil })
    .onConflict((conflict) =>
      conflict
        .column('session_identifier')
        .doUpdateSet({ claimed_by: claimant, lease_until: leaseUntil })
        .where('session_builds.lease_until', '<', now),
    )
    .returning('session_identifier')
    .executeTakeFirst();
  return claimed ? start : undefined;
}

/** Holds a session for nobody until `until`: it waits (for its files) while builders take the others. */
export async function deferSessionBuild(db: Db, sessionIdentifier: string, until: string): Promise<void> {
  await instrumentsTables(db)
    .updateTable('session_builds')
    .set({ claimed_by: 'waiting-for-files', lease_until: until })
    .where('session_identifier', '=', sessionIdentifier)
    .execute();
}

export async function releaseSessionBuild(db: Db, sessionIdentifier: string): Promise<void> {
  await instrumentsTables(db)
    .deleteFrom('session_builds')
    .where('session_identifier', '=', sessionIdentifier)
    .execute();
}

export function findSessionReservation(
  db: Db,
  sessionIdentifier: string,
): Promise<{ source: string; details: string } | undefined> {
  return instrumentsTables(db)
    .selectFrom('session_reservations')
    .select(['source', 'details'])
    .where('session_identifier', '=', sessionIdentifier)
    .executeTakeFirst();
}

/** Sessions (one row each, as `listSessions` gives them) by identifier: what the search index mirrors. */
export function findSessionsByIdentifier(db: Db, identifiers: readonly string[]): Promise<SessionRow[]> {
  if (identifiers.length === 0) return Promise.resolve([]);
  return instrumentsTables(db)
    .selectFrom('session_log as s')
    .leftJoin('session_log as e', (join) =>
      join.onRef('e.session_identifier', '=', 's.session_identifier').on('e.event_type', '=', 'END'),
    )
    .select([
      's.session_identifier',
      's.instrument',
      's.user',
      's.timestamp as started_at',
      'e.timestamp as ended_at',
      's.record_status',
      's.id_session_log',
    ])
    .where('s.event_type', '=', 'START')
    .where('s.session_identifier', 'in', identifiers)
    .execute();
}

/** What the reservations behind these sessions said, by session identifier. */
export async function findSessionReservations(
  db: Db,
  identifiers: readonly string[],
): Promise<Map<string, string>> {
  if (identifiers.length === 0) return new Map();
  const rows = await instrumentsTables(db)
    .selectFrom('session_reservations')
    .select(['session_identifier', 'details'])
    .where('session_identifier', 'in', identifiers)
    .execute();
  return new Map(rows.map((row) => [row.session_identifier, row.details]));
}
