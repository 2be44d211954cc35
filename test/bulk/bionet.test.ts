/** bionet JSON: the bioDB entry shape, subtree exports, and export → import → export without loss. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { BionetEntry } from '../../src/modules/bulk/bionet-entry.js';
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildItem, buildType, callApi, countRows } from '../support/inventory-factories.js';
import { createTestApp, useTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { multipartBody } from '../support/multipart.js';
import type { ImportAnswer } from './bulk-support.js';

async function exportEntries(t: TestApp, user: TestUser, query = ''): Promise<BionetEntry[]> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/api/exports/bionet.json${query}`,
    headers: user.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.json();
}

async function importEntries(
  t: TestApp,
  user: TestUser,
  entries: unknown,
  query = '',
): Promise<ImportAnswer> {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/imports/bionet${query}`,
    headers: user.headers,
    payload: entries as object,
  });
  return { status: response.statusCode, body: response.json() };
}

describe.each(dialects)('bionet JSON on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const a = useTestApp(dialect, { users: { staffA: 'staff', userA: 'user', adminA: 'admin' } });
    // B is restored next to A's files (the same file store); `c` below has none of them.
    const b = useTestApp(dialect, {
      config: () => ({ filesDir: a.config.filesDir }),
      users: { staffB: 'staff', userB: 'user', adminB: 'admin' },
    });
    const { staffA, userA, adminA } = a.users;
    const { staffB, userB, adminB } = b.users;
    let freezer: Item;
    let plasmid: Item;
    let tube: Item;

    beforeAll(async () => {
      await buildType(a, { by: staffA, name: 'glycerol stock', fields: [{ name: 'medium', kind: 'text' }] });
      await buildType(a, { by: staffA, name: 'labelled thing', fields: [{ name: 'name', kind: 'text' }] });
      freezer = await buildItem(a, userA, { type: '-80 freezer', name: 'Freezer B', fields: { shelf: '1' } });
      const box = await buildItem(a, staffA, {
        type: 'box 10x10',
        name: 'Box 1',
        parentId: freezer.id,
        fields: { color: 'blue' },
      });
      plasmid = await buildItem(a, userA, {
        type: 'plasmid',
        name: 'pBio',
        description: 'a vector',
        fields: { sequence: 'ACGT' },
      });
      tube = await buildItem(a, userA, {
        type: 'tube',
        name: 'Tube 1',
        parentId: box.id,
        slot: 'J10',
        virtualId: plasmid.id,
        barcode: 'BIO-1',
        fields: { volume_ul: 10.25, frozen_on: '2026-02-01', concentration_unit: 'uM' },
      });
      await buildItem(a, userA, { type: 'tube', name: 'Hidden', parentId: box.id, hidden: true });
      await buildItem(a, userA, {
        type: 'glycerol stock',
        name: 'Stock',
        parentId: freezer.id,
        fields: { medium: 'LB' },
      });
      await buildItem(a, userA, {
        type: 'labelled thing',
        name: 'Thing',
        fields: { name: 'its own name field' },
      });
      const upload = multipartBody([
        { filename: 'map.txt', contentType: 'text/plain', content: 'a plasmid map' },
      ]);
      const attached = await a.app.inject({
        method: 'POST',
        url: `/api/items/${plasmid.id}/files`,
        headers: { ...userA.headers, ...upload.headers },
        payload: upload.payload,
      });
      expect(attached.statusCode, attached.body).toBe(201);
      const changed = await callApi(a, staffA, 'PATCH', `/api/items/${plasmid.id}`, {
        description: 'a cloning vector',
      });
      expect(changed.status).toBe(200);
      // The same accounts exist in both databases (bionet's userDB migrates separately from bioDB).
      const users = await a.database.db.selectFrom('users').selectAll().execute();
      await b.database.db.insertInto('users').values(users).execute();
    });

    it('exports live items as bioDB entries in key order, in the seed shape', async () => {
      const entries = await exportEntries(a, adminA);
      expect(entries).toHaveLength(7);
      // The whole inventory holds every project's samples: only administrators export it all.
      const asUser = await a.app.inject({
        method: 'GET',
        url: '/api/exports/bionet.json',
        headers: userA.headers,
      });
      expect(asUser.statusCode).toBe(403);
      expect(entries.map((entry) => entry.key)).toEqual(entries.map((entry) => entry.key).sort());
      for (const entry of entries) expect(entry.value.id).toBe(entry.key);
      const tubeEntry = entries.find((entry) => entry.key === tube.id);
      expect(tubeEntry?.value).toEqual({
        id: tube.id,
        type: 'tube',
        name: 'Tube 1',
        description: '',
        hidden: false,
        virtual_id: plasmid.id,
        barcode: 'BIO-1',
        parent_id: tube.parentId,
        locationInParent: { slot: 'J10' },
        files: [],
        volume_ul: 10.25,
        frozen_on: '2026-02-01',
        concentration_unit: 'uM',
        created: { at: Date.parse(tube.created.at) / 1000, by: userA.user.id },
        updated: { at: Date.parse(tube.updated.at) / 1000, by: userA.user.id },
      });
      const plasmidEntry = entries.find((entry) => entry.key === plasmid.id);
      expect(plasmidEntry?.value).toMatchObject({
        type: 'plasmid',
        canHavePhysicals: true,
        files: [
          {
            fileName: expect.stringMatching(/^\d{4}\/\d{2}\/[0-9a-f-]+\.txt$/) as unknown,
            fileType: 'text/plain',
            name: 'map.txt',
          },
        ],
        sequence: 'ACGT',
        description: 'a cloning vector',
        updated: { by: staffA.user.id },
      });
      expect(plasmidEntry?.value).not.toHaveProperty('parent_id');
      const thing = entries.find((entry) => entry.value.name === 'Thing');
      expect(thing?.value.fields).toEqual({ name: 'its own name field' });
      expect(entries.find((entry) => entry.value.name === 'Freezer B')?.value.locationInParent).toEqual({});
    });

    it('exports one subtree: the root, what it holds, then the virtuals used', async () => {
      const entries = await exportEntries(a, userA, `?root=${freezer.id}`);
      // Tree order (each container followed by its contents, siblings in creation order), then the virtuals.
      expect(entries.map((entry) => entry.value.name)).toEqual([
        'Freezer B',
        'Box 1',
        'Tube 1',
        'Hidden',
        'Stock',
        'pBio',
      ]);
      expect(entries[0]?.key).toBe(freezer.id);
      expect(entries.at(-1)?.key).toBe(plasmid.id);
      expect(entries).toHaveLength(6);
      const missing = await a.app.inject({
        method: 'GET',
        url: '/api/exports/bionet.json?root=p-missing',
        headers: userA.headers,
      });
      expect(missing.statusCode).toBe(404);
    });

    it('imports into an empty database keeping ids, stamps, places and fields: export again is equal', async () => {
      const exported = await exportEntries(a, adminA);
      const unknownTypes = await importEntries(b, userB, exported, '?dryRun=true');
      expect(unknownTypes.status).toBe(200);
      expect(unknownTypes.body.valid).toBe(false);
      expect(unknownTypes.body.errors.map((error) => error.field)).toEqual(['type', 'type']);
      expect(unknownTypes.body.warnings.map((warning) => warning.message).join()).toMatch(/createTypes=true/);
      const notStaff = await importEntries(b, userB, exported, '?createTypes=true');
      expect(notStaff.status).toBe(403);

      const before = await countRows(b, 'items');
      const dry = await importEntries(b, staffB, exported, '?dryRun=true&createTypes=true');
      expect(dry.status, JSON.stringify(dry.body)).toBe(200);
      expect(dry.body).toMatchObject({ valid: true, rows: 7, created: 0 });
      expect(await countRows(b, 'items')).toBe(before);
      expect(await countRows(b, 'item_types')).toBe((await countRows(a, 'item_types')) - 2);

      // An administrator's import: the entries keep their stamps (others' imports are stamped as theirs).
      const answer = await importEntries(b, adminB, exported, '?createTypes=true');
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body.created).toBe(7);
      expect(await exportEntries(b, adminB)).toEqual(exported);
      const plasmidFiles = await callApi<{ name: string; sha256: string }[]>(
        b,
        userB,
        'GET',
        `/api/items/${plasmid.id}/files`,
      );
      expect(plasmidFiles.body).toEqual([expect.objectContaining({ name: 'map.txt' })]);

      // Elsewhere, without the files: everything else imports, and the report says what was left out.
      const c = await createTestApp(dialect);
      try {
        const admin = await c.userWithToken({ role: 'admin' });
        const elsewhere = await importEntries(c, admin, exported, '?createTypes=true');
        expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(201);
        expect(elsewhere.body.warnings.map((warning) => warning.message)).toContainEqual(
          expect.stringMatching(/^file .*\.txt is not in this server's file store, so it was not attached$/),
        );
      } finally {
        await c.close();
      }

      const again = await importEntries(b, staffB, exported, '?dryRun=true');
      expect(again.body.invalidRows).toBe(7);
      expect(again.body.errors[0]?.message).toMatch(/already exists here/);
    });

    it('reports malformed entries by position and writes nothing', async () => {
      const entries = [
        { key: 'not-an-id', value: {} },
        { key: 'p-0195f0c2-0000-7000-8000-000000000001', value: { type: 'tube', name: 'No stamps' } },
        {
          key: 'p-0195f0c2-0000-7000-8000-000000000002',
          value: { type: 'plasmid', name: 'Wrong class', created: { at: 1, by: null } },
        },
        {
          key: 'p-0195f0c2-0000-7000-8000-000000000003',
          value: {
            type: 'tube',
            name: 'Bad field',
            created: { at: 1, by: null },
            volume_ul: { a: 1 },
            colour: 'x',
          },
        },
        {
          key: 'p-0195f0c2-0000-7000-8000-000000000004',
          value: {
            type: 'tube',
            name: 'Fine',
            created: { at: 1.5, by: 'someone-from-bionet' },
            volume_ul: '5',
          },
        },
      ];
      const before = await countRows(b, 'items');
      const answer = await importEntries(b, userB, entries);
      expect(answer.status).toBe(422);
      expect(answer.body.errors.map((error) => [error.row, error.field])).toEqual([
        [1, 'key'],
        [2, 'created'],
        [3, 'key'],
        [4, 'fields.colour'],
        [4, 'fields.volume_ul'],
      ]);
      expect(await countRows(b, 'items')).toBe(before);
      const fine = await importEntries(b, adminB, entries.slice(4));
      expect(fine.status, JSON.stringify(fine.body)).toBe(201);
      expect(fine.body.warnings.map((warning) => warning.message)).toEqual([
        expect.stringMatching(/user someone-from-bionet is not known here/),
      ]);
      const item = await callApi<Item>(b, userB, 'GET', '/api/items/p-0195f0c2-0000-7000-8000-000000000004');
      expect(item.body).toMatchObject({
        fields: { volume_ul: 5 },
        created: { at: '1970-01-01T00:00:01.500Z', by: { id: adminB.user.id } },
      });
      const notArray = await importEntries(b, userB, { key: 'x' });
      expect(notArray.status).toBe(400);
    });

    it("keeps entries' stamps only in an administrator's import; anyone else's is stamped as theirs, now", async () => {
      const NEW_YEAR_2001 = 978_307_200;
      const stamped = (n: number, by: string) => ({
        key: `p-0195f0c2-0000-7000-8000-00000000010${n}`,
        value: {
          type: 'tube',
          name: `Stamped ${n}`,
          created: { at: NEW_YEAR_2001, by },
          updated: { at: NEW_YEAR_2001 + 0.5, by },
        },
      });
      const getItem = async (n: number) =>
        (await callApi<Item>(b, adminB, 'GET', `/api/items/${stamped(n, '').key}`)).body;
      const start = new Date().toISOString();
      for (const [n, importer] of [
        [1, userB],
        [2, staffB],
      ] as const) {
        const answer = await importEntries(b, importer, [stamped(n, adminB.user.id)]);
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
        expect(answer.body.warnings.map((warning) => warning.message)).toEqual([
          `created and updated stamps are kept only in administrators' imports: these items are recorded as created and updated by ${importer.user.username}, now`,
        ]);
        const item = await getItem(n);
        expect(item.created.by?.id).toBe(importer.user.id);
        expect(item.updated.by?.id).toBe(importer.user.id);
        expect(item.created.at >= start, `${item.created.at} is the import's time`).toBe(true);
        expect(item.updated.at).toBe(item.created.at);
      }
      const asAdmin = await importEntries(b, adminB, [stamped(3, userB.user.id)]);
      expect(asAdmin.status, JSON.stringify(asAdmin.body)).toBe(201);
      expect(asAdmin.body.warnings).toEqual([]);
      expect(await getItem(3)).toMatchObject({
        created: { at: '2001-01-01T00:00:00.000Z', by: { id: userB.user.id } },
        updated: { at: '2001-01-01T00:00:00.500Z', by: { id: userB.user.id } },
      });
    });
  });
});
