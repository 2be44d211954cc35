/** Item types: the built-ins of a fresh install, who may define types, and changes that are refused. */
import { describe, expect, it } from 'vitest';
import type { ItemType } from '../../src/modules/inventory/inventory.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import type { Problem } from '../support/api-types.js';
import { buildBox, buildItem, buildType, callApi, countRows } from '../support/inventory-factories.js';
import { useTestApp } from '../support/test-app.js';

describe.each(dialects)('item types on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { user: 'user', staff: 'staff', admin: 'admin' } });
    const { user, staff, admin } = t.users;

    it('a fresh install has exactly the built-in types', async () => {
      const { status, body } = await callApi<ItemType[]>(t, user, 'GET', '/api/types');
      expect(status).toBe(200);
      const byName = new Map(body.map((type) => [type.name, type]));
      expect([...byName.keys()].sort()).toEqual(
        [
          '-80 freezer',
          '96-well plate',
          'antibody',
          'box 10x10',
          'box 9x9',
          'fridge',
          'plasmid',
          'primer',
          'rack',
          'room',
          'shelf',
          'strain',
          'tube',
        ].sort(),
      );
      for (const type of body) expect(type.builtin).toBe(true);
      for (const name of ['plasmid', 'strain', 'primer', 'antibody'])
        expect(byName.get(name)?.class).toBe('virtual');
      for (const name of [
        'room',
        '-80 freezer',
        'fridge',
        'shelf',
        'rack',
        'box 9x9',
        'box 10x10',
        '96-well plate',
        'tube',
      ]) {
        expect(byName.get(name)?.class).toBe('physical');
      }
      expect(byName.get('box 9x9')?.grid).toEqual({ rows: 9, columns: 9 });
      expect(byName.get('box 10x10')?.grid).toEqual({ rows: 10, columns: 10 });
      expect(byName.get('96-well plate')?.grid).toEqual({ rows: 8, columns: 12 });
      expect(byName.get('tube')?.grid).toBeNull();
      for (const name of ['plasmid', 'primer']) {
        expect(byName.get(name)?.fields.find((f) => f.name === 'sequence')).toMatchObject({
          kind: 'sequence',
          alphabet: 'dna',
        });
      }
      expect(byName.get('-80 freezer')?.fields.map((f) => f.name)).toEqual(['shelf', 'rack', 'box']);
      expect(byName.get('tube')?.fields.find((f) => f.name === 'volume_ul')?.kind).toBe('number');
      expect(byName.get('antibody')?.fields.find((f) => f.name === 'clonality')).toMatchObject({
        kind: 'choice',
        options: ['monoclonal', 'polyclonal'],
      });
      const physical = await callApi<ItemType[]>(t, user, 'GET', '/api/types?class=physical');
      expect(physical.body.every((type) => type.class === 'physical')).toBe(true);
    });

    it('describes every inventory route in the OpenAPI document', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(response.statusCode).toBe(200);
      const doc = response.json<{
        paths: Record<string, Record<string, { tags?: string[]; summary?: string; responses?: object }>>;
      }>();
      const expected: [string, string][] = [
        ['/api/types', 'post'],
        ['/api/types', 'get'],
        ['/api/types/{id}', 'get'],
        ['/api/types/{id}', 'patch'],
        ['/api/items', 'post'],
        ['/api/items', 'get'],
        ['/api/items/{id}', 'get'],
        ['/api/items/{id}', 'patch'],
        ['/api/items/{id}', 'delete'],
        ['/api/items/{id}/restore', 'post'],
        ['/api/items/{id}/move', 'post'],
        ['/api/items/move', 'post'],
        ['/api/items/{id}/path', 'get'],
        ['/api/items/{id}/children', 'get'],
        ['/api/items/{id}/descendants', 'get'],
        ['/api/barcodes/{code}', 'get'],
      ];
      for (const [path, method] of expected) {
        const operation = doc.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(operation?.tags).toEqual(['inventory']);
        expect(operation?.summary).toBeTruthy();
        expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['404', '422']));
      }
    });

    it('finds a type by id or by name', async () => {
      const byName = await callApi<ItemType>(
        t,
        user,
        'GET',
        `/api/types/${encodeURIComponent('96-WELL PLATE')}`,
      );
      expect(byName.status).toBe(200);
      const byId = await callApi<ItemType>(t, user, 'GET', `/api/types/${byName.body.id}`);
      expect(byId.body.name).toBe('96-well plate');
      expect((await callApi(t, user, 'GET', '/api/types/nothing-like-it')).status).toBe(404);
    });

    it('lets staff and admins define types, not users', async () => {
      const input = {
        name: 'cryovial rack',
        class: 'physical',
        grid: { rows: 5, columns: 5 },
        fields: [{ name: 'material', kind: 'choice', options: ['metal', 'plastic'], required: true }],
      };
      const before = await countRows(t, 'item_types');
      expect((await callApi(t, user, 'POST', '/api/types', input)).status).toBe(403);
      expect(await countRows(t, 'item_types')).toBe(before);
      const created = await callApi<ItemType>(t, staff, 'POST', '/api/types', input);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'cryovial rack',
        class: 'physical',
        builtin: false,
        virtual: false,
      });
      expect(created.body.created.by?.username).toBe(staff.user.username);
      const again = await callApi(t, admin, 'POST', '/api/types', { ...input, name: 'Cryovial Rack' });
      expect(again.status).toBe(409);
      expect((await callApi(t, user, 'PATCH', `/api/types/${created.body.id}`, { name: 'x' })).status).toBe(
        403,
      );
      const audit = await callApi<{ items: { action: string }[] }>(
        t,
        user,
        'GET',
        `/api/audit?entityType=item_type&entityId=${created.body.id}`,
      );
      expect(audit.body.items.map((event) => event.action)).toEqual(['create']);
    });

    it('refuses bad definitions with field errors', async () => {
      const bad = await callApi<{ errors: { field: string }[] }>(t, admin, 'POST', '/api/types', {
        name: 'bad',
        class: 'virtual',
        virtual: true,
        grid: { rows: 2, columns: 2 },
        fields: [
          { name: 'Has Space', kind: 'text' },
          { name: 'pick', kind: 'choice' },
          { name: 'dup', kind: 'text' },
          { name: 'dup', kind: 'number' },
        ],
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((e) => e.field).sort()).toEqual(
        ['fields.0.name', 'fields.1.options', 'fields.3.name', 'grid', 'virtual'].sort(),
      );
    });

    it('never changes a class, and keeps built-in names', async () => {
      const tube = await callApi<ItemType>(t, admin, 'GET', '/api/types/tube');
      const classChange = await callApi<Problem>(t, admin, 'PATCH', `/api/types/${tube.body.id}`, {
        class: 'virtual',
      });
      expect(classChange.status).toBe(422);
      expect(classChange.body.code).toBe('type_class_fixed');
      expect((await callApi(t, admin, 'PATCH', '/api/types/tube', { name: 'vial' })).status).toBe(422);
      const sameClass = await callApi<ItemType>(t, admin, 'PATCH', '/api/types/tube', { class: 'physical' });
      expect(sameClass.status).toBe(200);
    });

    it('refuses removing or shrinking a grid whose slots are in use', async () => {
      const type = await buildType(t, { by: admin, name: 'tray 4x6', grid: { rows: 4, columns: 6 } });
      const tray = await buildBox(t, { by: user, type: 'tray 4x6' });
      await buildItem(t, user, { type: 'tube', parentId: tray.id, slot: 'D6' });
      const removal = await callApi<Problem>(t, staff, 'PATCH', `/api/types/${type.id}`, {
        grid: null,
      });
      expect(removal.status).toBe(409);
      expect(removal.body.code).toBe('grid_in_use');
      expect(removal.body.detail).toContain('D6');
      expect(
        (await callApi(t, staff, 'PATCH', `/api/types/${type.id}`, { grid: { rows: 3, columns: 6 } })).status,
      ).toBe(409);
      const grown = await callApi<ItemType>(t, staff, 'PATCH', `/api/types/${type.id}`, {
        grid: { rows: 8, columns: 12 },
      });
      expect(grown.status).toBe(200);
      expect(grown.body.grid).toEqual({ rows: 8, columns: 12 });
    });

    it('refuses field changes that would make existing items invalid, allows safe ones', async () => {
      const type = await buildType(t, {
        by: admin,
        name: 'reagent',
        class: 'virtual',
        fields: [
          { name: 'supplier', kind: 'text' },
          { name: 'grade', kind: 'choice', options: ['a', 'b'] },
        ],
      });
      const item = await buildItem(t, user, { type: 'reagent', fields: { supplier: 'Acme', grade: 'b' } });
      const url = `/api/types/${type.id}`;
      const addRequired = await callApi<Problem>(t, admin, 'PATCH', url, {
        fields: [...type.fields, { name: 'lot', kind: 'text', required: true }],
      });
      expect(addRequired.status).toBe(409);
      expect(addRequired.body.code).toBe('items_would_be_invalid');
      expect(addRequired.body.detail).toContain(item.humanId);
      const dropOption = await callApi(t, admin, 'PATCH', url, {
        fields: [type.fields[0], { name: 'grade', kind: 'choice', options: ['a'] }],
      });
      expect(dropOption.status).toBe(409);
      const removeUsed = await callApi(t, admin, 'PATCH', url, { fields: [type.fields[1]] });
      expect(removeUsed.status).toBe(409);
      const kindChange = await callApi(t, admin, 'PATCH', url, {
        fields: [{ name: 'supplier', kind: 'number' }, type.fields[1]],
      });
      expect(kindChange.status).toBe(409);
      const safe = await callApi<ItemType>(t, admin, 'PATCH', url, {
        fields: [...type.fields, { name: 'lot', kind: 'text' }],
      });
      expect(safe.status).toBe(200);
      expect(safe.body.fields.map((f) => f.name)).toEqual(['supplier', 'grade', 'lot']);
    });

    it('refuses requiring a virtual while items of the type have none', async () => {
      const type = await buildType(t, { by: admin, name: 'vial' });
      const vial = await buildItem(t, user, { type: 'vial' });
      const requiring = await callApi<Problem>(t, admin, 'PATCH', `/api/types/${type.id}`, {
        virtual: true,
      });
      expect(requiring.status).toBe(409);
      expect(requiring.body.detail).toContain(vial.humanId);
    });
  });
});
