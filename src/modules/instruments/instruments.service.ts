/**
 * Instruments (seed: NexusLIMS `instruments`): the facility's instruments, where each writes its data and how
 * its sessions arrive. Staff and admins register and change them; every signed-in user reads them.
 */
import type { Db } from '../../db/database.js';
import { uniqueViolation } from '../../db/constraint-errors.js';
import { Conflict, Forbidden, Invalid, NotFound, type FieldError } from '../../errors/catalogue.js';
import { isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import { recordChange } from '../audit/audit.service.js';
import { isTimeZone, resolveInsideRoot } from './instrument-rules.js';
import * as repo from './instruments.repository.js';
import type { CreateInstrument, Instrument, UpdateInstrument } from './instruments.schema.js';

export function toInstrument(row: repo.InstrumentRow): Instrument {
  return {
    pid: row.instrument_pid,
    apiUrl: row.api_url,
    calendarName: row.calendar_name,
    calendarUrl: row.calendar_url,
    location: row.location,
    schemaName: row.schema_name,
    propertyTag: row.property_tag,
    filestorePath: row.filestore_path,
    computerName: row.computer_name,
    computerIp: row.computer_ip,
    computerMount: row.computer_mount,
    harvester: row.harvester,
    timezone: row.timezone,
  };
}

function requireStaff(actor: Actor): void {
  if (!isStaffOrAdmin(actor)) throw new Forbidden('Only staff and admins register and change instruments');
}

/** Every problem of the settings given, each naming its field. */
function checkSettings(dataRoot: string, input: UpdateInstrument): FieldError[] {
  const errors: FieldError[] = [];
  if (input.filestorePath !== undefined && resolveInsideRoot(dataRoot, input.filestorePath) === null) {
    errors.push({ field: 'filestorePath', message: 'lies outside the instrument data root' });
  }
  if (input.timezone !== undefined && !isTimeZone(input.timezone)) {
    errors.push({
      field: 'timezone',
      message: 'is not an IANA time zone (America/New_York, Europe/Paris, UTC…)',
    });
  }
  return errors;
}

function requireValid(dataRoot: string, input: UpdateInstrument): void {
  const errors = checkSettings(dataRoot, input);
  if (errors.length > 0) {
    throw new Invalid(
      `The instrument is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      errors,
    );
  }
}

const UNIQUE_FIELDS = [
  ['apiUrl', 'api_url'],
  ['computerName', 'computer_name'],
  ['computerIp', 'computer_ip'],
] as const;

/** 409 naming the field when another instrument already has one of the unique values. */
async function requireFreeValues(db: Db, input: UpdateInstrument, exceptPid: string | null): Promise<void> {
  for (const [field, column] of UNIQUE_FIELDS) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    const taken = await repo.findInstrumentsWith(db, column, value, exceptPid);
    if (taken.length > 0) {
      throw new Conflict(`Instrument ${taken[0]!.instrument_pid} already has this ${field}`, [
        { field, message: 'is taken' },
      ]);
    }
  }
}

async function writeUnique(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (uniqueViolation(error) === null) throw error;
    throw new Conflict('Another instrument has the same PID, API URL, computer name or address');
  }
}

/** Registers an instrument (staff); audited. */
export async function createInstrument(
  trx: Db,
  actor: Actor,
  input: CreateInstrument,
  dataRoot: string,
): Promise<Instrument> {
  requireStaff(actor);
  requireValid(dataRoot, input);
  if (await repo.findInstrument(trx, input.pid)) {
    throw new Conflict(`There is already an instrument ${input.pid}`, [
      { field: 'pid', message: 'is taken' },
    ]);
  }
  await requireFreeValues(trx, input, null);
  const row: repo.InstrumentRow = {
    instrument_pid: input.pid,
    api_url: input.apiUrl,
    calendar_name: input.calendarName,
    calendar_url: input.calendarUrl,
    location: input.location,
    schema_name: input.schemaName,
    property_tag: input.propertyTag,
    filestore_path: input.filestorePath,
    computer_name: input.computerName ?? null,
    computer_ip: input.computerIp ?? null,
    computer_mount: input.computerMount ?? null,
    harvester: input.harvester ?? null,
    timezone: input.timezone ?? 'America/New_York',
  };
  await writeUnique(() => repo.insertInstrument(trx, row));
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'instrument',
    entityId: row.instrument_pid,
    after: row,
  });
  return toInstrument(row);
}

/** Every instrument, by PID, for any signed-in user. */
export async function listInstruments(db: Db): Promise<Instrument[]> {
  return (await repo.listInstruments(db)).map(toInstrument);
}

/** One instrument; NotFound when there is none with this PID. */
export async function getInstrument(db: Db, pid: string): Promise<Instrument> {
  const row = await repo.findInstrument(db, pid);
  if (!row) throw new NotFound('Instrument', pid);
  return toInstrument(row);
}

/** Changes an instrument's settings (staff); audited. Its PID stays. */
export async function updateInstrument(
  trx: Db,
  actor: Actor,
  pid: string,
  changes: UpdateInstrument,
  dataRoot: string,
): Promise<Instrument> {
  requireStaff(actor);
  const current = await repo.findInstrument(trx, pid);
  if (!current) throw new NotFound('Instrument', pid);
  requireValid(dataRoot, changes);
  await requireFreeValues(trx, changes, pid);
  const update = {
    ...(changes.apiUrl !== undefined && { api_url: changes.apiUrl }),
    ...(changes.calendarName !== undefined && { calendar_name: changes.calendarName }),
    ...(changes.calendarUrl !== undefined && { calendar_url: changes.calendarUrl }),
    ...(changes.location !== undefined && { location: changes.location }),
    ...(changes.schemaName !== undefined && { schema_name: changes.schemaName }),
    ...(changes.propertyTag !== undefined && { property_tag: changes.propertyTag }),
    ...(changes.filestorePath !== undefined && { filestore_path: changes.filestorePath }),
    ...(changes.computerName !== undefined && { computer_name: changes.computerName }),
    ...(changes.computerIp !== undefined && { computer_ip: changes.computerIp }),
    ...(changes.computerMount !== undefined && { computer_mount: changes.computerMount }),
    ...(changes.harvester !== undefined && { harvester: changes.harvester }),
    ...(changes.timezone !== undefined && { timezone: changes.timezone }),
  };
  await writeUnique(() => repo.updateInstrument(trx, pid, update));
  const after = { ...current, ...update };
  await recordChange(trx, actor, {
    action: 'update',
    entityType: 'instrument',
    entityId: pid,
    before: current,
    after,
  });
  return toInstrument(after);
}
