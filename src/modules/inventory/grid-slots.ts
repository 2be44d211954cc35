/**
 * Grid slots of container types (bionet's xUnits × yUnits and locationInParent): rows are letters (A, B, …,
 * Z, AA, …), columns are numbers from 1, so a 9×9 box has A1…I9 and a 96-well plate A1…H12.
 */

export const MAX_GRID_ROWS = 32;
export const MAX_GRID_COLUMNS = 48;

export interface Grid {
  rows: number;
  columns: number;
}

const SLOT = /^([A-Z]{1,2})0*([1-9][0-9]{0,2})$/;

/** The letters of a 0-based row index: 0 → A, 25 → Z, 26 → AA. */
export function rowLabel(index: number): string {
  let label = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    label = String.fromCharCode(65 + ((n - 1) % 26)) + label;
  }
  return label;
}

function rowIndex(label: string): number {
  let n = 0;
  for (const ch of label) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The canonical spelling of a slot name (`b07` → `B7`), or null if it is not a slot name at all. */
export function normalizeSlot(raw: string): string | null {
  const match = SLOT.exec(raw.trim().toUpperCase());
  return match ? `${match[1]}${match[2]}` : null;
}

/** Whether a canonical slot name lies on the grid. */
export function slotOnGrid(slot: string, grid: Grid): boolean {
  const match = SLOT.exec(slot);
  if (!match) return false;
  const row = rowIndex(match[1] as string);
  const column = Number(match[2]);
  return row >= 0 && row < grid.rows && column >= 1 && column <= grid.columns;
}

/** Every slot of a grid, row by row (A1, A2, …, B1, …). */
export function gridSlots(grid: Grid): string[] {
  const slots: string[] = [];
  for (let row = 0; row < grid.rows; row++) {
    const label = rowLabel(row);
    for (let column = 1; column <= grid.columns; column++) slots.push(`${label}${column}`);
  }
  return slots;
}
