/** Grid slots (web/src/inventory/slots.ts): names, their order as the grid reads, labels in that order. */
import { describe, expect, it } from 'vitest';
import { compareSlots, gridRows, inSlotOrder, slotPosition } from '../../web/src/inventory/slots.js';

describe('slots', () => {
  it('reads row letters and column numbers', () => {
    expect(slotPosition('A1')).toEqual({ row: 0, column: 0 });
    expect(slotPosition('J10')).toEqual({ row: 9, column: 9 });
    expect(slotPosition('AA3')).toEqual({ row: 26, column: 2 });
    expect(slotPosition('a1')).toBeNull();
    expect(slotPosition('shelf')).toBeNull();
  });

  it('orders slots row by row, columns by number, as the grid reads', () => {
    const shuffled = ['B1', 'A10', 'A2', 'AA1', 'Z9', 'A1', 'B10', 'B2'];
    expect([...shuffled].sort(compareSlots)).toEqual(['A1', 'A2', 'A10', 'B1', 'B2', 'B10', 'Z9', 'AA1']);
    // The same order as the grid's own rows.
    const grid = gridRows(10, 10).flat();
    expect([...grid].reverse().sort(compareSlots)).toEqual(grid);
  });

  it('puts items in slot order, items without a slot after them as they came', () => {
    const tubes = [
      { name: 'pUC19 #1', slot: 'A1' },
      { name: 'pUC19 #10', slot: 'A10' },
      { name: 'pUC19 #11', slot: 'B1' },
      { name: 'loose b', slot: null },
      { name: 'pUC19 #2', slot: 'A2' },
      { name: 'loose a', slot: null },
    ];
    expect(inSlotOrder(tubes).map((tube) => tube.name)).toEqual([
      'pUC19 #1',
      'pUC19 #2',
      'pUC19 #10',
      'pUC19 #11',
      'loose b',
      'loose a',
    ]);
  });
});
