/**
 * The NEMO harvester (NexusLIMS's `harvesters.nemo`): for each configured NEMO server, the usage events of the
 * tools behind the instruments harvested from it that ended since its last harvest (less a lookback, so that an
 * event written late or while a listing was paging is still found), each turned into a session — START and END,
 * TO_BE_BUILT or, by the reservation rules, NO_RESERVATION / NO_CONSENT — with what its reservation said.
 *
 * Exactly once: a session's START and END are unique in session_log, and each session is written in its own
 * transaction with "do nothing" on conflict, so two workers harvesting at once, a harvest run twice or a retry
 * after a failed answer never log a session twice, and an answer that fails part-way loses none that were
 * written. NEMO is asked with retries and backoff (the client); a server that stays down is left for the next run.
 */
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/columns.js';
import { inTransaction } from '../../db/transaction.js';
import { recordChanges } from '../audit/audit.service.js';
import * as repo from './instruments.repository.js';
import { NemoClient } from './nemo/nemo-client.js';
import {
  sessionFromUsage,
  usageEventIdentifier,
  type HarvestedSession,
  type SessionRules,
} from './nemo/session-from-usage.js';
import { instrumentsByTool } from './nemo/tool-ids.js';

/** A NEMO server Cairn harvests (CAIRN_NEMO_SERVERS). */
export interface NemoServer {
  readonly address: string;
  readonly token: string;
  /** The server's IANA time zone: naive datetimes in its answers are read in it. */
  readonly timezone: string;
  /** The site's DATETIME_FORMAT (strptime), when it overrides ISO 8601. */
  readonly dateFormat?: string | undefined;
}

export interface HarvestOptions {
  readonly rules: SessionRules;
  /** How far before the last harvest to look again. */
  readonly lookbackMs: number;
  /** How far back the first harvest of a server looks. */
  readonly firstHarvestMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoffMs?: number;
}

export interface HarvestReport {
  /** Per server address: sessions written by this run, and ended events already logged. */
  readonly servers: { address: string; written: number; known: number; error: string | null }[];
}

const TWO_DAYS_MS = 2 * 86_400_000;

/** The session_log rows and reservation details of a harvested session, written once. */
async function writeSession(db: Db, session: HarvestedSession): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const written = await repo.insertSessionOnce(trx, [
      {
        session_identifier: session.identifier,
        instrument: session.instrument,
        timestamp: session.start,
        event_type: 'START',
        record_status: session.status,
        user: session.user?.slice(0, 50) ?? null,
      },
      {
        session_identifier: session.identifier,
        instrument: session.instrument,
        timestamp: session.end,
        event_type: 'END',
        record_status: session.status,
        user: session.user?.slice(0, 50) ?? null,
      },
    ]);
    if (!written) return false;
    await repo.insertSessionReservation(trx, {
      session_identifier: session.identifier,
      source: 'nemo',
      details: JSON.stringify(session),
      recorded_at: nowIso(),
    });
    await recordChanges(trx, null, [
      {
        action: 'create',
        entityType: 'session',
        entityId: session.identifier,
        after: {
          instrument: session.instrument,
          startedAt: session.start,
          endedAt: session.end,
          status: session.status,
          reason: session.reason,
          harvestedFrom: 'NEMO',
        },
      },
    ]);
    return true;
  });
}

async function harvestServer(
  db: Db,
  server: NemoServer,
  instruments: { pid: string; apiUrl: string }[],
  options: HarvestOptions,
  startedAt: Date,
): Promise<{ written: number; known: number }> {
  const client = new NemoClient({
    address: server.address,
    token: server.token,
    timezone: server.timezone,
    ...(server.dateFormat !== undefined && { dateFormat: server.dateFormat }),
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    ...(options.backoffMs !== undefined && { backoffMs: options.backoffMs }),
  });
  const byTool = instrumentsByTool(client.address, instruments);
  if (byTool.size === 0) return { written: 0, known: 0 };
  const last = await repo.findHarvestedUntil(db, client.address);
  const since =
    last === undefined
      ? new Date(startedAt.getTime() - options.firstHarvestMs)
      : new Date(Date.parse(last) - options.lookbackMs);
  const events = await client.listEndedUsageEvents([...byTool.keys()], since);
  const known = await repo.findLoggedSessions(
    db,
    events.map((event) => usageEventIdentifier(client.address, event.id)),
  );
  const fresh = events.filter((event) => !known.has(usageEventIdentifier(client.address, event.id)));
  const users = await client.getUsers(
    fresh.flatMap((event) => [event.user, ...(event.operator === null ? [] : [event.operator])]),
  );
  const projects = await client.getProjects(
    fresh.flatMap((event) => (event.project === null ? [] : [event.project])),
  );
  let written = 0;
  for (const event of fresh) {
    const reservations = await client.listReservations(
      event.tool,
      new Date(Date.parse(event.start) - TWO_DAYS_MS),
      new Date(Date.parse(event.end) + TWO_DAYS_MS),
    );
    const session = sessionFromUsage(
      { address: client.address, instrument: byTool.get(event.tool)!, event, reservations, users, projects },
      options.rules,
    );
    if (await writeSession(db, session)) written++;
  }
  await repo.saveHarvestedUntil(db, client.address, startedAt.toISOString(), nowIso());
  return { written, known: events.length - fresh.length };
}

/** Harvests every server; one that fails is reported and left for the next run, the others go on. */
export async function harvestNemo(
  db: Db,
  servers: readonly NemoServer[],
  options: HarvestOptions,
): Promise<HarvestReport> {
  const startedAt = new Date();
  const instruments = (await repo.listInstruments(db))
    .filter((row) => row.harvester === 'nemo')
    .map((row) => ({ pid: row.instrument_pid, apiUrl: row.api_url }));
  const report: HarvestReport['servers'] = [];
  for (const server of servers) {
    try {
      const result = await harvestServer(db, server, instruments, options, startedAt);
      report.push({ address: server.address, ...result, error: null });
    } catch (error) {
      report.push({
        address: server.address,
        written: 0,
        known: 0,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { servers: report };
}
