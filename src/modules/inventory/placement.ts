/**
 * Where a physical may sit (bionet: parent_id and locationInParent): in a live physical parent, optionally
 * in a slot that exists on the parent type's grid. Pure checks over rows the services have loaded, shared by
 * creates (one or in bulk) and moves; each returns a message for the field it is about, or the result.
 */
import { gridSlots, normalizeSlot, slotOnGrid, type Grid } from './grid-slots.js';
import type { ItemWithTypeRow } from './items.repository.js';

/** Why `parent` cannot hold a physical, or null if it can. */
export function parentProblem(parent: ItemWithTypeRow | undefined, parentId: string): string | null {
  if (parent === undefined) return `there is no item ${parentId}`;
  if (parent.deleted_at !== null) return `${parent.human_id} is deleted`;
  if (parent.class !== 'physical') return `${parent.human_id} is a virtual item; only physicals hold things`;
  return null;
}

export type SlotCheck = { slot: string; problem: null } | { slot: null; problem: string };

/** A container as slot messages name it: an existing item's human id, or another input of a batch. */
export interface SlotContainer {
  label: string;
  typeName: string;
  grid: Grid | null;
}

/** The canonical slot name on the container's grid, or why there is no such slot. */
export function checkSlotOn(container: SlotContainer, raw: string): SlotCheck {
  const { label, typeName, grid } = container;
  if (grid === null) return { slot: null, problem: `${label} (${typeName}) has no grid slots` };
  const slot = normalizeSlot(raw);
  if (slot === null || !slotOnGrid(slot, grid)) {
    const all = gridSlots(grid);
    return {
      slot: null,
      problem: `${label} (${typeName}) has no slot ${raw}; its slots are ${all[0]}…${all.at(-1)}`,
    };
  }
  return { slot, problem: null };
}

/** An existing item as a slot container. */
export function slotContainerOf(parent: ItemWithTypeRow): SlotContainer {
  return {
    label: parent.human_id,
    typeName: parent.type_name,
    grid:
      parent.grid_rows === null || parent.grid_columns === null
        ? null
        : { rows: parent.grid_rows, columns: parent.grid_columns },
  };
}

/** The canonical slot name on the parent's grid, or why there is no such slot. */
export function checkSlot(parent: ItemWithTypeRow, raw: string): SlotCheck {
  return checkSlotOn(slotContainerOf(parent), raw);
}

/** The message for a slot that is already taken; `occupant` is its human id, or the restricted stand-in. */
export function slotTakenMessage(parent: { human_id: string }, slot: string, occupant: string): string {
  return `slot ${slot} of ${parent.human_id} is taken by ${occupant}`;
}

/** The message for a slot that an earlier input of the same batch claims. */
export function slotClaimedMessage(container: string, slot: string, earlier: string): string {
  return `slot ${slot} of ${container} is also claimed by ${earlier}`;
}
