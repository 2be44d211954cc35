/**
 * One set of item rules: the same bad items, sent one at a time to `POST /api/items` and as rows of a CSV
 * import's dry run, get the same problems — the same field (a column mapped to its field: `parent` is
 * `parentId`, `virtual` is `virtualId`) and the same message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { DomainError } from '../../src/errors/catalogue.js';
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import { createItemsInBulk } from '../../src/modules/inventory/item-creation.service.js';
import type { ItemCandidate } from '../../src/modules/inventory/item-rules.js';
import { postCsv } from '../bulk/bulk-support.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { actorOfUser } from '../support/factories.js';
import { buildItem, callApi, countRows } from '../support/inventory-factories.js';
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

    /** A bulk create of candidates; its 422's problems, or the created items. */
    async function bulkCreate(
      inputs: ItemCandidate[],
    ): Promise<Problem[] | { id: string; humanId: string }[]> {
      try {
        return await inTransaction(t.database.db, (trx) =>
          createItemsInBulk(trx, actorOfUser(user.user), inputs),
        );
      } catch (error) {
        if (error instanceof DomainError && error.status === 422) return [...error.errors];
        throw error;
      }
    }

    it('holds inputs inside other inputs of a batch to the same rules, and inserts them parents first', async () => {
      const refused = await bulkCreate([
        { type: 'tube', name: 'In the new box', parentId: { input: 2 }, slot: 'J10' },
        { type: 'tube', name: 'Off the new grid', parentId: { input: 2 }, slot: 'K1' },
        { type: 'box 10x10', name: 'New box', parentId: box.id, slot: 'B1' },
        { type: 'tube', name: 'Same slot', parentId: { input: 2 }, slot: 'j10' },
        { type: 'tube', name: 'Inside a plasmid', parentId: { input: 5 } },
        { type: 'plasmid', name: 'New plasmid' },
        { type: 'rack', name: 'Loop one', parentId: { input: 7 } },
        { type: 'rack', name: 'Loop two', parentId: { input: 6 } },
        { type: 'tube', name: 'Of a tube', virtualId: { input: 0 } },
      ]);
      expect(refused).toEqual([
        { field: 'items.1.slot', message: 'item 2 (box 10x10) has no slot K1; its slots are A1…J10' },
        { field: 'items.3.slot', message: 'slot J10 of item 2 is also claimed by item 0' },
        { field: 'items.4.parentId', message: 'item 5 is a virtual item; only physicals hold things' },
        { field: 'items.8.virtualId', message: 'item 0 is not a virtual item' },
        { field: 'items.6.parentId', message: 'item 6 → item 7 → item 6 are inside each other' },
        { field: 'items.7.parentId', message: 'item 6 → item 7 → item 6 are inside each other' },
      ]);

      const before = await countRows(t, 'items');
      const created = await bulkCreate([
        { type: 'tube', name: 'Batch tube', parentId: { input: 1 }, slot: 'a1', virtualId: { input: 2 } },
        { type: 'box 10x10', name: 'Batch box', parentId: box.id, slot: 'B1' },
        { type: 'plasmid', name: 'Batch plasmid' },
      ]);
      expect(created).toHaveLength(3);
      expect(await countRows(t, 'items')).toBe(before + 3);
      const [tube, newBox, plasmid] = created as { id: string }[];
      const made = await callApi<Item>(t, user, 'GET', `/api/items/${tube?.id}`);
      expect(made.body).toMatchObject({ parentId: newBox?.id, slot: 'A1', virtualId: plasmid?.id });
      const path = await callApi<{ id: string }[]>(t, user, 'GET', `/api/items/${tube?.id}/path`);
      expect(path.body.map((entry) => entry.id)).toEqual([box.id, newBox?.id, tube?.id]);
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
