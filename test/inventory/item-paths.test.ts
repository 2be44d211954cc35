/** Materialized path keys and helpers: keys sort as their numbers do, and subtrees are prefix ranges. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  childPath,
  depthOf,
  isWithin,
  ownKey,
  pathKey,
  subtreeEnd,
} from '../../src/modules/inventory/item-paths.js';

describe('item paths', () => {
  it('makes keys that sort as the human id numbers do', () => {
    expect(pathKey(1)).toBe('a1');
    expect(pathKey(35)).toBe('az');
    expect(pathKey(36)).toBe('b10');
    fc.assert(
      fc.property(fc.nat(2 ** 40), fc.nat(2 ** 40), (a, b) => {
        const [ka, kb] = [pathKey(a), pathKey(b)];
        expect(ka < kb).toBe(a < b);
        expect(ka).toMatch(/^[a-z][0-9a-z]+$/);
      }),
    );
  });

  it('builds, reads and bounds paths', () => {
    const room = childPath(null, pathKey(1));
    const box = childPath(childPath(room, pathKey(2)), pathKey(40));
    expect(box).toBe('a1/a2/b14/');
    expect(ownKey(box)).toBe('b14');
    expect(ownKey(room)).toBe('a1');
    expect(depthOf(room)).toBe(1);
    expect(depthOf(box)).toBe(3);
    expect(isWithin(box, room)).toBe(true);
    expect(isWithin(room, box)).toBe(false);
    expect(isWithin(room, room)).toBe(true);
    // Everything below a path sorts inside [path, subtreeEnd(path)); a sibling with a longer key does not.
    const inside = childPath(box, pathKey(123_456));
    expect(inside > box && inside < subtreeEnd(box)).toBe(true);
    const sibling = childPath(room, pathKey(20));
    expect(sibling >= childPath(room, pathKey(2)) && sibling < subtreeEnd(childPath(room, pathKey(2)))).toBe(
      false,
    );
  });
});
