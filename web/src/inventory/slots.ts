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
