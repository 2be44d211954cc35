/** Items: create, read, list, change, soft delete and restore, field validation, barcodes, permissions, audit. */
import { describe, expect, it } from 'vitest';
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import type { Page as PageOf, Problem as ProblemBody } from '../support/api-types.js';
import { buildItem, callApi, countRows } from '../support/inventory-factories.js';
import { useTestApp, type TestUser } from '../support/test-app.js';

/** A page of the items list. */
type Page = PageOf<Item>;

describe.each(dialects)('items on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { user: 'user', other: 'user', staff: 'staff' } });
    const { user, other, staff } = t.users;

    /** Runs a request that must be refused and checks that it wrote nothing. */
    async function expectRefused(
      as: TestUser,
      method: 'POST' | 'PATCH' | 'DELETE',
      url: string,
      payload: unknown,
      status: number,
    ): Promise<ProblemBody> {
      const [items, audit] = [await countRows(t, 'items'), await countRows(t, 'audit_events')];
      const response = await callApi<ProblemBody>(t, as, method, url, payload);
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      expect(await countRows(t, 'items')).toBe(items);
      expect(await countRows(t, 'audit_events')).toBe(audit);
      return response.body;
    }

    it('creates virtuals and physicals with ids, human ids and stamps', async () => {
      const plasmid = await buildItem(t, user, {
        type: 'plasmid',
        name: 'pUC19',
        description: 'cloning vector',
        fields: { sequence: 'ACGT', backbone: 'pUC' },
      });
      expect(plasmid.id).toMatch(/^v-[0-9a-f-]{36}$/);
      expect(plasmid.humanId).toMatch(/^V-\d{6}$/);
      expect(plasmid).toMatchObject({
        class: 'virtual',
        type: { name: 'plasmid' },
        parentId: null,
        hidden: false,
      });
      expect(plasmid.created.by).toEqual({ id: user.user.id, username: user.user.username });
      expect(plasmid.updated.by?.id).toBe(user.user.id);

      const tube = await buildItem(t, user, {
        type: 'tube',
        name: 'pUC19 miniprep',
        virtualId: plasmid.id,
        barcode: 'DM-0001',
        fields: { volume_ul: 50, concentration: 120.5, concentration_unit: 'ng/ul', frozen_on: '2026-02-28' },
      });
      expect(tube.id).toMatch(/^p-[0-9a-f-]{36}$/);
      expect(tube.humanId).toMatch(/^P-\d{6}$/);
      expect(tube).toMatchObject({
        virtualId: plasmid.id,
        barcode: 'DM-0001',
        fields: { volume_ul: 50, frozen_on: '2026-02-28' },
      });
      const read = await callApi<Item>(t, other, 'GET', `/api/items/${tube.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(tube);
      expect(
        (await callApi(t, user, 'GET', '/api/items/p-00000000-0000-0000-0000-000000000000')).status,
      ).toBe(404);
    });

    it('names the field when values do not fit the type, and writes nothing', async () => {
      const body = await expectRefused(
        user,
        'POST',
        '/api/items',
        {
          type: 'tube',
          name: 'bad tube',
          fields: { volume_ul: '12', colour: 'red', concentration_unit: 'gallons', frozen_on: '2026-02-30' },
        },
        422,
      );
      expect(body.errors).toEqual([
        { field: 'fields.volume_ul', message: 'must be a number, not "12"' },
        { field: 'fields.colour', message: 'is not a field of this type' },
        {
          field: 'fields.concentration_unit',
          message: 'must be one of ng/ul, ug/ml, nM, uM, mM, cells/ml, not "gallons"',
        },
        { field: 'fields.frozen_on', message: 'must be a date written YYYY-MM-DD, not "2026-02-30"' },
      ]);
      const missing = await expectRefused(
        user,
        'POST',
        '/api/items',
        { type: 'primer', name: 'p1', fields: { tm_c: 60 } },
        422,
      );
      expect(missing.errors).toEqual([{ field: 'fields.sequence', message: 'is required' }]);
      const wrongBoolean = await expectRefused(
        user,
        'POST',
        '/api/items',
        { type: '96-well plate', name: 'plate', fields: { sealed: 'yes' } },
        422,
      );
      expect(wrongBoolean.errors).toEqual([
        { field: 'fields.sealed', message: 'must be true or false, not "yes"' },
      ]);
      const unknownType = await expectRefused(
        user,
        'POST',
        '/api/items',
        { type: 'spaceship', name: 'x' },
        422,
      );
      expect(unknownType.errors?.[0]?.field).toBe('type');
      const malformed = await expectRefused(user, 'POST', '/api/items', { type: 'tube' }, 400);
      expect(malformed.code).toBe('validation_failed');
    });

    it('keeps virtuals out of places and checks virtual links', async () => {
      const room = await buildItem(t, user, { type: 'room' });
      const strain = await buildItem(t, user, { type: 'strain', fields: { organism: 'E. coli' } });
      const placed = await expectRefused(
        user,
        'POST',
        '/api/items',
        { type: 'antibody', name: 'a', parentId: room.id, barcode: 'X' },
        422,
      );
      expect(placed.errors?.map((e) => e.field).sort()).toEqual(['barcode', 'parentId']);
      const intoVirtual = await expectRefused(
        user,
        'POST',
        '/api/items',
        { type: 'tube', name: 't', parentId: strain.id },
        422,
      );
      expect(intoVirtual.errors?.[0]?.field).toBe('parentId');
      expect(intoVirtual.errors?.[0]?.message).toContain('virtual');
      const physicalAsVirtual = await expectRefused(
        user,
        'POST',
        '/api/items',
        { type: 'tube', name: 't', virtualId: room.id },
        422,
      );
      expect(physicalAsVirtual.errors?.[0]?.field).toBe('virtualId');

      await callApi(t, staff, 'POST', '/api/types', {
        name: 'glycerol stock',
        class: 'physical',
        virtual: true,
      });
      const orphan = await expectRefused(
        user,
        'POST',
        '/api/items',
        { type: 'glycerol stock', name: 'g' },
        422,
      );
      expect(orphan.errors?.[0]?.field).toBe('virtualId');
      expect(orphan.errors?.[0]?.message).toContain('required');
      const stock = await buildItem(t, user, { type: 'glycerol stock', virtualId: strain.id });
      expect(stock.virtualId).toBe(strain.id);
      const unlink = await callApi<ProblemBody>(t, user, 'PATCH', `/api/items/${stock.id}`, {
        virtualId: null,
      });
      expect(unlink.status).toBe(422);
    });

    it('refuses parents that are deleted', async () => {
      const shelf = await buildItem(t, user, { type: 'shelf' });
      expect((await callApi(t, user, 'DELETE', `/api/items/${shelf.id}`)).status).toBe(204);
      const body = await expectRefused(
        user,
        'POST',
        '/api/items',
        { type: 'rack', name: 'r', parentId: shelf.id },
        422,
      );
      expect(body.errors?.[0]?.field).toBe('parentId');
      expect(body.errors?.[0]?.message).toContain('deleted');
    });

    it('lists with filters, hidden items only on request, and cursor pages', async () => {
      const fridge = await buildItem(t, user, { type: 'fridge', name: 'Fridge Listing' });
      const made: Item[] = [];
      for (let i = 0; i < 7; i++) {
        made.push(
          await buildItem(t, user, {
            type: 'tube',
            name: `Listing tube ${i}`,
            parentId: fridge.id,
            barcode: `LIST-${i}`,
          }),
        );
      }
      const hidden = await buildItem(t, user, {
        type: 'tube',
        name: 'Listing tube hidden',
        parentId: fridge.id,
        hidden: true,
      });
      const inFridge = await callApi<Page>(t, user, 'GET', `/api/items?parent=${fridge.id}&limit=50`);
      expect(inFridge.body.items.map((i) => i.id)).toEqual(made.map((i) => i.id));
      const withHidden = await callApi<Page>(
        t,
        user,
        'GET',
        `/api/items?parent=${fridge.id}&includeHidden=true`,
      );
      expect(withHidden.body.items.map((i) => i.id)).toContain(hidden.id);

      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/items?parent=${fridge.id}&sort=-name&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await callApi<Page>(t, user, 'GET', url);
        expect(page.status).toBe(200);
        pages.push(...page.body.items.map((i) => i.name));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(pages).toEqual(made.map((i) => i.name).reverse());

      const byText = await callApi<Page>(t, user, 'GET', '/api/items?q=LISTING%20TUBE%203');
      expect(byText.body.items.map((i) => i.id)).toEqual([made[3]?.id]);
      const byBarcode = await callApi<Page>(t, user, 'GET', '/api/items?q=list-5');
      expect(byBarcode.body.items.map((i) => i.id)).toEqual([made[5]?.id]);
      const byHumanId = await callApi<Page>(t, user, 'GET', `/api/items?q=${made[1]?.humanId.toLowerCase()}`);
      expect(byHumanId.body.items.map((i) => i.id)).toEqual([made[1]?.id]);
      const percent = await callApi<Page>(t, user, 'GET', '/api/items?q=%25');
      expect(percent.body.items).toEqual([]);

      const fridges = await callApi<Page>(t, user, 'GET', '/api/items?type=FRIDGE');
      expect(fridges.body.items.map((i) => i.id)).toContain(fridge.id);
      expect(fridges.body.items.every((i) => i.type.name === 'fridge')).toBe(true);
      const virtuals = await callApi<Page>(t, user, 'GET', '/api/items?class=virtual&limit=200');
      expect(virtuals.body.items.every((i) => i.class === 'virtual')).toBe(true);
      const topLevel = await callApi<Page>(t, user, 'GET', '/api/items?parent=root&limit=200');
      expect(topLevel.body.items.map((i) => i.id)).toContain(fridge.id);
      expect(topLevel.body.items.every((i) => i.parentId === null && i.class === 'physical')).toBe(true);
      expect((await callApi(t, user, 'GET', '/api/items?type=spaceship')).status).toBe(422);
      expect((await callApi(t, user, 'GET', '/api/items?cursor=garbage')).status).toBe(422);
    });

    it('sorts names with case folded, the same on both databases, across pages', async () => {
      const room = await buildItem(t, user, { type: 'room', name: 'Case room' });
      const names = ['T7 promoter', 'anti-GFP', 'Zeocin', 'alpha', 'ALPHA', 'beta', 'Éclair'];
      const made = new Map<string, string>();
      for (const name of names) {
        made.set(name, (await buildItem(t, user, { type: 'fridge', name, parentId: room.id })).id);
      }
      // ASCII case folded; 'ALPHA' and 'alpha' tie and go by id (creation order); a non-ASCII capital keeps
      // its case and sorts after ASCII letters on both databases.
      const expected = ['alpha', 'ALPHA', 'anti-GFP', 'beta', 'T7 promoter', 'Zeocin', 'Éclair'];
      const read = async (base: string) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { status: number; body: Page } = await callApi<Page>(
            t,
            user,
            'GET',
            `${base}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          );
          expect(page.status).toBe(200);
          seen.push(...page.body.items.map((item) => item.name));
          cursor = page.body.nextCursor;
        } while (cursor !== null);
        return seen;
      };
      expect(await read(`/api/items?parent=${room.id}&sort=name`)).toEqual(expected);
      expect(await read(`/api/items?parent=${room.id}&sort=-name`)).toEqual([...expected].reverse());
      const children = await read(`/api/items/${room.id}/children?includeHidden=false`);
      expect(children).toEqual(expected);
    });

    it("lists a virtual's instances, another project's samples only to its members", async () => {
      const plasmid = await buildItem(t, user, { type: 'plasmid', name: 'pInstances' });
      const unrelated = await buildItem(t, user, { type: 'plasmid', name: 'pElsewhere' });
      const tubes = [
        await buildItem(t, user, { type: 'tube', name: 'pInstances #1', virtualId: plasmid.id }),
        await buildItem(t, user, { type: 'tube', name: 'pInstances #2', virtualId: plasmid.id }),
      ];
      await buildItem(t, user, { type: 'tube', name: 'pElsewhere #1', virtualId: unrelated.id });
      const projectId = (
        await callApi<{ id: string }>(t, other, 'POST', '/api/projects', { name: 'Instances project' })
      ).body.id;
      const sample = await callApi<{ id: string }>(t, other, 'POST', '/api/samples', {
        projectId,
        name: 'pInstances in a project',
        type: 'tube',
      });
      const linked = await callApi(t, other, 'PATCH', `/api/items/${sample.body.id}`, {
        virtualId: plasmid.id,
      });
      expect(linked.status, JSON.stringify(linked.body)).toBe(200);

      const url = `/api/items?instanceOf=${plasmid.id}&sort=name`;
      const asUser = await callApi<Page>(t, user, 'GET', url);
      expect(asUser.body.items.map((item) => item.id)).toEqual(tubes.map((tube) => tube.id));
      const asMember = await callApi<Page>(t, other, 'GET', url);
      expect(asMember.body.items.map((item) => item.name)).toEqual([
        'pInstances #1',
        'pInstances #2',
        'pInstances in a project',
      ]);
      const unknown = await callApi<Page>(t, user, 'GET', '/api/items?instanceOf=v-nothing');
      expect(unknown.body.items).toEqual([]);
    });

    it('changes names, descriptions and fields (merged, null removes), validated', async () => {
      const tube = await buildItem(t, user, { type: 'tube', fields: { volume_ul: 10, concentration: 2 } });
      const changed = await callApi<Item>(t, other, 'PATCH', `/api/items/${tube.id}`, {
        name: 'renamed',
        description: 'now described',
        fields: { volume_ul: 8, concentration: null, concentration_unit: 'uM' },
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({
        name: 'renamed',
        description: 'now described',
        fields: { volume_ul: 8, concentration_unit: 'uM' },
      });
      expect(changed.body.fields).not.toHaveProperty('concentration');
      expect(changed.body.updated.by?.id).toBe(other.user.id);
      expect(changed.body.created.by?.id).toBe(user.user.id);
      const bad = await expectRefused(
        user,
        'PATCH',
        `/api/items/${tube.id}`,
        { fields: { volume_ul: 'lots' } },
        422,
      );
      expect(bad.errors).toEqual([{ field: 'fields.volume_ul', message: 'must be a number, not "lots"' }]);
      expect((await callApi<Item>(t, user, 'GET', `/api/items/${tube.id}`)).body.fields).toEqual({
        volume_ul: 8,
        concentration_unit: 'uM',
      });
      const history = await callApi<{
        items: { action: string; before: { name: string }; after: { name: string } }[];
      }>(t, other, 'GET', `/api/audit?entityType=item&entityId=${tube.id}`);
      expect(history.body.items.map((e) => e.action)).toEqual(['update', 'create']);
      expect(history.body.items[0]?.before.name).toBe('tube item');
      expect(history.body.items[0]?.after.name).toBe('renamed');
    });

    it('keeps barcodes unique and resolves scanned codes', async () => {
      const first = await buildItem(t, user, { type: 'tube', barcode: 'SCAN-42' });
      const duplicate = await expectRefused(
        user,
        'POST',
        '/api/items',
        { type: 'tube', name: 'dup', barcode: 'SCAN-42' },
        409,
      );
      expect(duplicate.code).toBe('barcode_taken');
      expect(duplicate.detail).toContain(first.humanId);
      const second = await buildItem(t, user, { type: 'tube', barcode: 'SCAN-43' });
      expect(
        (await callApi<ProblemBody>(t, user, 'PATCH', `/api/items/${second.id}`, { barcode: 'SCAN-42' }))
          .status,
      ).toBe(409);

      expect((await callApi<Item>(t, other, 'GET', '/api/barcodes/SCAN-42')).body.id).toBe(first.id);
      expect(
        (await callApi<Item>(t, other, 'GET', `/api/barcodes/${first.humanId.toLowerCase()}`)).body.id,
      ).toBe(first.id);
      expect((await callApi<Item>(t, other, 'GET', `/api/barcodes/${first.id}`)).body.id).toBe(first.id);
      expect((await callApi(t, other, 'GET', '/api/barcodes/NOPE-1')).status).toBe(404);

      // A deleted item gives up its barcode; restoring it while another item has it is refused.
      expect((await callApi(t, user, 'DELETE', `/api/items/${first.id}`)).status).toBe(204);
      expect((await callApi(t, other, 'GET', '/api/barcodes/SCAN-42')).status).toBe(404);
      const reuse = await buildItem(t, user, { type: 'tube', barcode: 'SCAN-42' });
      const restore = await callApi<ProblemBody>(t, user, 'POST', `/api/items/${first.id}/restore`);
      expect(restore.status).toBe(409);
      expect(restore.body.code).toBe('barcode_taken');
      expect(restore.body.detail).toContain(reuse.humanId);
    });

    it('soft-deletes and restores, with audit events', async () => {
      const tube = await buildItem(t, user, { type: 'tube', name: 'to delete' });
      const notAllowed = await expectRefused(other, 'DELETE', `/api/items/${tube.id}`, undefined, 403);
      expect(notAllowed.code).toBe('forbidden');
      expect((await callApi(t, user, 'DELETE', `/api/items/${tube.id}`)).status).toBe(204);
      expect((await callApi(t, user, 'GET', `/api/items/${tube.id}`)).status).toBe(404);
      expect((await callApi(t, user, 'DELETE', `/api/items/${tube.id}`)).status).toBe(404);
      const deleted = await callApi<Item>(t, user, 'GET', `/api/items/${tube.id}?includeDeleted=true`);
      expect(deleted.body.deletedAt).not.toBeNull();
      const trash = await callApi<Page>(t, user, 'GET', '/api/items?deleted=true&q=to%20delete');
      expect(trash.body.items.map((i) => i.id)).toEqual([tube.id]);
      const live = await callApi<Page>(t, user, 'GET', '/api/items?q=to%20delete');
      expect(live.body.items).toEqual([]);

      expect((await callApi(t, other, 'POST', `/api/items/${tube.id}/restore`)).status).toBe(403);
      const restored = await callApi<Item>(t, staff, 'POST', `/api/items/${tube.id}/restore`);
      expect(restored.status).toBe(200);
      expect(restored.body.deletedAt).toBeNull();
      expect((await callApi<ProblemBody>(t, user, 'POST', `/api/items/${tube.id}/restore`)).body.code).toBe(
        'not_deleted',
      );
      const history = await callApi<{ items: { action: string; actorId: string }[] }>(
        t,
        other,
        'GET',
        `/api/audit?entityType=item&entityId=${tube.id}`,
      );
      expect(history.body.items.map((e) => e.action)).toEqual(['restore', 'delete', 'create']);
      expect(history.body.items[0]?.actorId).toBe(staff.user.id);
    });

    it('refuses deleting a virtual with live physicals and a container with live children', async () => {
      const antibody = await buildItem(t, user, { type: 'antibody', fields: { clonality: 'monoclonal' } });
      const box = await buildItem(t, user, { type: 'box 10x10' });
      const vial = await buildItem(t, user, {
        type: 'tube',
        virtualId: antibody.id,
        parentId: box.id,
        slot: 'J10',
      });
      const usedVirtual = await expectRefused(user, 'DELETE', `/api/items/${antibody.id}`, undefined, 409);
      expect(usedVirtual.code).toBe('virtual_has_physicals');
      const fullBox = await expectRefused(user, 'DELETE', `/api/items/${box.id}`, undefined, 409);
      expect(fullBox.code).toBe('container_not_empty');
      expect(fullBox.detail).toContain('1 item');
      expect((await callApi(t, user, 'DELETE', `/api/items/${vial.id}`)).status).toBe(204);
      expect((await callApi(t, user, 'DELETE', `/api/items/${antibody.id}`)).status).toBe(204);
      expect((await callApi(t, user, 'DELETE', `/api/items/${box.id}`)).status).toBe(204);
      // Restoring the vial needs its box and its virtual back first.
      const orphan = await callApi<ProblemBody>(t, user, 'POST', `/api/items/${vial.id}/restore`);
      expect(orphan.status).toBe(409);
      expect(orphan.body.code).toBe('parent_deleted');
      expect((await callApi(t, user, 'POST', `/api/items/${box.id}/restore`)).status).toBe(200);
      expect((await callApi<ProblemBody>(t, user, 'POST', `/api/items/${vial.id}/restore`)).body.code).toBe(
        'virtual_deleted',
      );
      expect((await callApi(t, user, 'POST', `/api/items/${antibody.id}/restore`)).status).toBe(200);
      const back = await callApi<Item>(t, user, 'POST', `/api/items/${vial.id}/restore`);
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ parentId: box.id, slot: 'J10' });
    });

    it('lets every user read inventory history', async () => {
      const item = await buildItem(t, user, { type: 'rack' });
      const seen = await callApi<{ items: { entityId: string; action: string }[] }>(
        t,
        other,
        'GET',
        `/api/audit?entityType=item&entityId=${item.id}`,
      );
      expect(seen.body.items).toEqual([expect.objectContaining({ entityId: item.id, action: 'create' })]);
    });

    it('audits text that needs escaping exactly as it was written', async () => {
      const awkward = {
        name: 'Tube "7" \\ back\\slash µl ☃ 𝄞',
        description: 'line one\nline two\ttabbed \u0001 "quoted" </script>',
        barcode: 'BC"\\1 ☃',
      };
      const tube = await buildItem(t, user, { type: 'tube', ...awkward });
      const history = await callApi<{ items: { action: string; after: Record<string, unknown> }[] }>(
        t,
        user,
        'GET',
        `/api/audit?entityType=item&entityId=${tube.id}`,
      );
      expect(history.body.items[0]?.after).toMatchObject({ ...awkward, id: tube.id, human_id: tube.humanId });
    });
  });
});
