/**
 * Changing items: an item's name, description, fields, flags, virtual and barcode (its place changes by
 * moving: hierarchy.service.ts), soft deletion and restoring. Every change is checked by the item rules,
 * needs write access to what owns the item, and is audited in the same transaction.
 */
import type { Db } from '../../db/database.js';
import { nowIso, toFlag } from '../../db/columns.js';
import {
  BarcodeTaken,
  ContainerNotEmpty,
  Forbidden,
  Invalid,
  NotDeleted,
  NotFound,
  ParentDeleted,
  SlotOccupied,
  VirtualDeleted,
  VirtualHasPhysicals,
  type FieldError,
} from '../../errors/catalogue.js';
import { isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import { recordChange } from '../audit/audit.service.js';
import { validateFieldValues } from './field-values.js';
import type { Item, UpdateItem } from './inventory.schema.js';
import { assertItemAccess, ProjectAccess, RESTRICTED } from './item-access.js';
import { translateUniqueViolation } from './item-conflicts.js';
import { lengthProblem, MAX_BARCODE } from './item-limits.js';
import {
  nonEmpty,
  physicalOnlyProblem,
  requiredVirtualProblem,
  textProblems,
  virtualProblem,
} from './item-rules.js';
import { auditView, toOneItem } from './item-views.js';
import * as repo from './items.repository.js';
import { requireLiveItem } from './items.service.js';
import { slotTakenMessage } from './placement.js';
import { typesById } from './types.service.js';

/**
 * Changes an item's name, description, fields (merged; null removes a value), and for physicals hidden,
 * virtualId and barcode. The merged fields are validated against the type; the type and place do not change
 * here (places change by moving).
 */
export async function updateItem(trx: Db, actor: Actor, id: string, changes: UpdateItem): Promise<Item> {
  const current = await requireLiveItem(trx, id, 'update');
  await assertItemAccess(trx, actor, current, 'write');
  const type = (await typesById(trx, [current.type_id])).get(current.type_id);
  if (!type) throw new Error(`item ${id} has a type that does not exist`);
  const name = changes.name?.trim() ?? current.name;
  const errors: FieldError[] = textProblems(name, changes.description ?? current.description);
  let fields = current.fields;
  if (changes.fields !== undefined) {
    const merged = { ...(JSON.parse(current.fields) as Record<string, unknown>), ...changes.fields };
    const validation = validateFieldValues(type.fields, merged);
    errors.push(...validation.errors);
    fields = JSON.stringify(validation.values);
  }
  const physicalOnly = { hidden: changes.hidden, virtualId: changes.virtualId, barcode: changes.barcode };
  if (current.class === 'virtual') {
    for (const [field, value] of Object.entries(physicalOnly)) {
      if (value !== undefined)
        errors.push({ field, message: physicalOnlyProblem(type.name, field as keyof typeof physicalOnly) });
    }
  }
  const virtualId = changes.virtualId === undefined ? current.virtual_id : nonEmpty(changes.virtualId);
  if (current.class === 'physical' && changes.virtualId !== undefined) {
    if (virtualId === null) {
      if (type.requiresVirtual)
        errors.push({ field: 'virtualId', message: requiredVirtualProblem(type.name) });
    } else {
      const virtualError = virtualProblem(await repo.findItem(trx, virtualId, 'share'), virtualId);
      if (virtualError !== null) errors.push({ field: 'virtualId', message: virtualError });
    }
  }
  const barcode = changes.barcode === undefined ? current.barcode : nonEmpty(changes.barcode);
  const barcodeTooLong = barcode === null ? null : lengthProblem(barcode, MAX_BARCODE);
  if (barcodeTooLong !== null) errors.push({ field: 'barcode', message: barcodeTooLong });
  if (errors.length > 0) {
    throw new Invalid(
      `The change is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      errors,
    );
  }
  if (barcode !== null && barcode !== current.barcode) {
    const holder = await repo.findLiveItemByBarcode(trx, barcode);
    if (holder && holder.id !== id) {
      const access = await ProjectAccess.load(trx, actor, [holder.project_id]);
      throw new BarcodeTaken(`barcode ${barcode} is already on ${access.humanIdOf(holder)}`);
    }
  }
  const update = {
    name,
    description: changes.description ?? current.description,
    fields,
    hidden: changes.hidden === undefined ? current.hidden : toFlag(changes.hidden),
    virtual_id: virtualId,
    barcode,
    updated_at: nowIso(),
    updated_by: actor.id,
  };
  return writeItemChange(trx, actor, current, update, 'update');
}

/**
 * The tail of an update or a restore: writes the changed columns (a unique index refusing them is a 409),
 * audits the item before and after (a restore's "before" is nothing, as for a create), answers the item.
 */
async function writeItemChange(
  trx: Db,
  actor: Actor,
  current: repo.ItemWithTypeRow,
  update: Partial<repo.ItemRow>,
  action: 'update' | 'restore',
): Promise<Item> {
  try {
    await repo.updateItem(trx, current.id, update);
  } catch (error) {
    throw translateUniqueViolation(error);
  }
  const { type_name: typeName, grid_rows: _rows, grid_columns: _columns, ...before } = current;
  const after = { ...before, ...update };
  await recordChange(trx, actor, {
    action,
    entityType: 'item',
    entityId: current.id,
    projectId: current.project_id,
    before: action === 'restore' ? null : auditView(before),
    after: auditView(after),
  });
  return toOneItem(trx, actor, { ...after, type_name: typeName });
}

function requireDeleter(actor: Actor, item: repo.ItemRow): void {
  if (item.created_by !== actor.id && !isStaffOrAdmin(actor)) {
    throw new Forbidden(
      `Only the creator of ${item.human_id}, staff or administrators may delete or restore it`,
    );
  }
}

/**
 * How many items there are, as a message may say it to the actor (`3`, `3 + (restricted)`, `(restricted)`:
 * items they may not see are not counted), or null for none; from counts by owning project.
 */
async function countVisibly(
  db: Db,
  actor: Actor,
  counts: readonly { project_id: string | null; n: number }[],
): Promise<string | null> {
  const access = await ProjectAccess.load(
    db,
    actor,
    counts.map((count) => count.project_id),
  );
  let visible = 0;
  let restricted = false;
  for (const count of counts) {
    if (!access.maySee(count.project_id)) restricted = true;
    else visible += count.n;
  }
  if (!restricted) return visible === 0 ? null : String(visible);
  return visible === 0 ? RESTRICTED : `${visible} + ${RESTRICTED}`;
}

/**
 * Soft-deletes an item (its creator, staff, admins). Refused (409) for a virtual with live physical
 * instances and for a container that still holds live items.
 */
export async function deleteItem(trx: Db, actor: Actor, id: string): Promise<void> {
  const current = await requireLiveItem(trx, id, 'update');
  await assertItemAccess(trx, actor, current, 'write');
  requireDeleter(actor, current);
  if (current.class === 'virtual') {
    const instances = await countVisibly(trx, actor, await repo.countLiveInstances(trx, id));
    if (instances !== null) {
      throw new VirtualHasPhysicals(
        `${current.human_id} has ${instances} physical instance(s); delete them or link them elsewhere first`,
      );
    }
  } else {
    const children = await countVisibly(trx, actor, await repo.countLiveChildren(trx, id));
    if (children !== null) {
      throw new ContainerNotEmpty(
        `${current.human_id} still holds ${children} item(s); move or delete them first`,
      );
    }
  }
  const now = nowIso();
  await repo.updateItem(trx, id, {
    deleted_at: now,
    deleted_by: actor.id,
    updated_at: now,
    updated_by: actor.id,
  });
  const { type_name: _name, grid_rows: _rows, grid_columns: _columns, ...before } = current;
  await recordChange(trx, actor, {
    action: 'delete',
    entityType: 'item',
    entityId: id,
    projectId: current.project_id,
    before: auditView(before),
    after: null,
  });
}

/**
 * Restores a soft-deleted item (its creator, staff, admins) in its old place. Refused (409) when that place
 * is gone or taken meanwhile: a deleted parent or virtual, an occupied slot, a barcode now on another item.
 */
export async function restoreItem(trx: Db, actor: Actor, id: string): Promise<Item> {
  const current = await repo.findItem(trx, id, 'update');
  if (!current) throw new NotFound('Item', id);
  // Access first: whether a sample is deleted is for those who may change it.
  await assertItemAccess(trx, actor, current, 'write');
  if (current.deleted_at === null) throw new NotDeleted(current.human_id);
  requireDeleter(actor, current);
  if (current.parent_id !== null) {
    // Restoring puts the item back into its old container, which needs the right to put items there.
    const parent = await repo.findItem(trx, current.parent_id, 'share');
    const occupant =
      current.slot === null ? undefined : await repo.findSlotOccupant(trx, current.parent_id, current.slot);
    const access = await ProjectAccess.load(trx, actor, [
      parent?.project_id ?? null,
      occupant?.project_id ?? null,
    ]);
    const container = parent === undefined ? current.parent_id : access.humanIdOf(parent);
    if (parent !== undefined && !access.mayChange(parent.project_id)) {
      throw new Forbidden(
        `${current.human_id} was inside ${container}, where you may not put items; its project's members may restore it`,
      );
    }
    if (!parent || parent.deleted_at !== null) {
      throw new ParentDeleted(
        `${current.human_id} was inside ${container}, which is deleted; restore that first`,
      );
    }
    if (occupant && current.slot !== null)
      throw new SlotOccupied(slotTakenMessage(parent, current.slot, access.humanIdOf(occupant)));
  }
  if (current.virtual_id !== null) {
    const virtual = await repo.findItem(trx, current.virtual_id, 'share');
    if (!virtual || virtual.deleted_at !== null) {
      throw new VirtualDeleted(
        `${current.human_id} is an instance of ${virtual?.human_id ?? current.virtual_id}, which is deleted; restore that first`,
      );
    }
  }
  if (current.barcode !== null) {
    const holder = await repo.findLiveItemByBarcode(trx, current.barcode);
    if (holder) {
      const access = await ProjectAccess.load(trx, actor, [holder.project_id]);
      throw new BarcodeTaken(`barcode ${current.barcode} is now on ${access.humanIdOf(holder)}`);
    }
  }
  const update = { deleted_at: null, deleted_by: null, updated_at: nowIso(), updated_by: actor.id };
  return writeItemChange(trx, actor, current, update, 'restore');
}
