/**
 * Grid slots as the server names them: rows are letters (A, B, …, Z, AA, …), columns numbers from 1, so a
 * 9×9 box has A1…I9 and a 96-well plate A1…H12.
 */

/** The letters of a 0-based row index: 0 → A, 25 → Z, 26 → AA. */
export function rowLabel(index: number): string {
  let label = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    label = String.fromCharCode(65 + ((n - 1) % 26)) + label;
  }
  return label;
}

export function slotName(row: number, column: number): string {
  return `${rowLabel(row)}${column + 1}`;
}

/** Every slot of a grid, row by row: `[['A1', 'A2', …], ['B1', …], …]`. */
export function gridRows(rows: number, columns: number): string[][] {
  return Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => slotName(row, column)),
  );
}

/** A slot's row index and column (0-based), or null for a name that is not a slot. */
export function slotPosition(slot: string): { row: number; column: number } | null {
  const match = /^([A-Z]+)(\d+)$/.exec(slot);
  if (!match?.[1] || !match[2]) return null;
  const row = [...match[1]].reduce((value, letter) => value * 26 + letter.charCodeAt(0) - 64, 0) - 1;
  return { row, column: Number(match[2]) - 1 };
}

/**
 * Slots as the grid reads them: row by row, each row by column number (A1, A2, …, A10, B1, …); names that are
 * not slots come last, as text.
 */
export function compareSlots(a: string, b: string): number {
  const [pa, pb] = [slotPosition(a), slotPosition(b)];
  if (pa === null || pb === null) return pa !== null ? -1 : pb !== null ? 1 : a < b ? -1 : a > b ? 1 : 0;
  return pa.row - pb.row || pa.column - pb.column;
}

/** Items in grid order of their slots (what "Print their labels" prints); items without a slot after them, as given. */
export function inSlotOrder<T extends { readonly slot: string | null }>(items: readonly T[]): T[] {
  const slotted = items.filter((item) => item.slot !== null);
  const loose = items.filter((item) => item.slot === null);
  return [...slotted.sort((a, b) => compareSlots(a.slot ?? '', b.slot ?? '')), ...loose];
}
