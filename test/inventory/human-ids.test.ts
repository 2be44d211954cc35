/** Human-readable ids under concurrency, races on slots and moves, and the bulk create used by imports. */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/errors/catalogue.js';
import { inTransaction } from '../../src/db/transaction.js';
import type { CreateItem, Item, PathEntry } from '../../src/modules/inventory/inventory.schema.js';
import { pathKey } from '../../src/modules/inventory/item-paths.js';
import { createItemsInBulk } from '../../src/modules/inventory/item-creation.service.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { actorOfUser } from '../support/factories.js';
import type { Problem } from '../support/api-types.js';
import { buildBox, buildItem, callApi, countRows } from '../support/inventory-factories.js';
import { useTestApp } from '../support/test-app.js';

describe.each(dialects)('human ids and bulk creates on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { user: 'user' } });
    const { user } = t.users;

    it('gives 200 concurrent creates 200 distinct human ids', async () => {
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          callApi<Item>(t, user, 'POST', '/api/items', {
            type: i % 4 === 0 ? 'plasmid' : 'tube',
            name: `concurrent ${i}`,
          }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 200 }, () => 201));
      const ids = responses.map((r) => r.body.humanId);
      expect(new Set(ids).size).toBe(200);
      const physical = ids.filter((id) => id.startsWith('P-')).map((id) => Number(id.slice(2)));
      const virtual = ids.filter((id) => id.startsWith('V-')).map((id) => Number(id.slice(2)));
      expect(physical).toHaveLength(150);
      expect(virtual).toHaveLength(50);
      // No gaps either: every reserved number went to an item.
      expect(physical.sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => physical[0]! + i));
      expect(virtual.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => virtual[0]! + i));
    });

    it('never reuses a human id, also after a delete', async () => {
      const first = await buildItem(t, user, { type: 'tube' });
      expect((await callApi(t, user, 'DELETE', `/api/items/${first.id}`)).status).toBe(204);
      const next = await buildItem(t, user, { type: 'tube' });
      expect(Number(next.humanId.slice(2))).toBe(Number(first.humanId.slice(2)) + 1);
      const counter = await t.database.db
        .selectFrom('counters')
        .select('value')
        .where('name', '=', 'items.physical')
        .executeTakeFirstOrThrow();
      expect(Number(counter.value)).toBe(Number(next.humanId.slice(2)));
    });

    it('lets exactly one of many concurrent claims on a slot win', async () => {
      const box = await buildBox(t, { by: user });
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          callApi<Problem>(t, user, 'POST', '/api/items', {
            type: 'tube',
            name: `claim ${i}`,
            parentId: box.id,
            slot: 'E5',
          }),
        ),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 409 && r.body.code === 'slot_occupied')).toHaveLength(19);
    });

    it('refuses one of two concurrent moves that would together make a cycle', async () => {
      const a = await buildItem(t, user, { type: 'shelf', name: 'shelf a' });
      const b = await buildItem(t, user, { type: 'shelf', name: 'shelf b' });
      const [ab, ba] = await Promise.all([
        callApi(t, user, 'POST', `/api/items/${a.id}/move`, { parentId: b.id }),
        callApi(t, user, 'POST', `/api/items/${b.id}/move`, { parentId: a.id }),
      ]);
      expect([ab.status, ba.status].sort()).toEqual([200, 422]);
      const paths = await Promise.all(
        [a, b].map((item) => callApi<PathEntry[]>(t, user, 'GET', `/api/items/${item.id}/path`)),
      );
      expect(paths.map((p) => p.body.length).sort()).toEqual([1, 2]);
    });

    it('creates thousands of items in bulk with contiguous ids, index paths and audit events', async () => {
      const room = await buildItem(t, user, { type: 'room', name: 'bulk room' });
      const boxes: Item[] = [];
      for (let i = 0; i < 30; i++)
        boxes.push(await buildItem(t, user, { type: 'box 10x10', name: `bulk box ${i}`, parentId: room.id }));
      const strain = await buildItem(t, user, { type: 'strain', fields: { organism: 'S. cerevisiae' } });
      const inputs: CreateItem[] = [];
      for (let i = 0; i < 3000; i++) {
        const box = boxes[Math.floor(i / 100)] as Item;
        const slot = `${String.fromCharCode(65 + Math.floor((i % 100) / 10))}${(i % 10) + 1}`;
        inputs.push({
          type: 'tube',
          name: `bulk tube ${i}`,
          parentId: box.id,
          slot,
          virtualId: i % 2 === 0 ? strain.id : null,
          barcode: `BULK-${i}`,
          fields: { volume_ul: i },
        });
      }
      inputs.push({ type: 'primer', name: 'bulk primer', fields: { sequence: 'ACGTACGT' } });
      const [items, audit] = [await countRows(t, 'items'), await countRows(t, 'audit_events')];
      const started = Date.now();
      const created = await inTransaction(t.database.db, (trx) =>
        createItemsInBulk(trx, actorOfUser(user.user), inputs),
      );
      const elapsed = Date.now() - started;
      expect(created).toHaveLength(3001);
      expect(await countRows(t, 'items')).toBe(items + 3001);
      // Each tube is placed in the path index under its box: room key / box key / its own key.
      const key = (humanId: string) => `${pathKey(Number(humanId.slice(2)))}/`;
      const placed = await t.database.db
        .selectFrom('items as tube')
        .innerJoin('items as box', 'box.id', 'tube.parent_id')
        .select(['tube.path', 'tube.human_id', 'box.human_id as box_human_id'])
        .where('box.parent_id', '=', room.id)
        .execute();
      expect(placed).toHaveLength(3000);
      for (const tube of placed)
        expect(tube.path).toBe(`${key(room.humanId)}${key(tube.box_human_id)}${key(tube.human_id)}`);
      expect(await countRows(t, 'audit_events')).toBe(audit + 3001);
      const numbers = created.slice(0, 3000).map((c) => Number(c.humanId.slice(2)));
      expect(numbers).toEqual(Array.from({ length: 3000 }, (_, i) => numbers[0]! + i));
      expect(created[3000]?.humanId).toMatch(/^V-/);
      const last = created[2999]!;
      const path = await callApi<PathEntry[]>(t, user, 'GET', `/api/items/${last.id}/path`);
      expect(path.body.map((e) => e.id)).toEqual([room.id, boxes[29]?.id, last.id]);
      expect(path.body.at(-1)?.slot).toBe('J10');
      const scanned = await callApi<Item>(t, user, 'GET', '/api/barcodes/BULK-1234');
      expect(scanned.body).toMatchObject({
        name: 'bulk tube 1234',
        fields: { volume_ul: 1234 },
        virtualId: strain.id,
      });
      expect(elapsed).toBeLessThan(20_000);
    });

    it('validates every bulk input first and writes nothing when one is bad', async () => {
      const box = await buildBox(t, { by: user });
      const occupied = await buildItem(t, user, {
        type: 'tube',
        parentId: box.id,
        slot: 'A1',
        barcode: 'TAKEN-1',
      });
      const inputs: CreateItem[] = Array.from({ length: 1000 }, (_, i) => ({
        type: 'tube',
        name: `ok ${i}`,
        fields: { volume_ul: 1 },
      }));
      inputs[17] = { type: 'tube', name: 'bad kind', fields: { volume_ul: 'one' } };
      inputs[400] = { type: 'tube', name: 'bad slot', parentId: box.id, slot: 'A1' };
      inputs[401] = { type: 'tube', name: 'bad barcode', barcode: 'TAKEN-1' };
      inputs[402] = { type: 'tube', name: 'dup a', barcode: 'SAME' };
      inputs[403] = { type: 'tube', name: 'dup b', barcode: 'SAME' };
      inputs[999] = { type: 'nothing', name: 'bad type' };
      const [items, audit] = [await countRows(t, 'items'), await countRows(t, 'audit_events')];
      const error = await inTransaction(t.database.db, (trx) =>
        createItemsInBulk(trx, actorOfUser(user.user), inputs),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      const problem = error as DomainError;
      expect(problem.status).toBe(422);
      expect(problem.code).toBe('bulk_invalid');
      expect(problem.errors.map((e) => e.field)).toEqual([
        'items.17.fields.volume_ul',
        'items.400.slot',
        'items.401.barcode',
        'items.403.barcode',
        'items.999.type',
      ]);
      expect(problem.errors[1]?.message).toContain(occupied.humanId);
      expect(await countRows(t, 'items')).toBe(items);
      expect(await countRows(t, 'audit_events')).toBe(audit);
    });
  });
});
