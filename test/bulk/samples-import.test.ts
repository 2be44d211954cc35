/** CSV import of samples: projects by name or id with write access, sample columns, all or nothing. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/modules/projects/projects.schema.js';
import type { Sample } from '../../src/modules/samples/samples.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildProject } from '../support/factories.js';
import { buildItem, callApi } from '../support/inventory-factories.js';
import { useTestApp } from '../support/test-app.js';
import { postCsv, writtenRows } from './bulk-support.js';

describe.each(dialects)('CSV import of samples on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { manager: 'user', viewer: 'user', outsider: 'user' } });
    const { manager, viewer, outsider } = t.users;
    let alpha: Project;
    let beta: Project;

    beforeAll(async () => {
      alpha = await buildProject(t.database.db, manager.user, {
        name: 'Alpha Study',
        members: [[viewer.user, 'viewer']],
      });
      beta = await buildProject(t.database.db, manager.user, { name: 'Beta' });
    });

    it('creates samples in the projects named, in boxes and slots, with collection dates and statuses', async () => {
      const box = await buildItem(t, manager, { type: 'box 9x9', name: 'Sample box' });
      const csv = [
        'Project,Sample name,Sample type,Collection date,Box,Well,Status,Volume uL',
        'alpha  study,S-1,tube,2026-03-01,Sample box,A1,stored,20',
        `${beta.id},S-2,Tubes,,${box.humanId},a2,,`,
      ].join('\n');
      const answer = await postCsv(t, manager, '/api/imports/samples', csv);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body.created).toBe(2);
      const alphaSamples = await callApi<{ items: Sample[] }>(
        t,
        manager,
        'GET',
        `/api/projects/${alpha.id}/samples`,
      );
      expect(alphaSamples.body.items).toEqual([
        expect.objectContaining({
          name: 'S-1',
          collectionDate: '2026-03-01',
          status: 'stored',
          parentId: box.id,
          slot: 'A1',
        }),
      ]);
      const betaSamples = await callApi<{ items: Sample[] }>(
        t,
        manager,
        'GET',
        `/api/projects/${beta.id}/samples`,
      );
      expect(betaSamples.body.items).toEqual([
        // Registered into a slot: stored.
        expect.objectContaining({ name: 'S-2', status: 'stored', slot: 'A2', collectionDate: null }),
      ]);
    });

    it("resolves names only among the items the importer may see (another project's samples stay hidden)", async () => {
      const secret = await callApi<Sample>(t, manager, 'POST', '/api/samples', {
        projectId: alpha.id,
        name: 'Secret box',
        type: 'box 9x9',
      });
      expect(secret.status, JSON.stringify(secret.body)).toBe(201);
      const csv = `type,name,parent,slot\ntube,Into the secret,Secret box,A1\ntube,By human id,${secret.body.humanId},A2\n`;
      const asOutsider = await postCsv(t, outsider, '/api/imports/items?dryRun=true', csv);
      expect(asOutsider.body.errors.map((error) => error.message)).toEqual([
        'there is no item Secret box',
        `there is no item ${secret.body.humanId}`,
      ]);
      const asMember = await postCsv(t, manager, '/api/imports/items?dryRun=true', csv);
      expect(asMember.body).toMatchObject({ valid: true, errors: [] });
    });

    it('reports every bad row in a dry run, and non-members learn nothing about the project', async () => {
      const csv = [
        'project,name,type,collection date,parent,status',
        'Alpha Study,Bad date,tube,2026-13-01,,', // 2
        'Alpha Study,Virtual,plasmid,,,', // 3
        'Alpha Study,Stored nowhere,tube,,,stored', // 4
        'Alpha Study,Consumed,tube,,,consumed', // 5
        'No such project,Lost,tube,,,', // 6
        'Alpha Study,Odd status,tube,,,frozen', // 7
        ',No project,tube,,,', // 8
      ].join('\n');
      const before = await writtenRows(t);
      const answer = await postCsv(t, manager, '/api/imports/samples?dryRun=true', csv);
      expect(answer.status).toBe(200);
      expect(answer.body.errors.map((error) => [error.row, error.field])).toEqual([
        [2, 'collectionDate'],
        [3, 'type'],
        [4, 'status'],
        [5, 'status'],
        [6, 'project'],
        [7, 'status'],
        [8, 'project'],
      ]);
      expect(answer.body.errors[4]?.message).toBe('project "No such project" not found');

      const asOutsider = await postCsv(
        t,
        outsider,
        '/api/imports/samples?dryRun=true',
        'project,name,type\nAlpha Study,X,tube\n',
      );
      expect(asOutsider.body.errors).toEqual([
        { row: 2, column: 'project', field: 'project', message: 'project "Alpha Study" not found' },
      ]);
      const byIdAsOutsider = await postCsv(
        t,
        outsider,
        '/api/imports/samples?dryRun=true',
        `project,name,type\n${alpha.id},X,tube\n`,
      );
      expect(byIdAsOutsider.body.errors[0]?.message).toBe(`project "${alpha.id}" not found`);
      const asViewer = await postCsv(
        t,
        viewer,
        '/api/imports/samples',
        'project,name,type\nAlpha Study,X,tube\n',
      );
      expect(asViewer.status).toBe(422);
      expect(asViewer.body.errors[0]?.message).toMatch(/you may not add samples to project "Alpha Study"/);
      expect(await writtenRows(t)).toEqual(before);
    });
  });
});
