/**
 * Items (bionet bioDB): virtuals (what a thing is: a plasmid, a strain) and physicals (a thing in a place: a
 * tube, a box, a freezer). Every item gets a human-readable id from a counter (miscDB) in its create
 * transaction, has type-specific fields validated against its type on every write, is soft-deleted and
 * restorable, and every change is audited in the same transaction. Physicals get their place in the
 * hierarchy index (indexDB: a materialized path) as they are created; moves live in hierarchy.service.ts.
 */
import { dialectOf, type Db } from '../../db/database.js';
import { JsonText, nowIso, toFlag } from '../../db/columns.js';
import { uniqueViolation } from '../../db/constraint-errors.js';
import {
  BarcodeTaken,
  BulkInvalid,
  ContainerNotEmpty,
  DomainError,
  Forbidden,
  Invalid,
  NotDeleted,
  NotFound,
  ParentDeleted,
  SlotOccupied,
  VirtualDeleted,
  VirtualHasPhysicals,
  type FieldError,
  type ProblemCode,
} from '../../errors/catalogue.js';
import { decodeCursor, toPage, type Page, type PageReader } from '../../db/paging.js';
import { summarizeUsers, type UserSummary } from '../accounts/accounts.service.js';
import { isAdmin, isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import { recordChange, recordChanges, type Change } from '../audit/audit.service.js';
import { bumpCounter } from './counters.repository.js';
import { validateFieldValues, type FieldValues } from './field-values.js';
import { lockHierarchy } from './hierarchy.repository.js';
import { newItemId } from './item-ids.js';
import { childPath, pathKey } from './item-paths.js';
import type { CreateItem, Item, ItemSort, ListItemsQuery, UpdateItem } from './inventory.schema.js';
import type { ItemClass } from './inventory.tables.js';
import {
  assertItemAccess,
  inScope,
  placementRefusal,
  ProjectAccess,
  projectScopeOf,
  RESTRICTED,
} from './item-access.js';
import * as repo from './items.repository.js';
import type { LabelContent } from './labels.js';
import { checkSlot, parentProblem, slotTakenMessage } from './placement.js';
import { resolveType, resolveTypes, typesById, type TypeDefinition } from './types.service.js';

/** Rows per multi-row INSERT: 500 items × 20 columns stays under SQLite's parameter limit. */
const INSERT_BATCH = 500;
const COUNTERS: Record<ItemClass, { name: string; prefix: string }> = {
  physical: { name: 'items.physical', prefix: 'P' },
  virtual: { name: 'items.virtual', prefix: 'V' },
};

/** `P-000123` / `V-000045`. */
export function formatHumanId(itemClass: ItemClass, value: number): string {
  return `${COUNTERS[itemClass].prefix}-${String(value).padStart(6, '0')}`;
}

type ItemRowWithTypeName = repo.ItemRow & { type_name: string };

function stamp(at: string, by: string | null, users: Map<string, UserSummary>) {
  return { at, by: by === null ? null : (users.get(by) ?? { id: by, username: '(unknown)' }) };
}

function toItem(
  row: ItemRowWithTypeName,
  users: Map<string, UserSummary>,
  restrictedParents: ReadonlySet<string>,
): Item {
  return {
    id: row.id,
    humanId: row.human_id,
    class: row.class,
    type: { id: row.type_id, name: row.type_name },
    name: row.name,
    description: row.description,
    fields: JSON.parse(row.fields) as FieldValues,
    hidden: row.hidden === 1,
    virtualId: row.virtual_id,
    barcode: row.barcode,
    parentId: row.parent_id !== null && restrictedParents.has(row.parent_id) ? '' : row.parent_id,
    slot: row.slot,
    projectId: row.project_id,
    created: stamp(row.created_at, row.created_by, users),
    updated: stamp(row.updated_at, row.updated_by, users),
    deletedAt: row.deleted_at,
  };
}

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * The containers of these rows that the actor may not see (other projects' samples): their ids are not
 * shown, as a path or a taken slot does not show them. Containers among the rows themselves are known; the
 * others are looked up in one query (none for admins or top-level rows).
 */
async function findRestrictedParents(
  db: Db,
  actor: Actor,
  rows: readonly ItemRowWithTypeName[],
): Promise<ReadonlySet<string>> {
  if (isAdmin(actor)) return NO_IDS;
  const owners = new Map(rows.map((row) => [row.id, row.project_id]));
  const unknown = rows.flatMap((row) =>
    row.parent_id === null || owners.has(row.parent_id) ? [] : [row.parent_id],
  );
  if (unknown.length > 0) {
    for (const row of await repo.findProjectOwnedItems(db, unknown)) owners.set(row.id, row.project_id);
  }
  const parents = [...new Set(rows.flatMap((row) => row.parent_id ?? []))].filter(
    (id) => (owners.get(id) ?? null) !== null,
  );
  if (parents.length === 0) return NO_IDS;
  const access = await ProjectAccess.load(
    db,
    actor,
    parents.map((id) => owners.get(id) ?? null),
  );
  return new Set(parents.filter((id) => access.of(owners.get(id) ?? null) === 'none'));
}

/**
 * Maps rows to API items as the actor may see them, resolving who created and changed them in one (cached)
 * lookup; a container the actor may not see is given as parentId '' (the restricted stand-in).
 */
export async function toItems(db: Db, actor: Actor, rows: readonly ItemRowWithTypeName[]): Promise<Item[]> {
  const users = await summarizeUsers(
    db,
    rows.flatMap((row) => [row.created_by, row.updated_by]).filter((id): id is string => id !== null),
  );
  const restricted = await findRestrictedParents(db, actor, rows);
  return rows.map((row) => toItem(row, users, restricted));
}

async function toOneItem(db: Db, actor: Actor, row: ItemRowWithTypeName): Promise<Item> {
  const [item] = await toItems(db, actor, [row]);
  return item as Item;
}

/** Nothing in these needs escaping in JSON. */
const PLAIN = /^[\w -]*$/;

/** A string as JSON; ids, human ids and most names and slots are plain and only need their quotes. */
function jsonString(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * The audit view of an item: what describes it, with its field values. The created/updated/deleted stamps
 * are left out (the event itself says who and when) and so are empty values, which keeps the audit rows of a
 * large import small. Made as JSON text around the row's own fields JSON, which is not parsed and written
 * again.
 */
function auditView(row: repo.ItemRow): JsonText {
  // Written out rather than JSON.stringify of a built object, because an import audits every row (bench/README.md,
  // Decisions). It gives the same JSON: these keys, in this order, absent when empty.
  let json = `{"id":${jsonString(row.id)},"human_id":${jsonString(row.human_id)},"class":${jsonString(row.class)},"type_id":${jsonString(row.type_id)},"name":${jsonString(row.name)}`;
  if (row.description !== '') json += `,"description":${jsonString(row.description)}`;
  if (row.hidden === 1) json += ',"hidden":1';
  if (row.virtual_id !== null) json += `,"virtual_id":${jsonString(row.virtual_id)}`;
  if (row.barcode !== null) json += `,"barcode":${jsonString(row.barcode)}`;
  if (row.parent_id !== null) json += `,"parent_id":${jsonString(row.parent_id)}`;
  if (row.slot !== null) json += `,"slot":${jsonString(row.slot)}`;
  if (row.project_id !== null) json += `,"project_id":${jsonString(row.project_id)}`;
  return new JsonText(`${json},"fields":${row.fields}}`);
}

/**
 * A create input as other modules may give it: the HTTP body's shape plus the owning project (samples are
 * items owned by a project). Only services set `projectId`; the HTTP schema does not accept it.
 */
export type OwnedCreateItem = CreateItem & { projectId?: string | null };

/**
 * A problem with one input of a create: bad input (422), unless `refusal` says it is a parent the actor may
 * not use (404, 403) or a conflict (409).
 */
interface Problem {
  index: number;
  field: string;
  message: string;
  refusal?: { status: 403 | 404 | 409; code: ProblemCode };
}

interface PlannedItem {
  row: repo.ItemRow;
  typeName: string;
  /** The parent's materialized path (physicals in a parent). */
  parentPath: string | null;
}

function nonEmpty(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

/**
 * Validates create inputs against their types, parents, virtuals, slots and barcodes with a fixed number of
 * queries for any number of inputs, and builds their rows (human ids still empty).
 */
async function planItems(
  trx: Db,
  actor: Actor,
  inputs: readonly OwnedCreateItem[],
): Promise<{ planned: PlannedItem[]; problems: Problem[] }> {
  const idsOf = (pick: (input: OwnedCreateItem) => string | null | undefined) =>
    inputs.flatMap((input) => nonEmpty(pick(input)) ?? []);
  const types = await resolveTypes(
    trx,
    inputs.map((input) => input.type),
  );
  const parentRows = await repo.findItems(
    trx,
    idsOf((input) => input.parentId),
    'share',
  );
  const parents = new Map(parentRows.map((row) => [row.id, row]));
  const virtualRows = await repo.findItems(
    trx,
    idsOf((input) => input.virtualId),
    'share',
  );
  const virtuals = new Map(virtualRows.map((row) => [row.id, row]));
  const holderRows = await repo.findLiveBarcodeHolders(
    trx,
    idsOf((input) => input.barcode),
  );
  const barcodeHolders = new Map(holderRows.map((row) => [row.barcode, row]));
  const slotParentIds = idsOf((input) => (nonEmpty(input.slot) === null ? null : input.parentId));
  const occupantRows = await repo.findSlotOccupants(trx, slotParentIds);
  const occupants = new Map(occupantRows.map((row) => [`${row.parent_id}\u0000${row.slot}`, row]));
  const access = await ProjectAccess.load(
    trx,
    actor,
    [...parentRows, ...occupantRows, ...holderRows].map((row) => row.project_id),
  );

  const problems: Problem[] = [];
  const planned: PlannedItem[] = [];
  const claimedBarcodes = new Map<string, number>();
  const claimedSlots = new Map<string, number>();
  const now = nowIso();

  inputs.forEach((input, index) => {
    const problem = (field: string, message: string, refusal?: Problem['refusal']) =>
      problems.push({ index, field, message, ...(refusal !== undefined && { refusal }) });
    const conflict = (code: ProblemCode) => ({ status: 409 as const, code });
    const type = types.get(input.type);
    if (!type) {
      problem('type', `unknown type ${input.type}`);
      return;
    }
    const name = input.name.trim();
    if (name === '') problem('name', 'is empty');
    const { values, errors } = validateFieldValues(type.fields, input.fields ?? {});
    for (const error of errors) problem(error.field, error.message);

    const parentId = nonEmpty(input.parentId);
    const rawSlot = nonEmpty(input.slot);
    const virtualId = nonEmpty(input.virtualId);
    const barcode = nonEmpty(input.barcode);
    let slot: string | null = null;

    if (type.itemClass === 'virtual') {
      const notForVirtuals = {
        parentId,
        slot: rawSlot,
        virtualId,
        barcode,
        hidden: input.hidden === true ? true : null,
      };
      for (const [field, value] of Object.entries(notForVirtuals)) {
        if (value !== null)
          problem(field, `a virtual item (${type.name}) has no ${field}; only physicals do`);
      }
    } else {
      if (parentId !== null) {
        const parent = parents.get(parentId);
        const refusal = placementRefusal(access, parentId, parent);
        const parentError = parentProblem(parent, parentId);
        if (refusal !== null) {
          problem('parentId', refusal.message, { status: refusal.status, code: refusal.code });
        } else if (parentError !== null) problem('parentId', parentError);
        else if (parent !== undefined && rawSlot !== null) {
          const checked = checkSlot(parent, rawSlot);
          if (checked.problem !== null) problem('slot', checked.problem);
          else {
            slot = checked.slot;
            const key = `${parent.id}\u0000${slot}`;
            const occupant = occupants.get(key);
            const earlier = claimedSlots.get(key);
            if (occupant) {
              const message = slotTakenMessage(parent, slot, access.humanIdOf(occupant));
              problem('slot', message, conflict('slot_occupied'));
            } else if (earlier !== undefined) {
              const message = `slot ${slot} of ${parent.human_id} is also claimed by row ${earlier}`;
              problem('slot', message, conflict('slot_occupied'));
            } else {
              claimedSlots.set(key, index);
            }
          }
        }
      } else if (rawSlot !== null) {
        problem('slot', 'a slot needs a parentId');
      }
      if (virtualId !== null) {
        const virtual = virtuals.get(virtualId);
        if (virtual === undefined) problem('virtualId', `there is no item ${virtualId}`);
        else if (virtual.deleted_at !== null) problem('virtualId', `${virtual.human_id} is deleted`);
        else if (virtual.class !== 'virtual')
          problem('virtualId', `${virtual.human_id} is not a virtual item`);
      } else if (type.requiresVirtual) {
        problem('virtualId', `is required: every ${type.name} is an instance of a virtual`);
      }
      if (barcode !== null) {
        const holder = barcodeHolders.get(barcode);
        const earlier = claimedBarcodes.get(barcode);
        if (holder)
          problem(
            'barcode',
            `barcode ${barcode} is already on ${access.humanIdOf(holder)}`,
            conflict('barcode_taken'),
          );
        else if (earlier !== undefined)
          problem('barcode', `barcode ${barcode} is also on row ${earlier}`, conflict('barcode_taken'));
        else claimedBarcodes.set(barcode, index);
      }
    }

    planned.push(
      plannedItem(actor, now, input, type, values, {
        name,
        virtualId,
        barcode,
        parentId,
        parentPath: parentId === null ? null : (parents.get(parentId)?.path ?? null),
        slot,
      }),
    );
  });
  return { planned, problems };
}

/** An item to insert (human id and path still empty), from its input and what the checks settled. */
function plannedItem(
  actor: Actor,
  now: string,
  input: OwnedCreateItem,
  type: TypeDefinition,
  values: FieldValues,
  settled: {
    name: string;
    virtualId: string | null;
    barcode: string | null;
    parentId: string | null;
    parentPath: string | null;
    slot: string | null;
  },
): PlannedItem {
  return {
    typeName: type.name,
    parentPath: settled.parentPath,
    row: {
      id: newItemId(type.itemClass),
      class: type.itemClass,
      human_id: '',
      type_id: type.id,
      name: settled.name,
      description: input.description ?? '',
      fields: JSON.stringify(values),
      hidden: toFlag(type.itemClass === 'physical' && input.hidden === true),
      virtual_id: settled.virtualId,
      barcode: settled.barcode,
      parent_id: settled.parentId,
      slot: settled.slot,
      path: null,
      project_id: input.projectId ?? null,
      created_at: now,
      created_by: actor.id,
      updated_at: now,
      updated_by: actor.id,
      deleted_at: null,
      deleted_by: null,
    },
  };
}

/**
 * Builds the rows of inputs that the caller has already checked in this transaction (see
 * `checkedInThisTransaction`): names trimmed, field values valid and typed, slots canonical and free, parents
 * live physicals, barcodes free. Reads only the types and the parents (for their paths).
 */
async function planCheckedItems(
  trx: Db,
  actor: Actor,
  inputs: readonly OwnedCreateItem[],
): Promise<PlannedItem[]> {
  const types = await resolveTypes(
    trx,
    inputs.map((input) => input.type),
  );
  const parentRows = await repo.findItems(
    trx,
    inputs.flatMap((input) => nonEmpty(input.parentId) ?? []),
  );
  const parents = new Map(parentRows.map((row) => [row.id, row]));
  const now = nowIso();
  return inputs.map((input) => {
    const type = types.get(input.type);
    if (type === undefined) throw new Error(`a checked item has an unknown type ${input.type}`);
    const parentId = nonEmpty(input.parentId);
    const parent = parentId === null ? undefined : parents.get(parentId);
    if (parentId !== null && parent === undefined)
      throw new Error(`a checked item has a parent that does not exist: ${parentId}`);
    // Checked: the values are valid and typed already.
    return plannedItem(actor, now, input, type, (input.fields ?? {}) as FieldValues, {
      name: input.name.trim(),
      virtualId: nonEmpty(input.virtualId),
      barcode: nonEmpty(input.barcode),
      parentId,
      parentPath: parent?.path ?? null,
      slot: nonEmpty(input.slot),
    });
  });
}

/** Turns a unique-index violation that slipped past the checks (a concurrent writer) into a 409. */
function translateUniqueViolation(error: unknown): unknown {
  const constraint = uniqueViolation(error);
  if (constraint === null) return error;
  if (constraint.includes('slot')) return new SlotOccupied('That slot was just taken by another item');
  if (constraint.includes('barcode')) return new BarcodeTaken('That barcode was just given to another item');
  return error;
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
 * Creates one item (any signed-in user): 404 for a parent that does not exist or the actor may not see, 403
 * for one they may only read, 422 naming the field for bad input, 409 for a taken slot or barcode.
 */
export async function createItem(trx: Db, actor: Actor, input: OwnedCreateItem): Promise<Item> {
  if (nonEmpty(input.parentId) !== null) await lockHierarchy(trx, 'shared');
  const { planned, problems } = await planItems(trx, actor, [input]);
  const refused = (problem: Problem | undefined) => {
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
  await insertPlanned(trx, actor, planned);
  const [item] = planned;
  if (item === undefined) throw new Error('planItems lost the item');
  return toOneItem(trx, actor, { ...item.row, type_name: item.typeName });
}

const MAX_BULK_ERRORS = 200;

/** What a label shows for each item, in the order asked: the DataMatrix carries the barcode, else the human id. */
export async function getLabelContents(
  db: Db,
  actor: Actor,
  ids: readonly string[],
): Promise<LabelContent[]> {
  const rows = await repo.findItems(db, ids);
  const scope = rows.some((row) => row.project_id !== null) ? await projectScopeOf(db, actor) : null;
  const byId = new Map(
    rows
      .filter((row) => row.deleted_at === null && inScope(scope, row.project_id))
      .map((row) => [row.id, row]),
  );
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw new NotFound('Item', id);
    return {
      humanId: row.human_id,
      name: row.name,
      barcode: row.barcode ?? row.human_id,
      typeName: row.type_name,
    };
  });
}

/** An imported item's identity and stamps in the system it came from, kept instead of new ones. */
export interface ItemOrigin {
  id: string;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

export interface BulkCreateOptions {
  /** By input index: ids and stamps to keep (items that come from elsewhere, e.g. bionet JSON). */
  origins?: readonly (ItemOrigin | undefined)[] | undefined;
  /**
   * The caller has checked every input against the database earlier in this same transaction, the way the
   * CSV import's plan does (types, fields, parents, slots, barcodes, virtuals). On SQLite, where a write
   * transaction holds the database's one write lock from its start, nothing can have changed since, so the
   * checks are not repeated; on PostgreSQL, where other writers run alongside, they always are.
   */
  checkedInThisTransaction?: boolean;
}

/**
 * Creates many items at once (the CSV importer): validates every input first (a 422 lists up to 200
 * problems as `items.<index>.<field>`, and nothing is written), then reserves all human ids with one counter
 * bump per class and inserts in multi-row batches with set-based index links and batched audit events.
 * Parents must exist before the call (import containers first, then their contents). Returns the new ids in
 * input order. `origins` (by input index) keep an imported item's id and stamps from the system it came from
 * (bionet JSON); the caller checks that the ids are free and fit the class.
 */
export async function createItemsInBulk(
  trx: Db,
  actor: Actor,
  inputs: readonly OwnedCreateItem[],
  options: BulkCreateOptions = {},
): Promise<{ id: string; humanId: string }[]> {
  if (inputs.length === 0) return [];
  if (options.checkedInThisTransaction === true && dialectOf(trx) === 'sqlite') {
    const planned = await planCheckedItems(trx, actor, inputs);
    keepOrigins(planned, options.origins);
    await insertPlanned(trx, actor, planned);
    return planned.map((item) => ({ id: item.row.id, humanId: item.row.human_id }));
  }
  if (inputs.some((input) => nonEmpty(input.parentId) !== null)) await lockHierarchy(trx, 'shared');
  const { planned, problems } = await planItems(trx, actor, inputs);
  if (problems.length > 0) {
    const rows = new Set(problems.map((problem) => problem.index)).size;
    const errors: FieldError[] = problems
      .slice(0, MAX_BULK_ERRORS)
      .map((problem) => ({ field: `items.${problem.index}.${problem.field}`, message: problem.message }));
    throw new BulkInvalid(
      `${rows} of ${inputs.length} items are not valid; nothing was created (first: ${errors[0]?.field} ${errors[0]?.message})`,
      errors,
    );
  }
  keepOrigins(planned, options.origins);
  await insertPlanned(trx, actor, planned);
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

/** A live item, or 404. */
export async function requireLiveItem(
  db: Db,
  id: string,
  lock: repo.RowLock = null,
): Promise<repo.ItemWithTypeRow> {
  const row = await repo.findItem(db, id, lock);
  if (!row || row.deleted_at !== null) throw new NotFound('Item', id);
  return row;
}

/** One item; deleted items only when asked for. */
export async function getItem(
  db: Db,
  actor: Actor,
  id: string,
  options: { includeDeleted?: boolean | undefined } = {},
): Promise<Item> {
  const row = await repo.findItem(db, id);
  if (!row || (row.deleted_at !== null && options.includeDeleted !== true)) throw new NotFound('Item', id);
  await assertItemAccess(db, actor, row, 'read');
  return toOneItem(db, actor, row);
}

/** Resolves a scanned code to its live item: a barcode first, else a human id (`P-000123`), else an item id. */
export async function resolveCode(db: Db, actor: Actor, code: string): Promise<Item> {
  const trimmed = code.trim();
  const row =
    (await repo.findLiveItemByBarcode(db, trimmed)) ??
    (/^[PV]-\d+$/i.test(trimmed) ? await repo.findLiveItemByHumanId(db, trimmed.toUpperCase()) : undefined) ??
    (/^[pv]-/.test(trimmed) ? await repo.findItem(db, trimmed) : undefined);
  if (!row || row.deleted_at !== null) throw new NotFound('Item with code', trimmed);
  await assertItemAccess(db, actor, row, 'read').catch(() => {
    throw new NotFound('Item with code', trimmed);
  });
  return toOneItem(db, actor, row);
}

const sortColumns: Record<string, repo.ItemSortColumn> = { humanId: 'human_id', name: 'name' };

/**
 * Items filtered by type, class, parent, the virtual they are instances of, owning project and text, hidden
 * ones only on request, sorted and cursor-paged.
 */
export async function listItems(
  db: Db,
  actor: Actor,
  query: ListItemsQuery & { limit: number },
): Promise<Page<Item>> {
  return (await openItemList(db, actor, query))(query.cursor ?? null);
}

/** `listItems` for a streamed export: the filters and the actor's scope are settled here, once. */
export async function openItemList(
  db: Db,
  actor: Actor,
  query: Omit<ListItemsQuery, 'cursor'> & { limit: number },
): Promise<PageReader<Item>> {
  const sort: ItemSort = query.sort ?? 'humanId';
  const descending = sort.startsWith('-');
  const column = sortColumns[sort.replace('-', '')] ?? 'human_id';
  const type = query.type === undefined ? undefined : await resolveType(db, query.type);
  const projects = await projectScopeOf(db, actor);
  if (query.parent !== undefined && query.parent !== 'root' && projects !== null) {
    // What a container the actor may not see holds is not listed either, as for /children.
    const [owned] = await repo.findProjectOwnedItems(db, [query.parent]);
    if (owned !== undefined && !inScope(projects, owned.project_id))
      return async () => ({ items: [], nextCursor: null });
  }
  return async (cursor) => {
    const rows = await repo.listItems(db, {
      projects,
      typeId: type?.id,
      itemClass: query.class,
      parentId: query.parent === undefined ? undefined : query.parent === 'root' ? null : query.parent,
      virtualId: query.instanceOf,
      projectId: query.project === undefined ? undefined : query.project === 'none' ? null : query.project,
      q: query.q,
      includeHidden: query.includeHidden ?? false,
      deleted: query.deleted ?? false,
      sort: column,
      descending,
      after: decodeCursor(cursor ?? undefined),
      limit: query.limit + 1,
    });
    const page = toPage(
      rows,
      query.limit,
      (row) => row,
      (row) => ({ value: row.sort_key, id: row.id }),
    );
    return { items: await toItems(db, actor, page.items), nextCursor: page.nextCursor };
  };
}

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
  const errors: FieldError[] = [];
  const name = changes.name?.trim() ?? current.name;
  if (name === '') errors.push({ field: 'name', message: 'is empty' });
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
        errors.push({ field, message: `a virtual item has no ${field}; only physicals do` });
    }
  }
  const virtualId = changes.virtualId === undefined ? current.virtual_id : nonEmpty(changes.virtualId);
  if (current.class === 'physical' && changes.virtualId !== undefined) {
    if (virtualId === null) {
      if (type.requiresVirtual)
        errors.push({
          field: 'virtualId',
          message: `is required: every ${type.name} is an instance of a virtual`,
        });
    } else {
      const virtual = await repo.findItem(trx, virtualId, 'share');
      if (!virtual) errors.push({ field: 'virtualId', message: `there is no item ${virtualId}` });
      else if (virtual.deleted_at !== null)
        errors.push({ field: 'virtualId', message: `${virtual.human_id} is deleted` });
      else if (virtual.class !== 'virtual')
        errors.push({ field: 'virtualId', message: `${virtual.human_id} is not a virtual item` });
    }
  }
  if (errors.length > 0) {
    throw new Invalid(
      `The change is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      errors,
    );
  }
  const barcode = changes.barcode === undefined ? current.barcode : nonEmpty(changes.barcode);
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
    if (access.of(count.project_id) === 'none') restricted = true;
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
    if (parent !== undefined && access.of(parent.project_id) !== 'write') {
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

/** A live item as an importer sees it when resolving a name someone wrote: identity, class, type and grid. */
export interface ItemReference {
  id: string;
  humanId: string;
  class: ItemClass;
  name: string;
  barcode: string | null;
  typeName: string;
  grid: { rows: number; columns: number } | null;
  /** Whether the actor may put items into it (a project's sample needs write access to the project). */
  writable: boolean;
}

/**
 * Live items the actor may see that any of `refs` could mean: an item id, a human id (any case), a barcode
 * or a name (exact, else ignoring case for references nothing matched exactly). The caller decides which
 * match wins and what is ambiguous; a fixed number of queries for any number of references. Items of
 * projects the actor is not in are left out, as if they did not exist.
 */
export async function findItemsByReference(
  db: Db,
  actor: Actor,
  refs: readonly string[],
): Promise<ItemReference[]> {
  const found = await repo.findLiveItemsByReference(db, refs);
  const access = await ProjectAccess.load(
    db,
    actor,
    found.map((row) => row.project_id),
  );
  const rows = found.filter((row) => access.of(row.project_id) !== 'none');
  const matched = new Set<string>();
  for (const row of rows) {
    matched.add(row.id).add(row.human_id).add(row.name);
    if (row.barcode !== null) matched.add(row.barcode);
  }
  const unmatched = refs.filter((ref) => !matched.has(ref) && !matched.has(ref.toUpperCase()));
  const seen = new Set(rows.map((row) => row.id));
  const writable = new Map(rows.map((row) => [row.id, access.of(row.project_id) === 'write']));
  if (unmatched.length > 0) {
    const loose = await repo.findLiveItemsByNameIgnoringCase(db, unmatched);
    const looseAccess = await ProjectAccess.load(
      db,
      actor,
      loose.map((row) => row.project_id),
    );
    for (const row of loose) {
      if (!seen.has(row.id) && looseAccess.of(row.project_id) !== 'none') {
        rows.push(row);
        writable.set(row.id, looseAccess.of(row.project_id) === 'write');
      }
    }
  }
  return rows.map((row) => ({
    id: row.id,
    humanId: row.human_id,
    class: row.class,
    name: row.name,
    barcode: row.barcode,
    typeName: row.type_name,
    grid:
      row.grid_rows !== null && row.grid_columns !== null
        ? { rows: row.grid_rows, columns: row.grid_columns }
        : null,
    writable: writable.get(row.id) ?? false,
  }));
}

/**
 * The taken slots of these containers (hidden items take theirs up too), with who holds each: a human id, or
 * the restricted stand-in for an item the actor may not see.
 */
export async function findTakenSlots(
  db: Db,
  actor: Actor,
  parentIds: readonly string[],
): Promise<{ parentId: string; slot: string; humanId: string }[]> {
  const rows = await repo.findSlotOccupants(db, parentIds);
  const access = await ProjectAccess.load(
    db,
    actor,
    rows.map((row) => row.project_id),
  );
  return rows.flatMap((row) =>
    row.parent_id === null || row.slot === null
      ? []
      : [{ parentId: row.parent_id, slot: row.slot, humanId: access.humanIdOf(row) }],
  );
}

/**
 * Which of these barcodes live items already carry: barcode → the holder's human id (the restricted stand-in
 * for an item the actor may not see).
 */
export async function findBarcodeHolders(
  db: Db,
  actor: Actor,
  barcodes: readonly string[],
): Promise<Map<string, string>> {
  const rows = await repo.findLiveBarcodeHolders(db, barcodes);
  const access = await ProjectAccess.load(
    db,
    actor,
    rows.map((row) => row.project_id),
  );
  return new Map(
    rows.flatMap((row) => (row.barcode === null ? [] : [[row.barcode, access.humanIdOf(row)] as const])),
  );
}

/** Which of these ids are taken by an item, live or deleted (imports that keep their ids). */
export async function findExistingItemIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  return new Set((await repo.findItems(db, ids)).map((row) => row.id));
}

/** Live items in id order, a page at a time after `afterId` (exports in bionet's key order). */
export async function listLiveItemsInIdOrder(
  db: Db,
  actor: Actor,
  query: { afterId: string | null; limit: number },
): Promise<Item[]> {
  return toItems(db, actor, await repo.listLiveItemsInIdOrder(db, query.afterId, query.limit));
}

/** Live items by id as the actor sees them, in one query per 500 ids (missing, deleted or hidden ids are left out). */
export async function getLiveItems(db: Db, actor: Actor, ids: readonly string[]): Promise<Item[]> {
  const rows = (await repo.findItems(db, ids)).filter((row) => row.deleted_at === null);
  const access = await ProjectAccess.load(
    db,
    actor,
    rows.map((row) => row.project_id),
  );
  return toItems(
    db,
    actor,
    rows.filter((row) => access.of(row.project_id) !== 'none'),
  );
}
