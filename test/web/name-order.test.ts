/** Names in the order a person reads them (web/src/inventory/name-order.ts). */
import { describe, expect, it } from 'vitest';
import { compareNames, inNameOrder } from '../../web/src/inventory/name-order.js';

describe('name order', () => {
  it('ignores case and reads numbers by their value', () => {
    const names = [
      'T7 promoter',
      'pUC19 #10',
      'anti-GFP (rabbit)',
      'pUC19 #2',
      'Box 1-10',
      'box 1-2',
      'pUC19 #1',
    ];
    expect([...names].sort(compareNames)).toEqual([
      'anti-GFP (rabbit)',
      'box 1-2',
      'Box 1-10',
      'pUC19 #1',
      'pUC19 #2',
      'pUC19 #10',
      'T7 promoter',
    ]);
  });

  it('sorts a complete list and keeps ties in place; leaves a list with pages to come as it is', () => {
    const items = [
      { name: 'b', id: 1 },
      { name: 'A', id: 2 },
      { name: 'a', id: 3 },
    ];
    expect(inNameOrder(items).map((item) => item.id)).toEqual([2, 3, 1]);
    expect(inNameOrder(items, false).map((item) => item.id)).toEqual([1, 2, 3]);
    expect(items.map((item) => item.id)).toEqual([1, 2, 3]);
  });
});
