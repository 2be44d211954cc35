/**
 * The rules every new item is held to, in one place for every way an item is made: the single create, the
 * bulk create, the CSV import of items and samples and the bionet import. `checkItems` takes a batch of
 * candidates and checks them all with a fixed number of queries (types, parents, virtuals, taken slots,
 * taken barcodes, project access), inside the caller's transaction and holding what it relies on (the
 * hierarchy's shared lock, parents and virtuals `FOR SHARE` on PostgreSQL; SQLite's write transaction holds
 * the one write lock). It answers every problem by input and field, and the checked items themselves, which
 * `insertCheckedItems` (item-creation.service.ts) writes: a dry run is the same check without the insert.
 *
 * A candidate names its parent or virtual as an existing item's id or as another input of the same batch
 * (`{ input: n }`, an import's box and the tubes inside it): the same rules hold for both (the parent is a
 * physical, the slot is on its type's grid and claimed once, the virtual is a virtual), the batch is
 * inserted in waves so that every parent exists before what it holds, and inputs inside each other are a
 * problem on each of them.
 */
import { nowIso, toFlag } from '../../db/columns.js';
import type { Db } from '../../db/database.js';
import type { FieldError, ProblemCode } from '../../errors/catalogue.js';
import type { Actor } from '../accounts/actor.js';
import { validateFieldValues } from './field-values.js';
import { lockHierarchy } from './hierarchy.repository.js';
import { placementRefusal, ProjectAccess } from './item-access.js';
import { newItemId } from './item-ids.js';
import { lengthProblem, MAX_BARCODE, MAX_ITEM_DESCRIPTION, MAX_ITEM_NAME } from './item-limits.js';
import * as repo from './items.repository.js';
import {
  checkSlotOn,
  parentProblem,
  slotClaimedMessage,
  slotContainerOf,
  slotTakenMessage,
  type SlotContainer,
} from './placement.js';
import { resolveTypes, type TypeDefinition } from './types.service.js';

/** Another input of the same batch, by its index in the batch. */
export interface BatchRef {
  input: number;
}

/** An item a candidate refers to: an existing item's id, or another input of the batch. */
export type ItemRef = string | BatchRef;

/**
 * An item to create, as a caller gives it: the HTTP body's shape, a parent or virtual that may be another
 * input of the batch, and the owning project (samples are items owned by a project; only services set it).
 */
export interface ItemCandidate {
  /** A type's id or name. */
  type: string;
  name: string;
  description?: string | undefined;
  fields?: Record<string, unknown> | undefined;
  hidden?: boolean | undefined;
  virtualId?: ItemRef | null | undefined;
  parentId?: ItemRef | null | undefined;
  slot?: string | null | undefined;
  barcode?: string | null | undefined;
  projectId?: string | null | undefined;
}

/** A type as the rules read it. */
export type RuleType = Omit<TypeDefinition, 'builtin'>;

/**
 * A problem with one input: bad input (422), unless `refusal` says it is a parent the actor may not use
 * (404, 403) or a conflict (409). `field` is the candidate's (`name`, `parentId`, `fields.volume_ul`).
 */
export interface ItemProblem {
  index: number;
  field: string;
  message: string;
  refusal?: { status: 403 | 404 | 409; code: ProblemCode };
}

/** A checked item, ready to insert once its batch parent (if any) exists. */
export interface PlannedItem {
  /** The row to insert; its human id, path, and ids of batch parents and virtuals are set on insert. */
  row: repo.ItemRow;
  typeName: string;
  /** The existing parent's materialized path (null for no parent, or a parent of the batch). */
  parentPath: string | null;
  parentInput: number | null;
  virtualInput: number | null;
  /** 0: refers to no other input; n: after the inputs of wave n − 1 it refers to. */
  wave: number;
}

/** What `checkItems` found: the checked items by input index (null for an unknown type), and the problems. */
export interface CheckedItems {
  readonly planned: readonly (PlannedItem | null)[];
  readonly problems: readonly ItemProblem[];
}

export interface CheckItemsOptions {
  /** Types by the references the candidates use, before the database's (a dry run's types to be created). */
  types?: ReadonlyMap<string, RuleType> | undefined;
  /** How a message names another input of the batch: `row 12` in an import (default `item <index>`). */
  inputLabel?: ((index: number) => string) | undefined;
}

const NOT_FOR_VIRTUALS = {
  parentId: 'parent',
  slot: 'slot',
  virtualId: 'virtual',
  barcode: 'barcode',
  hidden: 'hidden flag',
} as const;

/** Text without its surrounding spaces, or null when nothing is left. */
export function nonEmpty(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

function existingRef(ref: ItemRef | null | undefined): string | null {
  return typeof ref === 'string' ? nonEmpty(ref) : null;
}

function batchRef(ref: ItemRef | null | undefined): number | null {
  return ref !== null && typeof ref === 'object' ? ref.input : null;
}

const conflict = (code: ProblemCode) => ({ status: 409 as const, code });

/** Problems with an item's name (already trimmed) and description: empty, or longer than the limits. */
export function textProblems(name: string, description: string): FieldError[] {
  const problems: FieldError[] = [];
  if (name === '') problems.push({ field: 'name', message: 'is empty' });
  const nameTooLong = lengthProblem(name, MAX_ITEM_NAME);
  if (nameTooLong !== null) problems.push({ field: 'name', message: nameTooLong });
  const descriptionTooLong = lengthProblem(description, MAX_ITEM_DESCRIPTION);
  if (descriptionTooLong !== null) problems.push({ field: 'description', message: descriptionTooLong });
  return problems;
}

/** Why a virtual item cannot have what only physicals have (`parentId`, `slot`, `virtualId`, …). */
export function physicalOnlyProblem(typeName: string, field: keyof typeof NOT_FOR_VIRTUALS): string {
  return `a virtual item (${typeName}) has no ${NOT_FOR_VIRTUALS[field]}; only physicals do`;
}

/** Why an existing item cannot be a physical's virtual, or null when it can. */
export function virtualProblem(virtual: repo.ItemRow | undefined, virtualId: string): string | null {
  if (virtual === undefined) return `there is no item ${virtualId}`;
  if (virtual.deleted_at !== null) return `${virtual.human_id} is deleted`;
  if (virtual.class !== 'virtual') return `${virtual.human_id} is not a virtual item`;
  return null;
}

/** The rule that some types' physicals are instances of a virtual. */
export function requiredVirtualProblem(typeName: string): string {
  return `is required: every ${typeName} is an instance of a virtual`;
}

/**
 * Checks a batch of candidates against their types, parents, virtuals, slots, barcodes and the length
 * limits, with a fixed number of queries for any number of inputs, and plans their rows. Runs inside the
 * caller's transaction and locks what the insert relies on; nothing is written.
 */
export async function checkItems(
  trx: Db,
  actor: Actor,
  inputs: readonly ItemCandidate[],
  options: CheckItemsOptions = {},
): Promise<CheckedItems> {
  const label = options.inputLabel ?? ((index: number) => `item ${index}`);
  const existing = (pick: (input: ItemCandidate) => ItemRef | null | undefined) =>
    inputs.flatMap((input) => existingRef(pick(input)) ?? []);
  const parentIds = existing((input) => input.parentId);
  if (parentIds.length > 0) await lockHierarchy(trx, 'shared');
  const given = options.types;
  const lookedUp = await resolveTypes(
    trx,
    inputs.flatMap((input) => (given?.has(input.type) === true ? [] : [input.type])),
  );
  const typeOf = (ref: string): RuleType | undefined => given?.get(ref) ?? lookedUp.get(ref);
  const parentRows = await repo.findItems(trx, parentIds, 'share');
  const parents = new Map(parentRows.map((row) => [row.id, row]));
  const virtualRows = await repo.findItems(
    trx,
    existing((input) => input.virtualId),
    'share',
  );
  const virtuals = new Map(virtualRows.map((row) => [row.id, row]));
  const holderRows = await repo.findLiveBarcodeHolders(
    trx,
    inputs.flatMap((input) => nonEmpty(input.barcode) ?? []),
  );
  const barcodeHolders = new Map(holderRows.map((row) => [row.barcode, row]));
  const occupantRows = await repo.findSlotOccupants(trx, [
    ...new Set(existing((input) => (nonEmpty(input.slot) === null ? null : input.parentId))),
  ]);
  const occupants = new Map(occupantRows.map((row) => [`${row.parent_id}\u0000${row.slot}`, row]));
  const access = await ProjectAccess.load(
    trx,
    actor,
    [...parentRows, ...occupantRows, ...holderRows].map((row) => row.project_id),
  );

  const problems: ItemProblem[] = [];
  const planned: (PlannedItem | null)[] = [];
  const claimedBarcodes = new Map<string, number>();
  const claimedSlots = new Map<string, number>();
  const now = nowIso();

  inputs.forEach((input, index) => {
    const problem = (field: string, message: string, refusal?: ItemProblem['refusal']) =>
      problems.push({ index, field, message, ...(refusal !== undefined && { refusal }) });
    const type = typeOf(input.type);
    if (type === undefined) {
      problem('type', `unknown type ${input.type}`);
      planned.push(null);
      return;
    }
    const name = input.name.trim();
    const description = input.description ?? '';
    for (const error of textProblems(name, description)) problem(error.field, error.message);
    const { values, errors } = validateFieldValues(type.fields, input.fields ?? {});
    for (const error of errors) problem(error.field, error.message);

    const parentId = existingRef(input.parentId);
    const parentInput = batchRef(input.parentId);
    const virtualId = existingRef(input.virtualId);
    const virtualInput = batchRef(input.virtualId);
    const rawSlot = nonEmpty(input.slot);
    const barcode = nonEmpty(input.barcode);
    let slot: string | null = null;
    /** The parent and virtual that passed, so that a batch with problems still plans consistent rows. */
    const settled = { parentInput: null as number | null, virtualInput: null as number | null };

    /** Checks the slot on the container's grid and claims it; `occupantOf` names who holds it already. */
    const claimSlot = (
      container: SlotContainer,
      key: string,
      occupantOf: (slot: string) => string | null,
    ) => {
      const checked = checkSlotOn(container, rawSlot ?? '');
      if (checked.problem !== null) return problem('slot', checked.problem);
      slot = checked.slot;
      const slotKey = `${key}\u0000${slot}`;
      const earlier = claimedSlots.get(slotKey);
      const takenBy = occupantOf(slot);
      if (takenBy !== null) {
        problem(
          'slot',
          slotTakenMessage({ human_id: container.label }, slot, takenBy),
          conflict('slot_occupied'),
        );
      } else if (earlier !== undefined) {
        problem('slot', slotClaimedMessage(container.label, slot, label(earlier)), conflict('slot_occupied'));
      } else claimedSlots.set(slotKey, index);
    };

    if (type.itemClass === 'virtual') {
      const given = {
        parentId: parentId !== null || parentInput !== null,
        slot: rawSlot !== null,
        virtualId: virtualId !== null || virtualInput !== null,
        barcode: barcode !== null,
        hidden: input.hidden === true,
      };
      for (const field of Object.keys(NOT_FOR_VIRTUALS) as (keyof typeof NOT_FOR_VIRTUALS)[]) {
        if (given[field]) problem(field, physicalOnlyProblem(type.name, field));
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
          claimSlot(slotContainerOf(parent), parent.id, (canonical) => {
            const occupant = occupants.get(`${parent.id}\u0000${canonical}`);
            return occupant === undefined ? null : access.humanIdOf(occupant);
          });
        }
      } else if (parentInput !== null) {
        const parentCandidate = inputs[parentInput];
        const parentType = parentCandidate === undefined ? undefined : typeOf(parentCandidate.type);
        if (parentCandidate === undefined) problem('parentId', `there is no ${label(parentInput)}`);
        else if (parentInput === index) problem('parentId', 'an item cannot be its own parent');
        else if (parentType === undefined) {
          // The parent's own type is unknown: that input says so.
        } else if (parentType.itemClass !== 'physical') {
          problem('parentId', `${label(parentInput)} is a virtual item; only physicals hold things`);
        } else {
          settled.parentInput = parentInput;
          if (rawSlot !== null) {
            const container = { label: label(parentInput), typeName: parentType.name, grid: parentType.grid };
            claimSlot(container, `#${parentInput}`, () => null);
          }
        }
      } else if (rawSlot !== null) {
        problem('slot', 'a slot needs a parent');
      }
      if (virtualId !== null) {
        const virtualError = virtualProblem(virtuals.get(virtualId), virtualId);
        if (virtualError !== null) problem('virtualId', virtualError);
      } else if (virtualInput !== null) {
        const virtualCandidate = inputs[virtualInput];
        const virtualType = virtualCandidate === undefined ? undefined : typeOf(virtualCandidate.type);
        if (virtualCandidate === undefined) problem('virtualId', `there is no ${label(virtualInput)}`);
        else if (virtualType === undefined) {
          // The virtual's own type is unknown: that input says so.
        } else if (virtualType.itemClass !== 'virtual') {
          problem('virtualId', `${label(virtualInput)} is not a virtual item`);
        } else settled.virtualInput = virtualInput;
      } else if (type.requiresVirtual) {
        problem('virtualId', requiredVirtualProblem(type.name));
      }
      if (barcode !== null) {
        const tooLong = lengthProblem(barcode, MAX_BARCODE);
        const holder = barcodeHolders.get(barcode);
        const earlier = claimedBarcodes.get(barcode);
        if (tooLong !== null) problem('barcode', tooLong);
        else if (holder)
          problem(
            'barcode',
            `barcode ${barcode} is already on ${access.humanIdOf(holder)}`,
            conflict('barcode_taken'),
          );
        else if (earlier !== undefined)
          problem('barcode', `barcode ${barcode} is also on ${label(earlier)}`, conflict('barcode_taken'));
        else claimedBarcodes.set(barcode, index);
      }
    }

    planned.push({
      typeName: type.name,
      parentPath: parentId === null ? null : (parents.get(parentId)?.path ?? null),
      parentInput: settled.parentInput,
      virtualInput: settled.virtualInput,
      wave: 0,
      row: {
        id: newItemId(type.itemClass),
        class: type.itemClass,
        human_id: '',
        type_id: type.id,
        name,
        description,
        fields: JSON.stringify(values),
        hidden: toFlag(type.itemClass === 'physical' && input.hidden === true),
        virtual_id: virtualId,
        barcode,
        parent_id: parentId,
        slot,
        path: null,
        project_id: input.projectId ?? null,
        created_at: now,
        created_by: actor.id,
        updated_at: now,
        updated_by: actor.id,
        deleted_at: null,
        deleted_by: null,
      },
    });
  });
  assignWaves(planned, (index, field, message) => problems.push({ index, field, message }), label);
  return { planned, problems };
}

/**
 * Gives each planned item its wave (after the inputs it refers to); inputs inside each other are a problem
 * on each of them, and lose the references of the loop.
 */
function assignWaves(
  planned: readonly (PlannedItem | null)[],
  problem: (index: number, field: string, message: string) => void,
  label: (index: number) => string,
): void {
  const state = new Map<number, 'visiting' | 'done'>();
  const NONE: number[] = [];
  const dependencies = (index: number): number[] => {
    const item = planned[index];
    if (item === undefined || item === null) return NONE;
    const { parentInput, virtualInput } = item;
    if (parentInput === null) return virtualInput === null ? NONE : [virtualInput];
    return virtualInput === null ? [parentInput] : [parentInput, virtualInput];
  };
  const waveOf = (index: number) => planned[index]?.wave ?? 0;
  const setWave = (index: number, deps: readonly number[]) => {
    let wave = 0;
    for (const dep of deps) wave = Math.max(wave, waveOf(dep) + 1);
    const item = planned[index];
    if (item !== undefined && item !== null) item.wave = wave;
    state.set(index, 'done');
  };
  type Frame = { index: number; deps: number[]; next: number };
  for (let start = 0; start < planned.length; start++) {
    if (state.has(start)) continue;
    const startDeps = dependencies(start);
    if (startDeps.every((dep) => state.get(dep) === 'done')) {
      setWave(start, startDeps);
      continue;
    }
    // Depth-first without recursion: a chain of nested inputs can be as long as the batch.
    const stack: Frame[] = [{ index: start, deps: startDeps, next: 0 }];
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as Frame;
      const dep = frame.deps[frame.next++];
      if (dep === undefined) {
        setWave(frame.index, frame.deps);
        stack.pop();
      } else if (state.get(dep) === 'visiting') {
        const loop = stack.slice(stack.findIndex((f) => f.index === dep)).map((f) => f.index);
        const path = [...loop, dep].map(label).join(' → ');
        for (const member of loop) {
          problem(member, 'parentId', `${path} are inside each other`);
          const item = planned[member];
          if (item === undefined || item === null) continue;
          if (item.parentInput !== null && loop.includes(item.parentInput)) item.parentInput = null;
          if (item.virtualInput !== null && loop.includes(item.virtualInput)) item.virtualInput = null;
        }
        // Read the dependencies of every frame again, now without the loop.
        for (const f of stack) {
          f.deps = dependencies(f.index);
          f.next = 0;
        }
      } else if (state.get(dep) === undefined) {
        state.set(dep, 'visiting');
        stack.push({ index: dep, deps: dependencies(dep), next: 0 });
      }
    }
  }
}
