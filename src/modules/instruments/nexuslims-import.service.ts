/**
 * Imports the instruments and session_log of an existing NexusLIMS database as they are (staff), all or
 * nothing, and idempotently: an instrument already here with the same PID is kept, a session row already here
 * (same session, event and timestamp) is not logged again. What NexusLIMS allows and Cairn's checks do not is
 * mapped and said: the `sharepoint_calendar` harvester becomes none, the fork's BUILT_NOT_EXPORTED becomes
 * COMPLETED. A row that fits neither (an unknown status, a data folder outside the data root, an unknown time
 * zone, an instrument nobody has) refuses the whole file, naming it.
 */
import type { Db } from '../../db/database.js';
import { Forbidden, Invalid, type FieldError } from '../../errors/catalogue.js';
import { isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import { recordChanges, type Change } from '../audit/audit.service.js';
import { isTimeZone, resolveInsideRoot } from './instrument-rules.js';
import * as repo from './instruments.repository.js';
import type { EventType, Harvester, RecordStatus } from './instruments.tables.js';
import type { NexusLimsContents } from './nexuslims-file.js';

export interface NexusLimsImportReport {
  instrumentsAdded: number;
  instrumentsKept: number;
  rowsAdded: number;
  rowsKept: number;
  /** What was mapped to fit (a harvester or status Cairn names otherwise). */
  notes: string[];
}

const EVENT_TYPES = new Set<string>(['START', 'END', 'RECORD_GENERATION']);
const STATUSES = new Set<string>([
  'COMPLETED',
  'WAITING_FOR_END',
  'TO_BE_BUILT',
  'ERROR',
  'NO_FILES_FOUND',
  'NO_RESERVATION',
  'NO_CONSENT',
]);

function required(value: string | null, field: string, where: string, errors: FieldError[]): string {
  if (value === null || value === '') errors.push({ field: `${where}.${field}`, message: 'is empty' });
  return value ?? '';
}

export async function importNexusLims(
  trx: Db,
  actor: Actor,
  contents: NexusLimsContents,
  dataRoot: string,
): Promise<NexusLimsImportReport> {
  if (!isStaffOrAdmin(actor)) throw new Forbidden('Only staff and admins import instruments and sessions');
  const errors: FieldError[] = [];
  const notes = new Set<string>();
  const instruments: repo.InstrumentRow[] = contents.instruments.map((source) => {
    const where = `instruments[${source.instrument_pid ?? '?'}]`;
    const filestorePath = required(source.filestore_path, 'filestore_path', where, errors);
    if (filestorePath !== '' && resolveInsideRoot(dataRoot, filestorePath) === null) {
      errors.push({ field: `${where}.filestore_path`, message: 'lies outside the instrument data root' });
    }
    const timezone = source.timezone ?? 'America/New_York';
    if (!isTimeZone(timezone))
      errors.push({ field: `${where}.timezone`, message: 'is not an IANA time zone' });
    let harvester: Harvester | null = null;
    if (source.harvester === 'nemo' || source.harvester === 'api') harvester = source.harvester;
    else if (source.harvester !== null) notes.add(`harvester ${source.harvester} imported as none`);
    return {
      instrument_pid: required(source.instrument_pid, 'instrument_pid', where, errors),
      api_url: required(source.api_url, 'api_url', where, errors),
      calendar_name: source.calendar_name ?? '',
      calendar_url: source.calendar_url ?? '',
      location: source.location ?? '',
      schema_name: source.schema_name ?? source.instrument_pid ?? '',
      property_tag: source.property_tag ?? '',
      filestore_path: filestorePath,
      computer_name: source.computer_name,
      computer_ip: source.computer_ip,
      computer_mount: source.computer_mount,
      harvester,
      timezone,
    };
  });
  const existing = new Set((await repo.listInstruments(trx)).map((row) => row.instrument_pid));
  const known = new Set([...existing, ...instruments.map((row) => row.instrument_pid)]);
  for (const row of instruments.filter((candidate) => !existing.has(candidate.instrument_pid))) {
    for (const column of ['api_url', 'computer_name', 'computer_ip'] as const) {
      const value = row[column];
      if (
        value !== null &&
        (await repo.findInstrumentsWith(trx, column, value, row.instrument_pid)).length > 0
      ) {
        errors.push({
          field: `instruments[${row.instrument_pid}].${column}`,
          message: 'another instrument has it',
        });
      }
    }
  }
  const rows = contents.sessionLog.map((source) => {
    const where = `session_log[${source.id_session_log}]`;
    let status = source.record_status ?? 'WAITING_FOR_END';
    if (status === 'BUILT_NOT_EXPORTED') {
      notes.add('record status BUILT_NOT_EXPORTED imported as COMPLETED');
      status = 'COMPLETED';
    }
    if (!STATUSES.has(status)) errors.push({ field: `${where}.record_status`, message: `is ${status}` });
    if (!EVENT_TYPES.has(source.event_type ?? '')) {
      errors.push({ field: `${where}.event_type`, message: `is ${source.event_type}` });
    }
    const instrument = required(source.instrument, 'instrument', where, errors);
    if (instrument !== '' && !known.has(instrument)) {
      errors.push({ field: `${where}.instrument`, message: `names no instrument (${instrument})` });
    }
    return {
      session_identifier: required(source.session_identifier, 'session_identifier', where, errors),
      instrument,
      timestamp: required(source.timestamp, 'timestamp', where, errors),
      event_type: source.event_type as EventType,
      record_status: status as RecordStatus,
      user: source.user,
    };
  });
  if (errors.length > 0) {
    throw new Invalid(
      `The NexusLIMS file cannot be imported: ${errors
        .slice(0, 20)
        .map((error) => `${error.field} ${error.message}`)
        .join('; ')}`,
      errors.slice(0, 100),
    );
  }

  const changes: Change[] = [];
  const added = instruments.filter((row) => !existing.has(row.instrument_pid));
  for (const row of added) {
    await repo.insertInstrument(trx, row);
    changes.push({ action: 'create', entityType: 'instrument', entityId: row.instrument_pid, after: row });
  }
  const logged = await repo.listLoggedEventKeys(
    trx,
    rows.map((row) => row.session_identifier),
  );
  const fresh = rows.filter((row) => {
    const key = repo.loggedEventKey(row);
    if (logged.has(key)) return false;
    logged.add(key);
    return true;
  });
  for (let start = 0; start < fresh.length; start += 500) {
    await repo.insertSessionLog(trx, fresh.slice(start, start + 500));
  }
  const sessions = new Map<string, string>();
  for (const row of fresh) sessions.set(row.session_identifier, row.instrument);
  for (const [sessionIdentifier, instrument] of sessions) {
    changes.push({
      action: 'create',
      entityType: 'session',
      entityId: sessionIdentifier,
      after: { instrument, importedFrom: 'NexusLIMS' },
    });
  }
  await recordChanges(trx, actor, changes);
  return {
    instrumentsAdded: added.length,
    instrumentsKept: instruments.length - added.length,
    rowsAdded: fresh.length,
    rowsKept: rows.length - fresh.length,
    notes: [...notes],
  };
}
