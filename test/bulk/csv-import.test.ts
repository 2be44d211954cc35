/**
 * CSV import of items: header aliases and field mapping, types and parents written loosely, parents made in
 * the same file, slots and barcodes, the dry run that reports every bad row, and all-or-nothing commits.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/modules/history/history.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildItem, callApi } from '../support/inventory-factories.js';
import { useTestApp } from '../support/test-app.js';
import { itemsNamed, postCsv, writtenRows } from './bulk-support.js';

describe.each(dialects)('CSV import of items on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { user: 'user' } });
    const { user } = t.users;

    it('maps headers by alias and loose spelling, and fields by name, with values parsed per kind', async () => {
      const csv = [
        'Item Type,Label,Notes,Volume (µl),Frozen on,Concentration Unit,Sealed,Plate type,Bar-code',
        'Tubes,Alias tube,"first, with a comma",12.5,2026-2-3,NG/UL,,,ALIAS-1',
        '96 well plates,Alias plate,,,,,yes,U-Bottom,',
      ].join('\n');
      const answer = await postCsv(t, user, '/api/imports/items', csv);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body).toMatchObject({ dryRun: false, rows: 2, valid: true, created: 2, errors: [] });
      expect(answer.body.items?.map((item) => item.row)).toEqual([2, 3]);
      const items = await itemsNamed(t, user, ['Alias tube', 'Alias plate']);
      expect(items.get('Alias tube')).toMatchObject({
        type: { name: 'tube' },
        description: 'first, with a comma',
        barcode: 'ALIAS-1',
        fields: { volume_ul: 12.5, frozen_on: '2026-02-03', concentration_unit: 'ng/ul' },
      });
      expect(items.get('Alias plate')).toMatchObject({
        type: { name: '96-well plate' },
        fields: { sealed: true, plate_type: 'u-bottom' },
      });
    });

    it('takes an explicit mapping and semicolon-separated files', async () => {
      const csv = 'Kind;Was ist es;Position;Inhalt\ntube;Mapped tube;;7\n';
      const map = encodeURIComponent(
        JSON.stringify({ 'Was ist es': 'name', Inhalt: 'fields.volume_ul', Position: 'ignore' }),
      );
      const answer = await postCsv(t, user, `/api/imports/items?map=${map}`, csv);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      const items = await itemsNamed(t, user, ['Mapped tube']);
      expect(items.get('Mapped tube')?.fields).toEqual({ volume_ul: 7 });
      const bad = await postCsv(
        t,
        user,
        `/api/imports/items?map=${encodeURIComponent('{"Kind":"colour"}')}&dryRun=true`,
        csv,
      );
      expect(bad.status).toBe(200);
      expect(bad.body.valid).toBe(false);
      expect(bad.body.errors[0]).toMatchObject({ row: 1, field: 'file' });
      expect(bad.body.errors[0]?.message).toMatch(/names nothing/);
    });

    it('resolves parents by human id, barcode, id or unique name, and reports ambiguous names with candidates', async () => {
      const freezer = await buildItem(t, user, { type: '-80 freezer', name: 'Freezer Loose' });
      const rack = await buildItem(t, user, {
        type: 'rack',
        name: 'Rack Loose',
        parentId: freezer.id,
        barcode: 'RACK-L',
      });
      const twinA = await buildItem(t, user, { type: 'shelf', name: 'Twin shelf' });
      const twinB = await buildItem(t, user, { type: 'shelf', name: 'TWIN shelf' });
      const csv = [
        'type,name,parent',
        `box 9x9,By human id,${rack.humanId.toLowerCase()}`,
        'BOX 9X9 ,By barcode,RACK-L',
        `box 9x9,By id,${rack.id}`,
        'box 9x9,By name, rack loose ',
        'box 9x9,Ambiguous,Twin Shelf',
      ].join('\n');
      const dry = await postCsv(t, user, '/api/imports/items?dryRun=true', csv);
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ valid: false, rows: 5, invalidRows: 1, created: 0 });
      expect(dry.body.errors).toHaveLength(1);
      expect(dry.body.errors[0]).toMatchObject({ row: 6, column: 'parent', field: 'parent' });
      expect(dry.body.errors[0]?.message).toContain(twinA.humanId);
      expect(dry.body.errors[0]?.message).toContain(twinB.humanId);

      const fixed = csv.replace('Twin Shelf', twinB.humanId);
      const answer = await postCsv(t, user, '/api/imports/items', fixed);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      const items = await itemsNamed(t, user, ['By human id', 'By barcode', 'By id', 'By name', 'Ambiguous']);
      for (const name of ['By human id', 'By barcode', 'By id', 'By name'])
        expect(items.get(name)?.parentId, name).toBe(rack.id);
      expect(items.get('Ambiguous')?.parentId).toBe(twinB.id);
    });

    it('creates parents from the same file first: a box, then its tubes in slots, in any order', async () => {
      const plasmid = await buildItem(t, user, { type: 'plasmid', name: 'pInFile' });
      const csv = [
        'Type,Name,In,Well,Instance of,Barcode',
        'tube,Early tube,Box In File,c3,pInFile,',
        'box 9x9,Box In File,,,,BOX-IF',
        'tube,Tube A1,Box In File,A1,,',
        'tube,Tube B2,BOX-IF,b02,,',
        'plasmid,pNew,,,,',
        'tube,Tube of new plasmid,Box In File,A2,pNew,',
      ].join('\n');
      const answer = await postCsv(t, user, '/api/imports/items', csv);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body.created).toBe(6);
      const items = await itemsNamed(t, user, [
        'Box In File',
        'Early tube',
        'Tube A1',
        'Tube B2',
        'pNew',
        'Tube of new plasmid',
      ]);
      const box = items.get('Box In File');
      expect(items.get('Early tube')).toMatchObject({ parentId: box?.id, slot: 'C3', virtualId: plasmid.id });
      expect(items.get('Tube A1')).toMatchObject({ parentId: box?.id, slot: 'A1' });
      expect(items.get('Tube B2')).toMatchObject({ parentId: box?.id, slot: 'B2' });
      expect(items.get('Tube of new plasmid')).toMatchObject({
        parentId: box?.id,
        virtualId: items.get('pNew')?.id,
      });
      const path = await callApi<{ name: string }[]>(
        t,
        user,
        'GET',
        `/api/items/${items.get('Tube A1')?.id}/path`,
      );
      expect(path.body.map((entry) => entry.name)).toEqual(['Box In File', 'Tube A1']);
    });

    it('a dry run reports every bad row by number, column and reason, and writes nothing', async () => {
      const box = await buildItem(t, user, { type: 'box 9x9', name: 'Dry box' });
      await buildItem(t, user, {
        type: 'tube',
        name: 'Occupant',
        parentId: box.id,
        slot: 'A1',
        barcode: 'DRY-TAKEN',
      });
      const csv = [
        'type,name,parent,slot,barcode,volume_ul,frozen_on,color',
        'tube,Fine,Dry box,A2,,1,,', // 2: fine
        'tubez,Bad type,,,,,,', // 3
        'tube,,,,,,,', // 4: no name
        'tube,Bad number,,,,lots,,', // 5
        'tube,Bad date,,,,,31/12/2025,', // 6
        'tube,Taken slot,Dry box,A1,,,,', // 7
        'tube,Off grid,Dry box,K1,,,,', // 8
        'tube,Twice,Dry box,A2,,,,', // 9: A2 also row 2
        'tube,No parent,Nowhere box,,,,,', // 10
        'tube,Taken barcode,,,DRY-TAKEN,,,', // 11
        'tube,Color on a tube,,,,,,red', // 12: color is a field of the box, not of a tube
        'plasmid,Virtual in box,Dry box,,,,,', // 13
        'tube,Loop one,Loop two,,,,,', // 14
        'tube,Loop two,Loop one,,,,,', // 15
        'box 9x9,Fine box,,,,,,blue', // 16: fine
      ].join('\r\n');
      const before = await writtenRows(t);
      const answer = await postCsv(t, user, '/api/imports/items?dryRun=true', csv);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ dryRun: true, rows: 15, valid: false, created: 0, moreErrors: 0 });
      const byRow = new Map<number, string[]>();
      for (const error of answer.body.errors)
        byRow.set(error.row, [...(byRow.get(error.row) ?? []), `${error.field}: ${error.message}`]);
      expect([...byRow.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      expect(answer.body.invalidRows).toBe(13);
      expect(byRow.get(3)?.[0]).toMatch(/^type: there is no type "tubez"/);
      expect(byRow.get(4)?.[0]).toBe('name: is empty');
      expect(byRow.get(5)?.[0]).toBe('fields.volume_ul: must be a number, not "lots"');
      expect(byRow.get(6)?.[0]).toMatch(/^fields.frozen_on: must be a date written YYYY-MM-DD/);
      expect(byRow.get(7)?.[0]).toMatch(new RegExp(`^slot: slot A1 of ${box.humanId} is taken by P-`));
      expect(byRow.get(8)?.[0]).toMatch(/has no slot K1; its slots are A1…I9/);
      expect(byRow.get(9)?.[0]).toMatch(/slot A2 of .* is also claimed by row 2/);
      expect(byRow.get(10)?.[0]).toBe('parent: there is no item Nowhere box');
      expect(byRow.get(11)?.[0]).toMatch(/barcode DRY-TAKEN is already on P-/);
      expect(byRow.get(12)?.[0]).toMatch(/a tube has no field "color" \(box 9x9 has\)/);
      expect(byRow.get(13)?.[0]).toMatch(/a virtual item \(plasmid\) has no parent/);
      expect(byRow.get(14)?.[0]).toBe('parent: row 14 → row 15 → row 14 are inside each other');
      const problem = answer.body.errors.find((error) => error.row === 5);
      expect(problem).toMatchObject({ column: 'volume_ul', field: 'fields.volume_ul' });
      expect(await writtenRows(t)).toEqual(before);
    });

    it('refuses a real import with one bad row (422 listing it) and writes nothing', async () => {
      const csv = ['type,name,volume_ul', 'tube,Good 1,1', 'tube,Good 2,x', 'tube,Good 3,3'].join('\n');
      const before = await writtenRows(t);
      const answer = await postCsv(t, user, '/api/imports/items', csv);
      expect(answer.status).toBe(422);
      expect(answer.body.code).toBe('import_invalid');
      expect(answer.body.detail).toMatch(/1 of 3 rows have problems, so nothing was imported/);
      expect(answer.body.errors).toEqual([
        { row: 3, column: 'volume_ul', field: 'fields.volume_ul', message: 'must be a number, not "x"' },
      ]);
      expect(await writtenRows(t)).toEqual(before);
    });

    it('creates everything in one go, each item audited, and warns about columns it did not use', async () => {
      const csv = [
        'type,name,volume_ul,Lab notebook page',
        'tube,Audited 1,1,p. 12',
        'tube,Audited 2,2,p. 13',
      ].join('\n');
      const answer = await postCsv(t, user, '/api/imports/items', csv);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body.warnings).toEqual([
        expect.objectContaining({
          column: 'Lab notebook page',
          message: expect.stringMatching(/not imported/) as unknown,
        }),
      ]);
      for (const created of answer.body.items ?? []) {
        expect(created.humanId).toMatch(/^P-\d{6}$/);
        const history = await callApi<{ items: AuditEvent[] }>(
          t,
          user,
          'GET',
          `/api/audit?entityId=${created.id}`,
        );
        expect(history.body.items.map((event) => event.action)).toEqual(['create']);
        expect(history.body.items[0]?.actorId).toBe(user.user.id);
      }
    });

    it('reads CSV sent with a charset or as application/csv, with a byte-order mark', async () => {
      for (const contentType of ['text/csv; charset=utf-8', 'application/csv']) {
        const answer = await postCsv(
          t,
          user,
          '/api/imports/items?dryRun=true',
          '\uFEFFtype,name\ntube,BOM tube\n',
          contentType,
        );
        expect(answer.status, contentType).toBe(200);
        expect(answer.body).toMatchObject({ valid: true, rows: 1 });
      }
    });

    it('reports malformed CSV and missing columns instead of failing', async () => {
      const broken = await postCsv(
        t,
        user,
        '/api/imports/items?dryRun=true',
        'type,name\ntube,"open quote\n',
      );
      expect(broken.status).toBe(200);
      expect(broken.body.valid).toBe(false);
      expect(broken.body.errors[0]?.message).toMatch(/not valid CSV/);
      const noName = await postCsv(t, user, '/api/imports/items?dryRun=true', 'type,volume\ntube,1\n');
      expect(noName.body.errors).toEqual([
        { row: 1, field: 'file', message: 'there is no name column (the header row must name one)' },
      ]);
      const empty = await postCsv(t, user, '/api/imports/items', '');
      expect(empty.status).toBe(422);
      const asJson = await t.app.inject({
        method: 'POST',
        url: '/api/imports/items',
        headers: { ...user.headers, 'content-type': 'application/json' },
        payload: { type: 'tube' },
      });
      expect(asJson.statusCode).toBe(400);
      const csvElsewhere = await postCsv(t, user, '/api/items', 'type,name\ntube,x\n');
      expect(csvElsewhere.status).toBe(415);
    });

    it('lists at most 1,000 problems and counts the rest', async () => {
      const rows = Array.from({ length: 1200 }, (_, index) => `tube,Many ${index},not a number`);
      const answer = await postCsv(
        t,
        user,
        '/api/imports/items?dryRun=true',
        ['type,name,volume_ul', ...rows].join('\n'),
      );
      expect(answer.body).toMatchObject({ rows: 1200, invalidRows: 1200, moreErrors: 200 });
      expect(answer.body.errors).toHaveLength(1000);
      expect(answer.body.errors[999]?.row).toBe(1001);
    });
  });
});
