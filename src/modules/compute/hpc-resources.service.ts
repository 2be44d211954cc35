/**
 * HPC resources (seed: lims-hpc HPCResources): the local machine and the Slurm clusters that run analysis
 * jobs. Admins register and change them; every signed-in user reads them. A resource's status is what an
 * admin set, except that a resource whose agent has stopped sending heartbeats is answered as offline: the
 * agent's silence is read from its last heartbeat at each read, so no task has to notice it and write it down.
 */
import type { Db } from '../../db/database.js';
import { newId, nowIso } from '../../db/columns.js';
import { uniqueViolation } from '../../db/constraint-errors.js';
import { decodeCursor, encodeCursor, fetchPage, type Page } from '../../db/paging.js';
import { Conflict, Forbidden, Invalid, NotFound, type FieldError } from '../../errors/catalogue.js';
import { isAdmin, type Actor } from '../accounts/actor.js';
import { recordChange } from '../audit/audit.service.js';
import * as repo from './compute.repository.js';
import { isMemorySize, isSlurmName, isSlurmTime, MEMORY_SIZE_RULE, SLURM_TIME_RULE } from './slurm-values.js';
import type {
  CreateHpcResource,
  HpcResource,
  HpcResourceSettings,
  UpdateHpcResource,
} from './compute.schema.js';

/** How long an agent may stay silent before its resource is answered as offline. */
export interface HeartbeatPolicy {
  readonly staleSeconds: number;
}

/** The status a resource is answered with at `now`: offline once its agent's heartbeats are stale. */
function currentStatus(
  row: repo.HpcResourceRow,
  policy: HeartbeatPolicy,
  now: number,
): HpcResource['status'] {
  if (row.agent_heartbeat_at === null) return row.status;
  const silentMs = now - Date.parse(row.agent_heartbeat_at);
  return silentMs > policy.staleSeconds * 1000 ? 'offline' : row.status;
}

function toResource(row: repo.HpcResourceRow, policy: HeartbeatPolicy, now = Date.now()): HpcResource {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type,
    status: currentStatus(row, policy, now),
    settings: JSON.parse(row.settings) as HpcResourceSettings,
    lastHeartbeatAt: row.agent_heartbeat_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What the audit trail keeps of a resource: its columns, with the settings as an object. */
function auditView(row: repo.HpcResourceRow): Record<string, unknown> {
  return { ...row, settings: JSON.parse(row.settings) as HpcResourceSettings };
}

const MAX_CONCURRENT = 100_000;

/** Every problem of a resource's settings, each naming its field (`settings.defaultTime`, …). */
function checkSettings(settings: HpcResourceSettings): FieldError[] {
  const errors: FieldError[] = [];
  const { partition, account, maxConcurrent, defaultTime, defaultMemory } = settings;
  if (partition !== undefined && !isSlurmName(partition)) {
    errors.push({ field: 'settings.partition', message: 'is not a Slurm partition name' });
  }
  if (account !== undefined && !isSlurmName(account)) {
    errors.push({ field: 'settings.account', message: 'is not a Slurm account name' });
  }
  if (
    maxConcurrent !== undefined &&
    (!Number.isInteger(maxConcurrent) || maxConcurrent < 1 || maxConcurrent > MAX_CONCURRENT)
  ) {
    errors.push({
      field: 'settings.maxConcurrent',
      message: `must be a whole number from 1 to ${MAX_CONCURRENT}`,
    });
  }
  if (defaultTime !== undefined && !isSlurmTime(defaultTime)) {
    errors.push({ field: 'settings.defaultTime', message: SLURM_TIME_RULE });
  }
  if (defaultMemory !== undefined && !isMemorySize(defaultMemory)) {
    errors.push({ field: 'settings.defaultMemory', message: MEMORY_SIZE_RULE });
  }
  return errors;
}

function requireValid(name: string | undefined, settings: HpcResourceSettings | undefined): void {
  const errors = settings === undefined ? [] : checkSettings(settings);
  if (name !== undefined && name === '') errors.unshift({ field: 'name', message: 'is empty' });
  if (errors.length > 0) {
    throw new Invalid(
      `The resource is not valid: ${errors.map((error) => `${error.field} ${error.message}`).join('; ')}`,
      errors,
    );
  }
}

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new Forbidden('Only admins register and change HPC resources');
}

function nameTaken(name: string): Conflict {
  return new Conflict(`There is already an HPC resource named ${name}`, [
    { field: 'name', message: 'is taken' },
  ]);
}

async function requireFreeName(db: Db, name: string, exceptId: string | null): Promise<void> {
  const existing = await repo.findResourceByName(db, name);
  if (existing && existing.id !== exceptId) throw nameTaken(name);
}

/** A write that lost a race for a name to another transaction is the same 409 as one that saw it taken. */
async function writeNamed(name: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw uniqueViolation(error) === null ? error : nameTaken(name);
  }
}

/** Registers a resource (admins); audited. A new resource is online unless the admin says otherwise. */
export async function createResource(
  trx: Db,
  actor: Actor,
  input: CreateHpcResource,
  policy: HeartbeatPolicy,
): Promise<HpcResource> {
  requireAdmin(actor);
  const name = input.name.trim();
  requireValid(name, input.settings);
  await requireFreeName(trx, name, null);
  const now = nowIso();
  const row: repo.HpcResourceRow = {
    id: newId(),
    name,
    description: input.description ?? '',
    type: input.type,
    status: input.status ?? 'online',
    settings: JSON.stringify(input.settings ?? {}),
    agent_heartbeat_at: null,
    created_at: now,
    created_by: actor.id,
    updated_at: now,
    updated_by: actor.id,
  };
  await writeNamed(name, () => repo.insertResource(trx, row));
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'hpc_resource',
    entityId: row.id,
    after: auditView(row),
  });
  return toResource(row, policy);
}

/** One resource, for any signed-in user. */
export async function getResource(db: Db, id: string, policy: HeartbeatPolicy): Promise<HpcResource> {
  const row = await repo.findResource(db, id);
  if (!row) throw new NotFound('HPC resource', id);
  return toResource(row, policy);
}

/** Every resource, by name, paged by cursor, for any signed-in user. */
export async function listResources(
  db: Db,
  query: { limit: number; cursor?: string | undefined },
  policy: HeartbeatPolicy,
): Promise<Page<HpcResource>> {
  const after = decodeCursor(query.cursor);
  const page = await fetchPage(
    query.limit,
    (limit) => repo.listResources(db, after, limit),
    (row) => encodeCursor({ value: row.name, id: row.id }),
  );
  const now = Date.now();
  return { items: page.items.map((row) => toResource(row, policy, now)), nextCursor: page.nextCursor };
}

/**
 * Changes a resource's name, description, status or settings (admins); audited. Settings are replaced as a
 * whole. Setting `draining` keeps the resource's jobs running and stops it taking new ones.
 */
export async function updateResource(
  trx: Db,
  actor: Actor,
  id: string,
  changes: UpdateHpcResource,
  policy: HeartbeatPolicy,
): Promise<HpcResource> {
  requireAdmin(actor);
  const current = await repo.findResourceForUpdate(trx, id);
  if (!current) throw new NotFound('HPC resource', id);
  const name = changes.name?.trim();
  requireValid(name, changes.settings);
  if (name !== undefined && name !== current.name) await requireFreeName(trx, name, id);
  const update = {
    ...(name !== undefined && { name }),
    ...(changes.description !== undefined && { description: changes.description }),
    ...(changes.status !== undefined && { status: changes.status }),
    ...(changes.settings !== undefined && { settings: JSON.stringify(changes.settings) }),
    updated_at: nowIso(),
    updated_by: actor.id,
  };
  await writeNamed(name ?? current.name, () => repo.updateResource(trx, id, update));
  const after: repo.HpcResourceRow = { ...current, ...update };
  await recordChange(trx, actor, {
    action: 'update',
    entityType: 'hpc_resource',
    entityId: id,
    before: auditView(current),
    after: auditView(after),
  });
  return toResource(after, policy);
}

/**
 * Notes that the resource's agent is alive at `at` (the agent's routes call it). A heartbeat is not a change
 * anyone made, so it is not audited; it brings a resource answered as offline for silence back to the status
 * its admin set.
 */
export async function recordHeartbeat(trx: Db, resourceId: string, at: Date): Promise<void> {
  const current = await repo.findResourceForUpdate(trx, resourceId);
  if (!current) throw new NotFound('HPC resource', resourceId);
  await repo.updateResource(trx, resourceId, { agent_heartbeat_at: at.toISOString() });
}

/** Every resource, by name (there are few): to choose one for a job and to name them in lists. */
export async function listAllResources(db: Db, policy: HeartbeatPolicy): Promise<HpcResource[]> {
  const now = Date.now();
  return (await repo.listResources(db, null, 10_000)).map((row) => toResource(row, policy, now));
}

/** The resource of this name, as its agent names it; NotFound when there is none. */
export async function getResourceByName(db: Db, name: string, policy: HeartbeatPolicy): Promise<HpcResource> {
  const row = await repo.findResourceByName(db, name);
  if (!row) throw new NotFound('HPC resource', name);
  return toResource(row, policy);
}
