/**
 * Creating items (bionet bioDB's new entries): one at a time, in bulk, and the insert of a batch that the item
 * rules (item-rules.ts) have checked, which the imports use so that what they checked in their dry run is
 * what they insert. Every item gets a human id from a counter (miscDB) in its create transaction, physicals
 * their place in the hierarchy index (a materialized path), and every item an audit event in the same
 * transaction.
 */
import type { Db } from '../../db/database.js';
import { BulkInvalid, DomainError, Invalid, type FieldError } from '../../errors/catalogue.js';
import type { Actor } from '../accounts/actor.js';
import { recordChanges, type Change } from '../audit/audit.service.js';
import { bumpCounter } from './counters.repository.js';
import type { CreateItem, Item } from './inventory.schema.js';
import type { ItemClass } from './inventory.tables.js';
import { translateUniqueViolation } from './item-conflicts.js';
import { childPath, pathKey } from './item-paths.js';
import {
  checkItems,
  type CheckedItems,
  type CheckItemsOptions,
  type ItemCandidate,
  type ItemProblem,
  type PlannedItem,
} from './item-rules.js';
import { auditView, toOneItem } from './item-views.js';
import * as repo from './items.repository.js';

/** Rows per multi-row INSERT: 500 items × 20 columns stays under SQLite's parameter limit. */
const INSERT_BATCH = 500;
/**
 * Items per step of a large insert: two multi-row INSERTs. Small steps keep the objects of a step (insert
 * parameters, audit views) short-lived, so that the young generation's collections find them dead instead
 * of copying them (the sizes tried: bench/README.md, Decisions).
 */
const CREATE_CHUNK = 1000;
const MAX_BULK_ERRORS = 200;
const COUNTERS: Record<ItemClass, { name: string; prefix: string }> = {
  physical: { name: 'items.physical', prefix: 'P' },
  virtual: { name: 'items.virtual', prefix: 'V' },
};

/** `P-000123` / `V-000045`. */
export function formatHumanId(itemClass: ItemClass, value: number): string {
  return `${COUNTERS[itemClass].prefix}-${String(value).padStart(6, '0')}`;
}

/**
 * A create input as other modules may give it: the HTTP body's shape plus the owning project (samples are
 * items owned by a project). Only services set `projectId`; the HTTP schema does not accept it.
 */
export type OwnedCreateItem = CreateItem & { projectId?: string | null };

/** An imported item's identity and stamps in the system it came from, kept instead of new ones. */
export interface ItemOrigin {
  id: string;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

export interface InsertOptions {
  /** By input index: ids and stamps to keep (items that come from elsewhere, e.g. bionet JSON). */
  origins?: readonly (ItemOrigin | undefined)[] | undefined;
  /** Called before each step of up to 1,000 items with the number inserted so far (progress, cancelling). */
  beforeStep?: ((done: number) => Promise<void>) | undefined;
}

/** Reserves human ids (one counter bump per class), places physicals in the path index, inserts in batches, audits. */
async function insertPlanned(trx: Db, actor: Actor, planned: readonly PlannedItem[]): Promise<void> {
  for (const itemClass of ['physical', 'virtual'] as const) {
    const ofClass = planned.filter((item) => item.row.class === itemClass);
    if (ofClass.length === 0) continue;
    const last = await bumpCounter(trx, COUNTERS[itemClass].name, ofClass.length);
    ofClass.forEach((item, offset) => {
      const value = last - ofClass.length + 1 + offset;
      item.row.human_id = formatHumanId(itemClass, value);
      if (itemClass !== 'physical') return;
      if (item.row.parent_id !== null && item.parentPath === null)
        throw new Error(`parent ${item.row.parent_id} has no path in the hierarchy index`);
      item.row.path = childPath(item.parentPath, pathKey(value));
    });
  }
  for (let start = 0; start < planned.length; start += INSERT_BATCH) {
    const batch = planned.slice(start, start + INSERT_BATCH);
    try {
      await repo.insertItems(
        trx,
        batch.map((item) => item.row),
      );
    } catch (error) {
      throw translateUniqueViolation(error);
    }
    await recordChanges(
      trx,
      actor,
      batch.map((item): Change => ({
        action: 'create',
        entityType: 'item',
        entityId: item.row.id,
        projectId: item.row.project_id,
        after: auditView(item.row),
      })),
    );
  }
}

/**
 * Inserts a batch that `checkItems` checked in this transaction and found no problem with, in waves (the
 * inputs whose parent and virtual exist, then the inputs inside those, …) so that a parent of the batch
 * exists, with its id and path, before what it holds. A unique index refusing a row (a concurrent writer
 * took the slot or barcode since the check) is a 409. Returns the new ids in input order.
 */
export async function insertCheckedItems(
  trx: Db,
  actor: Actor,
  checked: CheckedItems,
  options: InsertOptions = {},
): Promise<{ id: string; humanId: string }[]> {
  if (checked.problems.length > 0) throw new Error('a batch with problems cannot be inserted');
  const planned = checked.planned.map((item, index) => {
    if (item === null) throw new Error(`input ${index} of a checked batch has no plan`);
    return item;
  });
  keepOrigins(planned, options.origins);
  const waves: PlannedItem[][] = [];
  for (const item of planned) (waves[item.wave] ??= []).push(item);
  let done = 0;
  for (const wave of waves) {
    if (wave === undefined) continue;
    for (let start = 0; start < wave.length; start += CREATE_CHUNK) {
      await options.beforeStep?.(done);
      const step = wave.slice(start, start + CREATE_CHUNK);
      for (const item of step) {
        const parent = item.parentInput === null ? undefined : planned[item.parentInput];
        if (parent !== undefined) {
          item.row.parent_id = parent.row.id;
          item.parentPath = parent.row.path;
        }
        const virtual = item.virtualInput === null ? undefined : planned[item.virtualInput];
        if (virtual !== undefined) item.row.virtual_id = virtual.row.id;
      }
      await insertPlanned(trx, actor, step);
      done += step.length;
    }
  }
  return planned.map((item) => ({ id: item.row.id, humanId: item.row.human_id }));
}

/** Gives planned items the ids and stamps they had where they came from. */
function keepOrigins(planned: PlannedItem[], origins: readonly (ItemOrigin | undefined)[] | undefined): void {
  origins?.forEach((origin, index) => {
    const item = planned[index];
    if (origin === undefined || item === undefined) return;
    Object.assign(item.row, {
      id: origin.id,
      created_at: origin.createdAt,
      created_by: origin.createdBy,
      updated_at: origin.updatedAt,
      updated_by: origin.updatedBy,
    });
  });
}

/**
 * Creates one item (any signed-in user): 404 for a parent that does not exist or the actor may not see, 403
 * for one they may only read, 422 naming the field for bad input, 409 for a taken slot or barcode.
 */
export async function createItem(trx: Db, actor: Actor, input: OwnedCreateItem): Promise<Item> {
  const checked = await checkItems(trx, actor, [input]);
  const { problems } = checked;
  const refused = (problem: ItemProblem | undefined) => {
    if (problem?.refusal === undefined) return;
    const { field, message, refusal } = problem;
    throw new DomainError(refusal.code, message, [{ field, message }]);
  };
  // The parent's access first: nothing else about it is for those who may not use it.
  refused(problems.find((problem) => problem.refusal !== undefined && problem.refusal.status !== 409));
  const invalid = problems.filter((problem) => problem.refusal === undefined);
  if (invalid.length > 0) {
    throw new Invalid(
      `The item is not valid: ${invalid.map((problem) => `${problem.field} ${problem.message}`).join('; ')}`,
      invalid.map(({ field, message }) => ({ field, message })),
    );
  }
  refused(problems[0]);
  const [planned] = checked.planned;
  if (planned === undefined || planned === null) throw new Error('checkItems lost the item');
  await insertCheckedItems(trx, actor, checked);
  return toOneItem(trx, actor, { ...planned.row, type_name: planned.typeName });
}

/** A checked batch's problems as the bulk create's 422: up to 200, as `items.<index>.<field>`. */
function bulkInvalid(problems: readonly ItemProblem[], count: number): BulkInvalid {
  const rows = new Set(problems.map((problem) => problem.index)).size;
  const errors: FieldError[] = problems
    .slice(0, MAX_BULK_ERRORS)
    .map((problem) => ({ field: `items.${problem.index}.${problem.field}`, message: problem.message }));
  return new BulkInvalid(
    `${rows} of ${count} items are not valid; nothing was created (first: ${errors[0]?.field} ${errors[0]?.message})`,
    errors,
  );
}

/**
 * Creates many items at once (samples, the demo, anything that has its inputs in hand): checks every input
 * by the item rules first (a 422 lists up to 200 problems as `items.<index>.<field>`, and nothing is
 * written), then inserts them as `insertCheckedItems` does. A parent or virtual may be another input
 * (`{ input: n }`). Returns the new ids in input order. `origins` keep an imported item's id and stamps; the
 * caller checks that the ids are free and fit the class.
 */
export async function createItemsInBulk(
  trx: Db,
  actor: Actor,
  inputs: readonly ItemCandidate[],
  options: InsertOptions & Pick<CheckItemsOptions, 'types'> = {},
): Promise<{ id: string; humanId: string }[]> {
  if (inputs.length === 0) return [];
  const checked = await checkItems(trx, actor, inputs, { types: options.types });
  if (checked.problems.length > 0) throw bulkInvalid(checked.problems, inputs.length);
  return insertCheckedItems(trx, actor, checked, options);
}
