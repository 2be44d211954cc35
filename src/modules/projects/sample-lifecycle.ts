/**
 * The sample lifecycle (seed: lims-hpc Samples' status; spec §2): which statuses follow which, what a new
 * sample may start as, and what putting it into a storage slot does. Kept apart from samples.service.ts,
 * which builds on the inventory, so that the inventory's moves can apply the placement rule too.
 */
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/columns.js';
import type { Actor } from '../accounts/actor.js';
import { recordChange } from '../audit/audit.service.js';
import type { SampleStatus } from './projects.tables.js';
import * as repo from './samples.repository.js';

/**
 * The lifecycle: registered → received → stored ⇄ in analysis → consumed or disposed. A sample can be
 * disposed of from any live state; consumed and disposed are final.
 */
const allowedTransitions: Record<SampleStatus, readonly SampleStatus[]> = {
  registered: ['received', 'disposed'],
  received: ['stored', 'in_analysis', 'disposed'],
  stored: ['in_analysis', 'consumed', 'disposed'],
  in_analysis: ['stored', 'consumed', 'disposed'],
  consumed: [],
  disposed: [],
};

export function canTransition(from: SampleStatus, to: SampleStatus): boolean {
  return allowedTransitions[from].includes(to);
}

/**
 * Why a new sample may not start in `status`, or null when it may: consumed and disposed are final, and a
 * stored sample needs a location. Shared with the CSV importer's dry run.
 */
export function initialStatusProblem(status: SampleStatus, hasLocation: boolean): string | null {
  if (status === 'consumed' || status === 'disposed') return `a new sample cannot start ${status}`;
  if (status === 'stored' && !hasLocation) return 'a stored sample needs a location (parent)';
  return null;
}

/** Statuses a sample leaves for `stored` when it is put into a storage slot: it has not been used yet. */
const STORED_ONCE_IN_A_SLOT: readonly SampleStatus[] = ['registered', 'received'];

/**
 * The status of a sample once it is where it is now: a registered or received sample in a grid slot is
 * stored, as a lab would say; anywhere else (no place, a container without a slot) it keeps its status.
 */
export function statusInPlace(status: SampleStatus, inSlot: boolean): SampleStatus {
  return inSlot && STORED_ONCE_IN_A_SLOT.includes(status) ? 'stored' : status;
}

/**
 * After an item was moved into a slot: if it is a registered or received sample, it is stored now, audited
 * in the caller's transaction. Items that are not samples are left alone.
 */
export async function storeSampleMovedIntoSlot(trx: Db, actor: Actor, itemId: string): Promise<void> {
  const before = await repo.findSample(trx, itemId);
  if (before === undefined) return;
  const status = statusInPlace(before.status, true);
  if (status === before.status) return;
  const update = { status, updated_at: nowIso() };
  await repo.updateSample(trx, itemId, update);
  await recordChange(trx, actor, {
    action: 'update',
    entityType: 'sample',
    entityId: itemId,
    projectId: before.project_id,
    before,
    after: { ...before, ...update },
  });
}
