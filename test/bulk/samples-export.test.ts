/**
 * CSV export of a project's samples: the list's filters, the item columns plus project, collection date and
 * status, project permissions, and the round trip through the samples import.
 */
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/modules/projects/projects.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildProject } from '../support/factories.js';
import { buildBox, callApi } from '../support/inventory-factories.js';
import { buildSample, type SampleOverrides } from '../support/sample-factories.js';
import { useTestApp } from '../support/test-app.js';
import { getText, postCsv } from './bulk-support.js';

type Row = Record<string, string>;

const rowsOf = (text: string) => parse<Row>(text, { columns: true });

/** What a sample row says, without what differs between two copies (ids, stamps, project). */
function meaning(rows: readonly Row[]): Row[] {
  return rows
    .map(({ name, type, description, collectionDate, status, volume_ul, concentration_unit }) => ({
      name: name ?? '',
      type: type ?? '',
      description: description ?? '',
      collectionDate: collectionDate ?? '',
      status: status ?? '',
      volume_ul: volume_ul ?? '',
      concentration_unit: concentration_unit ?? '',
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe.each(dialects)('CSV export of samples on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { manager: 'user', outsider: 'user' } });
    const { manager, outsider } = t.users;
    let alpha: Project;
    let beta: Project;

    beforeAll(async () => {
      alpha = await buildProject(t.database.db, manager.user, { name: 'Alpha Study' });
      beta = await buildProject(t.database.db, manager.user, { name: 'Beta' });
      const createSample = (input: SampleOverrides) =>
        buildSample(t, { by: manager, projectId: alpha.id, ...input });
      const box = await buildBox(t, { by: manager, name: 'Serum box' });
      await createSample({
        name: 'Serum 1',
        type: 'tube',
        collectionDate: '2026-03-01',
        description: 'first draw, "fasting"',
        parentId: box.id,
        slot: 'A1',
        barcode: 'SER-1',
        fields: { volume_ul: 250, concentration_unit: 'ng/ul' },
      });
      await createSample({ name: 'Serum 2', type: 'tube', fields: { volume_ul: 120 } });
      await createSample({ name: '=cmd|calc', type: 'tube', collectionDate: '2026-03-02' });
      const received = await createSample({ name: 'Plasma 1', type: 'tube' });
      const changed = await callApi(t, manager, 'PATCH', `/api/samples/${received.id}`, {
        status: 'received',
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      // Another project's sample stays out of alpha's export.
      await buildSample(t, { by: manager, projectId: beta.id, name: 'Beta sample', type: 'tube' });
    });

    it('exports the samples of one project with their place, fields, collection date and status', async () => {
      const answer = await getText(t, manager, `/api/projects/${alpha.id}/samples.csv`);
      expect(answer.status).toBe(200);
      expect(answer.type).toMatch(/^text\/csv/);
      const rows = rowsOf(answer.text);
      expect(rows.map((row) => row.name).sort()).toEqual(["'=cmd|calc", 'Plasma 1', 'Serum 1', 'Serum 2']);
      const serum = rows.find((row) => row.name === 'Serum 1');
      expect(serum).toMatchObject({
        type: 'tube',
        description: 'first draw, "fasting"',
        barcode: 'SER-1',
        slot: 'A1',
        project: alpha.id,
        collectionDate: '2026-03-01',
        status: 'stored', // registered into a slot
        volume_ul: '250',
        concentration_unit: 'ng/ul',
      });
      expect(serum?.parent).toMatch(/^P-\d+$/);
      expect(rows.find((row) => row.name === 'Plasma 1')).toMatchObject({ status: 'received', parent: '' });
      // Field columns for the samples' own types only: a tube's, not a freezer's or a plate's.
      const header = Object.keys(rows[0] ?? {});
      expect(header).toEqual(expect.arrayContaining(['volume_ul', 'concentration', 'frozen_on']));
      expect(header).not.toContain('plate_type');
      expect(header).not.toContain('shelf');
    });

    it('takes the filters of the samples list', async () => {
      const received = rowsOf(
        (await getText(t, manager, `/api/projects/${alpha.id}/samples.csv?status=received`)).text,
      );
      expect(received.map((row) => row.name)).toEqual(['Plasma 1']);
      const found = rowsOf((await getText(t, manager, `/api/projects/${alpha.id}/samples.csv?q=serum`)).text);
      expect(found.map((row) => row.name).sort()).toEqual(['Serum 1', 'Serum 2']);
      expect((await getText(t, manager, `/api/projects/${alpha.id}/samples.csv?type=spaceship`)).status).toBe(
        422,
      );
    });

    it('shows non-members nothing', async () => {
      const answer = await getText(t, outsider, `/api/projects/${alpha.id}/samples.csv`);
      expect(answer.status).toBe(404);
      expect(answer.text).not.toContain('Serum');
    });

    it('imports again through the samples import, into another project', async () => {
      // The samples without a place (the slot of Serum 1 is taken by Serum 1 itself).
      const exported = rowsOf(
        (await getText(t, manager, `/api/projects/${alpha.id}/samples.csv`)).text,
      ).filter((row) => row.parent === '');
      const header = Object.keys(exported[0] ?? {});
      const csv = [
        header.join(','),
        ...exported.map((row) =>
          header
            .map((column) => JSON.stringify(column === 'project' ? beta.id : (row[column] ?? '')))
            .join(','),
        ),
      ].join('\n');
      const answer = await postCsv(t, manager, '/api/imports/samples', csv);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body.created).toBe(3);
      const copied = rowsOf((await getText(t, manager, `/api/projects/${beta.id}/samples.csv`)).text).filter(
        (row) => row.name !== 'Beta sample',
      );
      expect(meaning(copied)).toEqual(meaning(exported));
    });
  });
});
