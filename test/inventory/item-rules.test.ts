/**
 * One set of item rules: the same bad items, sent one at a time to `POST /api/items` and as rows of a CSV
 * import's dry run, get the same problems — the same field (a column mapped to its field: `parent` is
 * `parentId`, `virtual` is `virtualId`) and the same message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import { postCsv } from '../bulk/bulk-support.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildItem, callApi } from '../support/inventory-factories.js';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface Problem {
  field: string;
  message: string;
}

/** A CSV column's problem field as the API names it. */
const API_FIELD: Record<string, string> = { parent: 'parentId', virtual: 'virtualId' };

const COLUMNS = [
  'type',
  'name',
  'parent',
  'slot',
  'barcode',
  'virtual',
  'tag',
  'count',
  'day',
  'ok',
  'colour',
];

/** One bad item: its API body and the same item as a CSV row (cells by column). */
interface BadItem {
  about: string;
  body: Record<string, unknown>;
  cells: Partial<Record<(typeof COLUMNS)[number], string>>;
}

describe.each(dialects)('item rules on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    let t: TestApp;
    let user: TestUser;
    let box: Item;
    let occupant: Item;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      user = await t.userWithToken();
      const staff = await t.userWithToken({ role: 'staff' });
      const probe = await callApi(t, staff, 'POST', '/api/types', {
        name: 'rules probe',
        class: 'physical',
        fields: [
          { name: 'tag', kind: 'text', required: true },
          { name: 'count', kind: 'number' },
          { name: 'day', kind: 'date' },
          { name: 'ok', kind: 'boolean' },
          { name: 'colour', kind: 'choice', options: ['red', 'blue'] },
        ],
      });
      expect(probe.status, JSON.stringify(probe.body)).toBe(201);
      box = await buildItem(t, user, { type: 'box 9x9', name: 'Rules box' });
      occupant = await buildItem(t, user, {
        type: 'tube',
        name: 'Occupant',
        parentId: box.id,
        slot: 'A1',
        barcode: 'RULES-TAKEN',
      });
    });
    afterAll(async () => t?.close());

    function badItems(): BadItem[] {
      const unknownVirtual = 'v-00000000-0000-7000-8000-000000000000';
      return [
        { about: 'empty name', body: { type: 'tube', name: '' }, cells: { type: 'tube', name: '' } },
        { about: 'blank name', body: { type: 'tube', name: '   ' }, cells: { type: 'tube', name: '   ' } },
        {
          about: 'too long a name',
          body: { type: 'tube', name: 'n'.repeat(301) },
          cells: { type: 'tube', name: 'n'.repeat(301) },
        },
        {
          about: 'too long a barcode',
          body: { type: 'tube', name: 'Long barcode', barcode: 'b'.repeat(301) },
          cells: { type: 'tube', name: 'Long barcode', barcode: 'b'.repeat(301) },
        },
        {
          about: 'a bad value of each field type (text: required; number, date, boolean, choice)',
          body: {
            type: 'rules probe',
            name: 'Bad values',
            fields: { count: 'lots', day: '2026-02-30', ok: 'maybe', colour: 'green' },
          },
          cells: {
            type: 'rules probe',
            name: 'Bad values',
            count: 'lots',
            day: '2026-02-30',
            ok: 'maybe',
            colour: 'green',
          },
        },
        {
          about: 'a slot off the grid',
          body: { type: 'tube', name: 'Off grid', parentId: box.id, slot: 'K1' },
          cells: { type: 'tube', name: 'Off grid', parent: box.humanId, slot: 'K1' },
        },
        {
          about: 'a taken slot',
          body: { type: 'tube', name: 'Taken slot', parentId: box.id, slot: 'A1' },
          cells: { type: 'tube', name: 'Taken slot', parent: box.humanId, slot: 'A1' },
        },
        {
          about: 'a taken barcode',
          body: { type: 'tube', name: 'Taken barcode', barcode: occupant.barcode },
          cells: { type: 'tube', name: 'Taken barcode', barcode: occupant.barcode ?? '' },
        },
        {
          about: 'an unknown virtual',
          body: { type: 'tube', name: 'Unknown virtual', virtualId: unknownVirtual },
          cells: { type: 'tube', name: 'Unknown virtual', virtual: unknownVirtual },
        },
        {
          about: 'physical-only attributes on a virtual',
          body: {
            type: 'plasmid',
            name: 'Placed plasmid',
            parentId: box.id,
            slot: 'B2',
            barcode: 'PLASMID-1',
          },
          cells: {
            type: 'plasmid',
            name: 'Placed plasmid',
            parent: box.humanId,
            slot: 'B2',
            barcode: 'PLASMID-1',
          },
        },
      ];
    }

    /** The problems of a single create, fields as the API names them (`body/name` from the schema is `name`). */
    async function problemsOfCreate(body: Record<string, unknown>): Promise<Problem[]> {
      const answer = await callApi<{ errors?: Problem[] }>(t, user, 'POST', '/api/items', body);
      expect(answer.status, JSON.stringify(answer.body)).toBeGreaterThanOrEqual(400);
      return (answer.body.errors ?? []).map(({ field, message }) => ({
        field: field.replace(/^body\//, '').replaceAll('/', '.'),
        message,
      }));
    }

    it('the single create and the CSV import find the same problems in the same bad items', async () => {
      const items = badItems();
      const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
      const csv = [
        COLUMNS.join(','),
        ...items.map((item) => COLUMNS.map((column) => quote(item.cells[column] ?? '')).join(',')),
      ].join('\n');
      const report = await postCsv(t, user, '/api/imports/items?dryRun=true', csv);
      expect(report.status, JSON.stringify(report.body)).toBe(200);
      expect(report.body.invalidRows).toBe(items.length);

      for (const [index, item] of items.entries()) {
        const row = index + 2;
        const fromImport = report.body.errors
          .filter((error) => error.row === row)
          .map(({ field, message }) => ({ field: API_FIELD[field] ?? field, message }));
        const fromCreate = await problemsOfCreate(item.body);
        expect(fromImport.length, item.about).toBeGreaterThan(0);
        expect(sorted(fromImport), item.about).toEqual(sorted(fromCreate));
      }
    });

    it('names the problems as a person reads them', async () => {
      const [taken, offGrid, fields] = await Promise.all([
        problemsOfCreate({ type: 'tube', name: 'Taken slot', parentId: box.id, slot: 'A1' }),
        problemsOfCreate({ type: 'tube', name: 'Off grid', parentId: box.id, slot: 'K1' }),
        problemsOfCreate({
          type: 'rules probe',
          name: 'Bad values',
          fields: { count: 'lots', day: '2026-02-30', ok: 'maybe', colour: 'green' },
        }),
      ]);
      expect(taken).toEqual([
        { field: 'slot', message: `slot A1 of ${box.humanId} is taken by ${occupant.humanId}` },
      ]);
      expect(offGrid).toEqual([
        { field: 'slot', message: `${box.humanId} (box 9x9) has no slot K1; its slots are A1…I9` },
      ]);
      expect(sorted(fields)).toEqual(
        sorted([
          { field: 'fields.count', message: 'must be a number, not "lots"' },
          { field: 'fields.day', message: 'must be a date written YYYY-MM-DD, not "2026-02-30"' },
          { field: 'fields.ok', message: 'must be true or false, not "maybe"' },
          { field: 'fields.colour', message: 'must be one of red, blue, not "green"' },
          { field: 'fields.tag', message: 'is required' },
        ]),
      );
    });
  });
});

function sorted(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => `${a.field} ${a.message}`.localeCompare(`${b.field} ${b.message}`));
}
