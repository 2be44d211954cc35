/**
 * What people outside a project see of its samples through the inventory (security review, issue 11): access
 * is checked before anything else is revealed, hidden containers are never named or numbered, placing into a
 * project's container needs write access to it, streamed exports never break off, and a deleted project's
 * samples are hidden from its former members.
 */
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/modules/history/history.schema.js';
import type { Children, Descendant, Item, PathEntry } from '../../src/modules/inventory/inventory.schema.js';
import type { Sample } from '../../src/modules/samples/samples.schema.js';
import type { Page, Problem } from '../support/api-types.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildProject } from '../support/factories.js';
import { buildBox, buildItem, callApi } from '../support/inventory-factories.js';
import { buildSample, type SampleOverrides } from '../support/sample-factories.js';
import { useTestApp, type TestUser } from '../support/test-app.js';

describe.each(dialects)('item access on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    // `member` is the project's manager.
    const t = useTestApp(dialect, { users: { member: 'user', viewer: 'user', outsider: 'user' } });
    const { member, viewer, outsider } = t.users;
    let projectId: string;

    beforeAll(async () => {
      projectId = (
        await buildProject(t.database.db, member.user, { name: 'Access', members: [[viewer.user, 'viewer']] })
      ).id;
    });

    /** A sample of the project, registered by its manager. */
    const buildProjectSample = (input: SampleOverrides) =>
      buildSample(t, { by: member, projectId, ...input });

    it('checks access to a sample before saying whether it is deleted (restore)', async () => {
      const live = await buildProjectSample({ name: 'Live core', type: 'tube' });
      const deleted = await buildProjectSample({ name: 'Deleted core', type: 'tube' });
      expect((await callApi(t, member, 'DELETE', `/api/items/${deleted.id}`)).status).toBe(204);
      for (const sample of [live, deleted]) {
        const url = `/api/items/${sample.id}/restore`;
        const asOutsider = await callApi<Problem>(t, outsider, 'POST', url);
        expect(asOutsider.status, sample.humanId).toBe(404);
        expect(asOutsider.body.detail).not.toContain(sample.humanId);
        expect((await callApi(t, viewer, 'POST', url)).status, sample.humanId).toBe(403);
      }
      const notDeleted = await callApi<Problem>(t, member, 'POST', `/api/items/${live.id}/restore`);
      expect(notDeleted.status).toBe(409);
      expect(notDeleted.body.code).toBe('not_deleted');
      expect((await callApi(t, member, 'POST', `/api/items/${deleted.id}/restore`)).status).toBe(200);
    });

    it('refuses every item route on a sample to outsiders (404) and viewers (403) before other checks', async () => {
      const box = await buildProjectSample({ name: 'Route box', type: 'box 9x9' });
      const plasmid = await buildItem(t, member, { type: 'plasmid', name: 'pRoute' });
      await buildItem(t, member, { type: 'tube', name: 'Inside route box', parentId: box.id, slot: 'A1' });
      const writes: [string, string, unknown][] = [
        ['PATCH', `/api/items/${box.id}`, { fields: { no_such_field: 1 } }],
        ['DELETE', `/api/items/${box.id}`, undefined],
        ['POST', `/api/items/${box.id}/move`, { parentId: plasmid.id }],
        ['POST', '/api/items/move', { moves: [{ itemId: box.id, parentId: plasmid.id }] }],
        ['POST', '/api/labels', { itemIds: [box.id] }],
      ];
      for (const [method, url, payload] of writes) {
        const asOutsider = await callApi<Problem>(t, outsider, method, url, payload);
        expect(asOutsider.status, `${method} ${url}`).toBe(404);
        expect(asOutsider.body.detail).not.toContain(box.humanId);
        if (url !== '/api/labels')
          expect((await callApi(t, viewer, method, url, payload)).status, `${method} ${url}`).toBe(403);
      }
      for (const url of ['path', 'children', 'descendants', 'files', 'label.svg']) {
        const response = await callApi(t, outsider, 'GET', `/api/items/${box.id}/${url}`);
        expect(response.status, url).toBe(404);
      }
    });

    it('hides a deleted project’s samples from its former members everywhere alike, not from admins', async () => {
      const admin = await t.userWithToken({ role: 'admin' });
      const doomed = (
        await buildProject(t.database.db, member.user, { name: 'Doomed', members: [[viewer.user, 'viewer']] })
      ).id;
      const box = await buildBox(t, { by: member, name: 'Doomed lab box' });
      const sample = await buildSample(t, {
        by: member,
        projectId: doomed,
        name: 'Doomedcore',
        type: 'tube',
        parentId: box.id,
        slot: 'B2',
      });
      expect((await callApi(t, member, 'DELETE', `/api/projects/${doomed}`)).status).toBe(204);

      for (const former of [member, viewer]) {
        expect((await callApi(t, former, 'GET', `/api/items/${sample.id}`)).status).toBe(404);
        const ofProject = await callApi<Page<Item>>(t, former, 'GET', `/api/items?project=${doomed}`);
        expect(ofProject.body.items).toEqual([]);
        const found = await callApi<Page<Item>>(t, former, 'GET', '/api/items?q=Doomedcore');
        expect(found.body.items).toEqual([]);
        const csv = await t.app.inject({
          method: 'GET',
          url: '/api/exports/items.csv?q=Doomedcore',
          headers: former.headers,
        });
        expect(csv.statusCode).toBe(200);
        expect(csv.body).not.toContain('Doomedcore');
        const labels = await callApi(t, former, 'POST', '/api/labels', { itemIds: [sample.id] });
        expect(labels.status).toBe(404);
        const children = await callApi<{ grid: { occupancy: Record<string, { name: string }> } }>(
          t,
          former,
          'GET',
          `/api/items/${box.id}/children`,
        );
        expect(children.body.grid.occupancy.B2).toEqual({ itemId: '', humanId: '', name: '(restricted)' });
        // The history too (the member still sees what they did themselves).
        const history = await callApi<Page<AuditEvent>>(t, viewer, 'GET', `/api/audit?entityId=${sample.id}`);
        expect(history.body.items).toEqual([]);
      }

      const asAdmin = await callApi<Page<Item>>(t, admin, 'GET', `/api/items?project=${doomed}`);
      expect(asAdmin.body.items.map((item) => item.id)).toEqual([sample.id]);
      expect((await callApi(t, admin, 'GET', `/api/items/${sample.id}`)).status).toBe(200);
      expect((await callApi(t, admin, 'DELETE', `/api/items/${sample.id}`)).status).toBe(204);
      expect((await callApi(t, admin, 'POST', `/api/items/${sample.id}/restore`)).status).toBe(200);
    });

    describe('putting items into a project’s container', () => {
      let freezer: Item;
      let secretBox: Sample;
      /** A lab box whose slot A1 holds a sample of the project (barcode SECRET-…). */
      let labBox: Item;
      let hiddenSample: Sample;
      let labTube: Item;
      let staff: TestUser;

      beforeAll(async () => {
        staff = await t.userWithToken({ role: 'staff' });
        freezer = await buildItem(t, member, { type: '-80 freezer', name: 'Placement freezer' });
        secretBox = await buildProjectSample({ name: 'Secret box', type: 'box 9x9', parentId: freezer.id });
        labBox = await buildItem(t, outsider, { type: 'box 9x9', name: 'Shared box', parentId: freezer.id });
        hiddenSample = await buildProjectSample({
          name: 'Hidden core',
          type: 'tube',
          parentId: labBox.id,
          slot: 'A1',
          barcode: `SECRET-${dialect}`,
        });
        labTube = await buildItem(t, outsider, {
          type: 'tube',
          name: 'Wandering tube',
          parentId: freezer.id,
        });
      });

      function expectNothingAbout(problem: Problem, ...hidden: string[]) {
        for (const text of hidden) expect(JSON.stringify(problem)).not.toContain(text);
      }

      it('refuses creating an item in it: outsiders 404 as for no such item, viewers 403', async () => {
        const create = (user: TestUser, parentId: string) =>
          callApi<Problem>(t, user, 'POST', '/api/items', {
            type: 'tube',
            name: 'x',
            parentId,
            slot: 'B1',
          });
        const asOutsider = await create(outsider, secretBox.id);
        const nothing = await create(outsider, 'p-00000000-0000-7000-8000-000000000000');
        expect([asOutsider.status, nothing.status]).toEqual([404, 404]);
        expect(asOutsider.body.code).toBe('not_found');
        expect(asOutsider.body.errors?.[0]?.field).toBe('parentId');
        expect(asOutsider.body.detail.replace(secretBox.id, '?')).toBe(
          nothing.body.detail.replace('p-00000000-0000-7000-8000-000000000000', '?'),
        );
        expectNothingAbout(asOutsider.body, secretBox.humanId, 'Secret box');
        const asViewer = await create(viewer, secretBox.id);
        expect(asViewer.status).toBe(403);
        expect(asViewer.body.errors?.[0]?.field).toBe('parentId');
        // A sample of another project goes there only with write access to this one too.
        const other = (await buildProject(t.database.db, outsider.user, { name: 'Other' })).id;
        const sample = await callApi(t, outsider, 'POST', '/api/samples', {
          projectId: other,
          name: 'x',
          type: 'tube',
          parentId: secretBox.id,
        });
        expect(sample.status).toBe(404);
        expect((await create(member, secretBox.id)).status).toBe(201);
      });

      it('refuses moving an item into it, one or in bulk', async () => {
        const move = (user: TestUser) =>
          callApi<Problem>(t, user, 'POST', `/api/items/${labTube.id}/move`, {
            parentId: secretBox.id,
            slot: 'C1',
          });
        const bulk = (user: TestUser) =>
          callApi<Problem>(t, user, 'POST', '/api/items/move', {
            moves: [{ itemId: labTube.id, parentId: secretBox.id, slot: 'C1' }],
          });
        for (const answer of [await move(outsider), await bulk(outsider)]) {
          expect(answer.status).toBe(404);
          expectNothingAbout(answer.body, secretBox.humanId, 'Secret box');
        }
        expect((await bulk(outsider)).body.errors?.[0]?.field).toBe('moves.0.parentId');
        expect((await move(viewer)).status).toBe(403);
        expect((await bulk(viewer)).status).toBe(403);
        expect((await move(member)).status).toBe(200);
        expect(
          (await callApi(t, member, 'POST', `/api/items/${labTube.id}/move`, { parentId: freezer.id }))
            .status,
        ).toBe(200);
      });

      it('refuses imports that put rows into it (CSV and bionet)', async () => {
        const csv = `type,name,parent\ntube,Imported,${secretBox.humanId}\n`;
        const post = (user: TestUser, url: string, payload: string | unknown[]) =>
          t.app.inject({
            method: 'POST',
            url,
            headers: {
              ...user.headers,
              'content-type': typeof payload === 'string' ? 'text/csv' : 'application/json',
            },
            payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
          });
        const asViewer = await post(viewer, '/api/imports/items', csv);
        expect(asViewer.statusCode).toBe(422);
        expect(asViewer.json<Problem>().errors?.[0]?.message).toMatch(/^you may not put items into/);
        const asOutsider = await post(outsider, '/api/imports/items', csv);
        expect(asOutsider.statusCode).toBe(422);
        expect(asOutsider.json<Problem>().errors?.[0]?.message).toMatch(/^there is no item/);
        const entry = {
          key: 'p-0190a000-0000-7000-8000-00000000b10e',
          value: {
            type: 'tube',
            name: 'Bionet tube',
            parent_id: secretBox.id,
            created: { at: 1.7e9, by: null },
          },
        };
        const bionet = await post(viewer, '/api/imports/bionet', [entry]);
        expect(bionet.statusCode).toBe(422);
        expect(bionet.json<Problem>().errors?.[0]?.message).toMatch(/^you may not put items into/);
        const sampleCsv = `project,type,name,parent\n${projectId},tube,Imported sample,${secretBox.humanId}\n`;
        const samples = await post(viewer, '/api/imports/samples', sampleCsv);
        expect(samples.statusCode).toBe(422);
      });

      it('never names a hidden item in a conflict', async () => {
        const taken = await callApi<Problem>(t, outsider, 'POST', '/api/items', {
          type: 'tube',
          name: 'x',
          parentId: labBox.id,
          slot: 'A1',
        });
        expect(taken.status).toBe(409);
        expect(taken.body.detail).toContain('taken by (restricted)');
        const moved = await callApi<Problem>(t, outsider, 'POST', `/api/items/${labTube.id}/move`, {
          parentId: labBox.id,
          slot: 'A1',
        });
        expect(moved.status).toBe(409);
        expect(moved.body.detail).toContain('taken by (restricted)');
        const barcode = await callApi<Problem>(t, outsider, 'POST', '/api/items', {
          type: 'tube',
          name: 'x',
          barcode: `SECRET-${dialect}`,
        });
        expect(barcode.status).toBe(409);
        expect(barcode.body.detail).toContain('(restricted)');
        const relabel = await callApi<Problem>(t, outsider, 'PATCH', `/api/items/${labTube.id}`, {
          barcode: `SECRET-${dialect}`,
        });
        expect(relabel.status).toBe(409);
        const notEmpty = await callApi<Problem>(t, outsider, 'DELETE', `/api/items/${labBox.id}`);
        expect(notEmpty.status).toBe(409);
        expect(notEmpty.body.detail).toContain('still holds (restricted) item(s)');
        const imported = await t.app.inject({
          method: 'POST',
          url: '/api/imports/items?dryRun=true',
          headers: { ...outsider.headers, 'content-type': 'text/csv' },
          payload: `type,name,parent,slot,barcode\ntube,x,${labBox.humanId},A1,SECRET-${dialect}\n`,
        });
        expect(imported.json<{ errors: { message: string }[] }>().errors.map((e) => e.message)).toEqual([
          `slot A1 of ${labBox.humanId} is taken by (restricted)`,
          `barcode SECRET-${dialect} is already on (restricted)`,
        ]);
        for (const answer of [taken, moved, barcode, relabel, notEmpty])
          expectNothingAbout(answer.body, hiddenSample.humanId, 'Hidden core');
        expect(imported.body).not.toContain(hiddenSample.humanId);
        // The project's members are told what is there.
        const asMember = await callApi<Problem>(t, member, 'POST', '/api/items', {
          type: 'tube',
          name: 'x',
          parentId: labBox.id,
          slot: 'A1',
        });
        expect(asMember.body.detail).toContain(hiddenSample.humanId);
      });

      it('restores an item into its old container only for those who may put items there', async () => {
        const inside = await buildItem(t, member, {
          type: 'tube',
          name: 'Boxed tube',
          parentId: secretBox.id,
        });
        expect((await callApi(t, member, 'DELETE', `/api/items/${inside.id}`)).status).toBe(204);
        const restore = await callApi<Problem>(t, staff, 'POST', `/api/items/${inside.id}/restore`);
        expect(restore.status).toBe(403);
        expect(restore.body.detail).toContain('(restricted)');
        expectNothingAbout(restore.body, secretBox.humanId, 'Secret box');
        expect((await callApi(t, member, 'POST', `/api/items/${inside.id}/restore`)).status).toBe(200);
      });
    });

    describe('lab items inside a project’s container', () => {
      const restricted = { id: '', humanId: '', name: '(restricted)', type: { id: '', name: '' } };
      let freezer: Item;
      let secretBox: Sample;
      let boxedTube: Item;
      let innerBox: Item;

      /** Freezer › Vault box (the project's sample) › B2: a lab tube, and a lab box holding a lab tube. */
      beforeAll(async () => {
        freezer = await buildItem(t, member, { type: '-80 freezer', name: 'Shared freezer' });
        secretBox = await buildProjectSample({
          name: 'Vault box',
          type: 'box 9x9',
          parentId: freezer.id,
          slot: null,
        });
        boxedTube = await buildItem(t, member, {
          type: 'tube',
          name: 'Boxed lab tube',
          parentId: secretBox.id,
          slot: 'B2',
        });
        innerBox = await buildItem(t, member, {
          type: 'box 9x9',
          name: 'Inner lab box',
          parentId: secretBox.id,
        });
        await buildItem(t, member, {
          type: 'tube',
          name: 'Inner lab tube',
          parentId: innerBox.id,
          slot: 'A1',
        });
      });

      /** Nothing in the answer names or numbers the project's box. */
      function expectNoTrace(text: string) {
        for (const trace of [secretBox.id, secretBox.humanId, 'Vault box']) expect(text).not.toContain(trace);
      }

      it('shows the path through it with a restricted step', async () => {
        const path = await callApi<PathEntry[]>(t, outsider, 'GET', `/api/items/${boxedTube.id}/path`);
        expect(path.status).toBe(200);
        expect(path.body.map(({ depth: _depth, ...entry }) => entry)).toEqual([
          {
            id: freezer.id,
            humanId: freezer.humanId,
            name: 'Shared freezer',
            type: freezer.type,
            slot: null,
          },
          { ...restricted, slot: null },
          {
            id: boxedTube.id,
            humanId: boxedTube.humanId,
            name: 'Boxed lab tube',
            type: boxedTube.type,
            slot: 'B2',
          },
        ]);
        expectNoTrace(JSON.stringify(path.body));
        const asViewer = await callApi<PathEntry[]>(t, viewer, 'GET', `/api/items/${boxedTube.id}/path`);
        expect(asViewer.body[1]?.name).toBe('Vault box');
      });

      it('gives the item and what lists it without the container’s id', async () => {
        const item = await callApi<Item>(t, outsider, 'GET', `/api/items/${boxedTube.id}`);
        expect(item.body).toMatchObject({ parentId: '', slot: 'B2' });
        expect((await callApi<Item>(t, viewer, 'GET', `/api/items/${boxedTube.id}`)).body.parentId).toBe(
          secretBox.id,
        );
        const descendants = await callApi<{ items: Descendant[] }>(
          t,
          outsider,
          'GET',
          `/api/items/${freezer.id}/descendants`,
        );
        expect(descendants.body.items.map((entry) => [entry.name, entry.parentId, entry.depth])).toEqual([
          ['Boxed lab tube', '', 2],
          ['Inner lab box', '', 2],
          ['Inner lab tube', innerBox.id, 3],
        ]);
        expectNoTrace(JSON.stringify(descendants.body));
        const listed = await callApi<{ items: Item[] }>(t, outsider, 'GET', '/api/items?q=lab%20tube');
        expect(listed.body.items.find((entry) => entry.id === boxedTube.id)?.parentId).toBe('');
        expectNoTrace(JSON.stringify(listed.body));
        const children = await callApi<Children>(t, outsider, 'GET', `/api/items/${freezer.id}/children`);
        expect(children.body.items).toEqual([]);
        // What the box holds is not listed by its id either.
        const inside = await callApi<{ items: Item[] }>(
          t,
          outsider,
          'GET',
          `/api/items?parent=${secretBox.id}`,
        );
        expect(inside.body.items).toEqual([]);
        const asViewer = await callApi<{ items: Item[] }>(
          t,
          viewer,
          'GET',
          `/api/items?parent=${secretBox.id}`,
        );
        expect(asViewer.body.items).toHaveLength(2);
      });

      it('gives the item’s history without the container’s id, to those who may not see it', async () => {
        // Into the box and out again, so that the box holds what the tests below expect.
        const elsewhere = await buildItem(t, member, { type: '-80 freezer', name: 'Other freezer' });
        const moved = await buildItem(t, member, {
          type: 'tube',
          name: 'Moved lab tube',
          parentId: elsewhere.id,
        });
        const move = await callApi(t, member, 'POST', `/api/items/${moved.id}/move`, {
          parentId: secretBox.id,
          slot: 'C3',
        });
        expect(move.status, JSON.stringify(move.body)).toBe(200);
        const back = await callApi(t, member, 'POST', `/api/items/${moved.id}/move`, {
          parentId: elsewhere.id,
        });
        expect(back.status, JSON.stringify(back.body)).toBe(200);
        type Events = { items: { action: string; before: unknown; after: unknown }[] };
        for (const id of [boxedTube.id, moved.id]) {
          const history = await callApi<Events>(t, outsider, 'GET', `/api/audit?entityId=${id}`);
          expect(history.status).toBe(200);
          expect(history.body.items.length).toBeGreaterThan(0);
          expectNoTrace(JSON.stringify(history.body));
        }
        const outsiders = await callApi<Events>(t, outsider, 'GET', `/api/audit?entityId=${moved.id}`);
        expect(outsiders.body.items.filter((event) => event.action === 'move')).toMatchObject([
          { before: { parentId: '', slot: 'C3' }, after: { parentId: elsewhere.id } },
          { before: { parentId: elsewhere.id }, after: { parentId: '', slot: 'C3' } },
        ]);
        const viewers = await callApi<Events>(t, viewer, 'GET', `/api/audit?entityId=${moved.id}`);
        expect(viewers.body.items.filter((event) => event.action === 'move')).toMatchObject([
          { before: { parentId: secretBox.id } },
          { after: { parentId: secretBox.id } },
        ]);
      });

      it('exports a location’s subtree whole, through the container as (restricted) (subtree CSV)', async () => {
        const exportAs = async (user: TestUser) => {
          const response = await t.app.inject({
            method: 'GET',
            url: `/api/items/${freezer.id}/subtree.csv`,
            headers: user.headers,
          });
          expect(response.statusCode).toBe(200);
          const rows = parse<Record<string, string>>(response.body, { columns: true });
          return {
            text: response.body,
            rows: rows.map(({ name, path, parent }) => ({ name, path, parent })),
          };
        };
        const asOutsider = await exportAs(outsider);
        expect(asOutsider.rows).toEqual([
          { name: 'Shared freezer', path: '', parent: '' },
          { name: 'Boxed lab tube', path: 'Shared freezer / (restricted)', parent: '(restricted)' },
          { name: 'Inner lab box', path: 'Shared freezer / (restricted)', parent: '(restricted)' },
          {
            name: 'Inner lab tube',
            path: 'Shared freezer / (restricted) / Inner lab box',
            parent: innerBox.humanId,
          },
        ]);
        expectNoTrace(asOutsider.text);
        const asViewer = await exportAs(viewer);
        expect(asViewer.rows.map((row) => row.path)).toEqual([
          '',
          'Shared freezer',
          'Shared freezer / Vault box',
          'Shared freezer / Vault box',
          'Shared freezer / Vault box / Inner lab box',
        ]);
      });

      it('exports items with the container as (restricted) (CSV, bionet)', async () => {
        const csv = await t.app.inject({
          method: 'GET',
          url: '/api/exports/items.csv?q=Boxed',
          headers: outsider.headers,
        });
        expect(csv.statusCode).toBe(200);
        expect(csv.body).toContain(
          `${boxedTube.humanId},${boxedTube.id},tube,Boxed lab tube,,,(restricted),B2,`,
        );
        expectNoTrace(csv.body);
        const bionet = await t.app.inject({
          method: 'GET',
          url: `/api/exports/bionet.json?root=${freezer.id}`,
          headers: outsider.headers,
        });
        expect(bionet.statusCode).toBe(200);
        const entries = bionet.json<{ key: string; value: { parent_id: string | null } }[]>();
        expect(entries.map((entry) => [entry.key, entry.value.parent_id])).toEqual([
          [freezer.id, null],
          [boxedTube.id, ''],
          [innerBox.id, ''],
          [expect.any(String), innerBox.id],
        ]);
        expectNoTrace(bionet.body);
      });
    });
  });
});
