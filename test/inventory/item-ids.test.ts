/** Item ids: `p-`/`v-` and a version 7 uuid whose time is the clock's, strictly increasing within a process. */
import { describe, expect, it } from 'vitest';
import { newItemId } from '../../src/modules/inventory/item-ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('item ids', () => {
  it('are the class prefix and a version 7 uuid carrying the time of day', () => {
    const before = Date.now();
    const physical = newItemId('physical');
    const virtual = newItemId('virtual');
    const after = Date.now();
    expect(physical.slice(0, 2)).toBe('p-');
    expect(virtual.slice(0, 2)).toBe('v-');
    for (const id of [physical, virtual]) {
      const uuid = id.slice(2);
      expect(uuid).toMatch(UUID_V7);
      const ms = parseInt(uuid.replace(/-/g, '').slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
  });

  it('sort in the order they were made, also many in one millisecond, and never repeat', () => {
    const ids = Array.from({ length: 50_000 }, () => newItemId('physical'));
    for (let index = 1; index < ids.length; index++)
      expect((ids[index - 1] ?? '') < (ids[index] ?? '')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => UUID_V7.test(id.slice(2)))).toBe(true);
  });
});
