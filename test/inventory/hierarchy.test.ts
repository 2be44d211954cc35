/** The hierarchy: slots, moves (one and in bulk, all or nothing), cycles, and path/children/descendants. */
import { describe, expect, it } from 'vitest';
import type { Children, Descendant, Item, PathEntry } from '../../src/modules/inventory/inventory.schema.js';
import { pathKey } from '../../src/modules/inventory/item-paths.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import type { Page, Problem } from '../support/api-types.js';
import { buildBox, buildItem, callApi, countRows } from '../support/inventory-factories.js';
import { useTestApp } from '../support/test-app.js';

describe.each(dialects)('hierarchy on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { user: 'user' } });
    const { user } = t.users;

    async function pathOf(item: Item): Promise<string[]> {
      const response = await callApi<PathEntry[]>(t, user, 'GET', `/api/items/${item.id}/path`);
      expect(response.status).toBe(200);
      return response.body.map((entry) => entry.humanId);
    }

    async function snapshot(): Promise<{ items: number; audit: number; placements: unknown[] }> {
      const placements = await t.database.db
        .selectFrom('items')
        .select(['id', 'parent_id', 'slot', 'path'])
        .orderBy('id')
        .execute();
      return {
        items: await countRows(t, 'items'),
        audit: await countRows(t, 'audit_events'),
        placements,
      };
    }

    /** The materialized path of each item, checked against its parent's: the index agrees with parent_id. */
    async function expectPathsAgreeWithParents(): Promise<void> {
      const rows = await t.database.db
        .selectFrom('items')
        .select(['id', 'human_id', 'parent_id', 'path'])
        .where('class', '=', 'physical')
        .execute();
      const pathById = new Map(rows.map((row) => [row.id, row.path]));
      for (const row of rows) {
        const parentPath = row.parent_id === null ? '' : pathById.get(row.parent_id);
        expect(row.path, row.human_id).toBe(`${parentPath}${pathKey(Number(row.human_id.slice(2)))}/`);
      }
    }

    /** room > freezer > rack > box (9×9) */
    async function buildStorage(prefix: string) {
      const room = await buildItem(t, user, { type: 'room', name: `${prefix} room` });
      const freezer = await buildItem(t, user, {
        type: '-80 freezer',
        name: `${prefix} freezer`,
        parentId: room.id,
      });
      const rack = await buildItem(t, user, { type: 'rack', name: `${prefix} rack`, parentId: freezer.id });
      const box = await buildBox(t, { by: user, name: `${prefix} box`, parentId: rack.id });
      return { room, freezer, rack, box };
    }

    it('answers the path root first, with slots', async () => {
      const { room, freezer, rack, box } = await buildStorage('path');
      const tube = await buildItem(t, user, { type: 'tube', parentId: box.id, slot: 'c07' });
      expect(tube.slot).toBe('C7');
      const path = await callApi<PathEntry[]>(t, user, 'GET', `/api/items/${tube.id}/path`);
      expect(path.body.map((e) => [e.id, e.depth])).toEqual([
        [room.id, 4],
        [freezer.id, 3],
        [rack.id, 2],
        [box.id, 1],
        [tube.id, 0],
      ]);
      expect(path.body.at(-1)).toMatchObject({ slot: 'C7', type: { name: 'tube' } });
      const plasmid = await buildItem(t, user, { type: 'plasmid' });
      expect((await callApi<Problem>(t, user, 'GET', `/api/items/${plasmid.id}/path`)).body.code).toBe(
        'not_physical',
      );
      expect((await callApi(t, user, 'GET', '/api/items/p-nothing/path')).status).toBe(404);
    });

    it('keeps one item per slot and only slots that exist', async () => {
      const { box, rack } = await buildStorage('slots');
      const first = await buildItem(t, user, { type: 'tube', parentId: box.id, slot: 'I9' });
      const before = await snapshot();
      const taken = await callApi<Problem>(t, user, 'POST', '/api/items', {
        type: 'tube',
        name: 'x',
        parentId: box.id,
        slot: 'i9',
      });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('slot_occupied');
      expect(taken.body.detail).toContain(first.humanId);
      const missing = await callApi<Problem>(t, user, 'POST', '/api/items', {
        type: 'tube',
        name: 'x',
        parentId: box.id,
        slot: 'J1',
      });
      expect(missing.status).toBe(422);
      expect(missing.body.errors?.[0]?.field).toBe('slot');
      expect(missing.body.errors?.[0]?.message).toContain('A1…I9');
      const noGrid = await callApi<Problem>(t, user, 'POST', '/api/items', {
        type: 'tube',
        name: 'x',
        parentId: rack.id,
        slot: 'A1',
      });
      expect(noGrid.status).toBe(422);
      expect(noGrid.body.errors?.[0]?.message).toContain('no grid');
      const noParent = await callApi<Problem>(t, user, 'POST', '/api/items', {
        type: 'tube',
        name: 'x',
        slot: 'A1',
      });
      expect(noParent.status).toBe(422);
      expect(await snapshot()).toEqual(before);

      const other = await buildItem(t, user, { type: 'tube', parentId: rack.id });
      const moveIntoTaken = await callApi<Problem>(t, user, 'POST', `/api/items/${other.id}/move`, {
        parentId: box.id,
        slot: 'I9',
      });
      expect(moveIntoTaken.status).toBe(409);
      const moveToMissing = await callApi<Problem>(t, user, 'POST', `/api/items/${other.id}/move`, {
        parentId: box.id,
        slot: 'Z99',
      });
      expect(moveToMissing.status).toBe(422);
      // A deleted item frees its slot.
      expect((await callApi(t, user, 'DELETE', `/api/items/${first.id}`)).status).toBe(204);
      const moved = await callApi<Item>(t, user, 'POST', `/api/items/${other.id}/move`, {
        parentId: box.id,
        slot: 'I9',
      });
      expect(moved.status).toBe(200);
      const restore = await callApi<Problem>(t, user, 'POST', `/api/items/${first.id}/restore`);
      expect(restore.status).toBe(409);
      expect(restore.body.code).toBe('slot_occupied');
    });

    it('moves subtrees and keeps path, children and descendants right', async () => {
      const a = await buildStorage('moveA');
      const b = await buildStorage('moveB');
      const tubes: Item[] = [];
      for (const slot of ['A1', 'A2', 'B1'])
        tubes.push(await buildItem(t, user, { type: 'tube', parentId: a.box.id, slot }));
      const deep = await buildItem(t, user, { type: 'tube', name: 'loose', parentId: a.rack.id });

      // Move rack A (box and tubes inside) into freezer B.
      const moved = await callApi<Item>(t, user, 'POST', `/api/items/${a.rack.id}/move`, {
        parentId: b.freezer.id,
      });
      expect(moved.status).toBe(200);
      expect(moved.body.parentId).toBe(b.freezer.id);
      expect(await pathOf(tubes[0] as Item)).toEqual(
        [b.room, b.freezer, a.rack, a.box, tubes[0]].map((i) => i?.humanId),
      );
      expect(await pathOf(deep)).toEqual([b.room, b.freezer, a.rack, deep].map((i) => i.humanId));

      const descendantsOfB = await callApi<{ items: Descendant[] }>(
        t,
        user,
        'GET',
        `/api/items/${b.room.id}/descendants`,
      );
      const depthOf = new Map(descendantsOfB.body.items.map((d) => [d.id, d.depth]));
      expect(depthOf.get(a.rack.id)).toBe(2);
      expect(depthOf.get(a.box.id)).toBe(3);
      expect(depthOf.get(tubes[2]?.id ?? '')).toBe(4);
      // Tree order: every item comes after its parent (the root's children first among their own subtrees).
      const position = new Map(descendantsOfB.body.items.map((d, index) => [d.id, index]));
      for (const [index, d] of descendantsOfB.body.items.entries()) {
        if (d.parentId === b.room.id) continue;
        expect(position.get(d.parentId ?? ''), d.humanId).toBeLessThan(index);
      }
      const descendantsOfA = await callApi<{ items: Descendant[] }>(
        t,
        user,
        'GET',
        `/api/items/${a.room.id}/descendants`,
      );
      expect(descendantsOfA.body.items.map((d) => d.id)).toEqual([a.freezer.id]);
      const shallow = await callApi<{ items: Descendant[] }>(
        t,
        user,
        'GET',
        `/api/items/${b.room.id}/descendants?maxDepth=2`,
      );
      expect(shallow.body.items.every((d) => d.depth <= 2)).toBe(true);
      expect(shallow.body.items.map((d) => d.id)).toContain(a.rack.id);

      // Pages of descendants cover everything once.
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/items/${b.room.id}/descendants?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await callApi<Page<Descendant>>(t, user, 'GET', url);
        ids.push(...page.body.items.map((d) => d.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(ids).toEqual(descendantsOfB.body.items.map((d) => d.id));
      await expectPathsAgreeWithParents();

      // Move a tube within its box, then to the top level.
      const within = await callApi<Item>(t, user, 'POST', `/api/items/${tubes[0]?.id}/move`, {
        parentId: a.box.id,
        slot: 'H8',
      });
      expect(within.body.slot).toBe('H8');
      const children = await callApi<Children>(t, user, 'GET', `/api/items/${a.box.id}/children`);
      expect(children.body.items.map((i) => i.id).sort()).toEqual(tubes.map((i) => i.id).sort());
      expect(children.body.grid).toMatchObject({ rows: 9, columns: 9 });
      expect(Object.keys(children.body.grid?.occupancy ?? {}).sort()).toEqual(['A2', 'B1', 'H8']);
      expect(children.body.grid?.occupancy.H8).toEqual({
        itemId: tubes[0]?.id,
        humanId: tubes[0]?.humanId,
        name: tubes[0]?.name,
      });
      expect(children.body.grid?.freeSlots).toHaveLength(78);
      expect(children.body.grid?.freeSlots).not.toContain('H8');
      expect(children.body.grid?.freeSlots[0]).toBe('A1');

      const top = await callApi<Item>(t, user, 'POST', `/api/items/${tubes[1]?.id}/move`, { parentId: null });
      expect(top.body).toMatchObject({ parentId: null, slot: null });
      expect(await pathOf(tubes[1] as Item)).toEqual([tubes[1]?.humanId]);
      const rackChildren = await callApi<Children>(t, user, 'GET', `/api/items/${a.rack.id}/children`);
      expect(rackChildren.body.grid).toBeNull();

      const history = await callApi<{ items: { action: string; before: unknown; after: unknown }[] }>(
        t,
        user,
        'GET',
        `/api/audit?entityType=item&entityId=${a.rack.id}`,
      );
      expect(history.body.items[0]).toMatchObject({
        action: 'move',
        before: { parentId: a.freezer.id, slot: null },
        after: { parentId: b.freezer.id, slot: null },
      });
    });

    it('never makes a cycle and never moves virtuals or into bad parents', async () => {
      const { room, freezer, box } = await buildStorage('cycle');
      const plasmid = await buildItem(t, user, { type: 'plasmid' });
      const before = await snapshot();
      const intoChild = await callApi<Problem>(t, user, 'POST', `/api/items/${room.id}/move`, {
        parentId: box.id,
      });
      expect(intoChild.status).toBe(422);
      expect(intoChild.body.code).toBe('move_cycle');
      expect(intoChild.body.detail).toContain('cycle');
      const intoSelf = await callApi<Problem>(t, user, 'POST', `/api/items/${freezer.id}/move`, {
        parentId: freezer.id,
      });
      expect(intoSelf.body.code).toBe('move_cycle');
      const virtual = await callApi<Problem>(t, user, 'POST', `/api/items/${plasmid.id}/move`, {
        parentId: room.id,
      });
      expect(virtual.status).toBe(422);
      expect(virtual.body.code).toBe('not_physical');
      const intoVirtual = await callApi<Problem>(t, user, 'POST', `/api/items/${box.id}/move`, {
        parentId: plasmid.id,
      });
      expect(intoVirtual.status).toBe(422);
      const intoNothing = await callApi<Problem>(t, user, 'POST', `/api/items/${box.id}/move`, {
        parentId: 'p-missing',
      });
      // As a parent that the mover may not see (another project's sample): 404, not a hint that it exists.
      expect(intoNothing.status).toBe(404);
      expect(intoNothing.body.errors?.[0]?.field).toBe('parentId');
      expect((await callApi(t, user, 'POST', '/api/items/p-missing/move', { parentId: null })).status).toBe(
        404,
      );
      expect(await snapshot()).toEqual(before);
    });

    it('applies bulk moves in order, all or nothing', async () => {
      const { rack, box } = await buildStorage('bulk');
      const plate = await buildItem(t, user, { type: '96-well plate', parentId: rack.id });
      const tubes: Item[] = [];
      for (let i = 0; i < 4; i++) tubes.push(await buildItem(t, user, { type: 'tube', parentId: rack.id }));
      const before = await snapshot();
      const paths = await Promise.all(tubes.map(pathOf));

      const failing = await callApi<Problem>(t, user, 'POST', '/api/items/move', {
        moves: [
          { itemId: tubes[0]?.id, parentId: box.id, slot: 'A1' },
          { itemId: tubes[1]?.id, parentId: box.id, slot: 'A2' },
          { itemId: tubes[2]?.id, parentId: plate.id, slot: 'H13' },
          { itemId: tubes[3]?.id, parentId: box.id, slot: 'A3' },
        ],
      });
      expect(failing.status).toBe(422);
      expect(failing.body.detail).toMatch(/^Move 2 /);
      expect(failing.body.errors?.[0]?.field).toBe('moves.2.slot');
      expect(await snapshot()).toEqual(before);
      expect(await Promise.all(tubes.map(pathOf))).toEqual(paths);

      const collision = await callApi<Problem>(t, user, 'POST', '/api/items/move', {
        moves: [
          { itemId: tubes[0]?.id, parentId: box.id, slot: 'B1' },
          { itemId: tubes[1]?.id, parentId: box.id, slot: 'B1' },
        ],
      });
      expect(collision.status).toBe(409);
      expect(collision.body.errors?.[0]?.field).toBe('moves.1.slot');
      const cycle = await callApi<Problem>(t, user, 'POST', '/api/items/move', {
        moves: [
          { itemId: tubes[0]?.id, parentId: plate.id, slot: 'A1' },
          { itemId: rack.id, parentId: box.id },
        ],
      });
      expect(cycle.status).toBe(422);
      expect(cycle.body.errors?.[0]?.field).toBe('moves.1.parentId');
      expect(await snapshot()).toEqual(before);

      // Moves see the ones before them: fill B1, then swap two tubes through a free slot.
      const ok = await callApi<{ items: Item[] }>(t, user, 'POST', '/api/items/move', {
        moves: [
          { itemId: tubes[0]?.id, parentId: box.id, slot: 'A1' },
          { itemId: tubes[1]?.id, parentId: box.id, slot: 'A2' },
          { itemId: tubes[0]?.id, parentId: box.id, slot: 'I9' },
          { itemId: tubes[1]?.id, parentId: box.id, slot: 'A1' },
          { itemId: tubes[0]?.id, parentId: box.id, slot: 'A2' },
          { itemId: tubes[2]?.id, parentId: plate.id, slot: 'H12' },
        ],
      });
      expect(ok.status).toBe(200);
      const byId = new Map(ok.body.items.map((i) => [i.id, i]));
      expect(byId.get(tubes[0]?.id ?? '')?.slot).toBe('A2');
      expect(byId.get(tubes[1]?.id ?? '')?.slot).toBe('A1');
      expect(byId.get(tubes[2]?.id ?? '')).toMatchObject({ parentId: plate.id, slot: 'H12' });
      expect(await pathOf(tubes[2] as Item)).toEqual([
        ...paths[2]!.slice(0, -1),
        plate.humanId,
        tubes[2]?.humanId,
      ]);
    });

    it('moves a box of 100 tubes with its whole subtree', async () => {
      const a = await buildStorage('hundredA');
      const b = await buildStorage('hundredB');
      const box = await buildItem(t, user, { type: 'box 10x10', parentId: a.rack.id });
      const slots = Array.from(
        { length: 100 },
        (_, i) => `${String.fromCharCode(65 + Math.floor(i / 10))}${(i % 10) + 1}`,
      );
      for (const slot of slots)
        await buildItem(t, user, { type: 'tube', name: `tube ${slot}`, parentId: box.id, slot });
      const moved = await callApi<Item>(t, user, 'POST', `/api/items/${box.id}/move`, {
        parentId: b.box.id,
        slot: 'E5',
      });
      expect(moved.status).toBe(200);
      // The box and its 100 tubes now sit one level deeper, under b's box; every path agrees with its parent.
      await expectPathsAgreeWithParents();
      const underB = await callApi<Page<Descendant>>(
        t,
        user,
        'GET',
        `/api/items/${b.room.id}/descendants?limit=500`,
      );
      expect(underB.body.items.filter((d) => d.depth === 5)).toHaveLength(100);
      const underA = await callApi<{ items: Descendant[] }>(
        t,
        user,
        'GET',
        `/api/items/${a.room.id}/descendants?limit=500`,
      );
      expect(underA.body.items.map((d) => d.id).sort()).toEqual([a.freezer.id, a.rack.id, a.box.id].sort());
      const children = await callApi<Children>(t, user, 'GET', `/api/items/${box.id}/children`);
      expect(children.body.items).toHaveLength(100);
      expect(children.body.grid?.freeSlots).toEqual([]);
    });
  });
});
