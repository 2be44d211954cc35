import { beforeAll, describe, expect, it } from 'vitest';
import type { Sample as SampleBody } from '../../src/modules/samples/samples.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildProject } from '../support/factories.js';
import { buildBox, buildItem, callApi } from '../support/inventory-factories.js';
import { useTestApp } from '../support/test-app.js';

describe.each(dialects)('samples on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { manager: 'user', viewer: 'user', outsider: 'user' } });
    const { manager, viewer, outsider } = t.users;
    let projectId: string;
    let boxId: string;

    beforeAll(async () => {
      projectId = (
        await buildProject(t.database.db, manager.user, {
          name: 'Soil survey',
          members: [[viewer.user, 'viewer']],
        })
      ).id;
      const freezer = await buildItem(t, manager, { type: '-80 freezer', name: 'Freezer A' });
      boxId = (await buildBox(t, { by: manager, name: 'Soil box 1', parentId: freezer.id })).id;
    });

    it('registers a sample as a physical item of the project, placed in a box slot', async () => {
      const created = await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
        projectId,
        name: 'Core 1',
        type: 'tube',
        collectionDate: '2026-10-01',
        parentId: boxId,
        slot: 'A1',
        status: 'stored',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.id).toMatch(/^p-[0-9a-f-]{36}$/);
      expect(created.body).toMatchObject({ status: 'stored', projectId, parentId: boxId, slot: 'A1' });
      const detail = await callApi<{
        location: Array<{ name: string }>;
        item: { projectId: string };
        history: Array<{ entityType: string }>;
        collectionDate: string;
      }>(t, manager, 'GET', `/api/samples/${created.body.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.location.map((entry) => entry.name)).toEqual(['Freezer A', 'Soil box 1', 'Core 1']);
      expect(detail.body.item.projectId).toBe(projectId);
      expect(detail.body.collectionDate).toBe('2026-10-01');
      expect(detail.body.history.map((event) => event.entityType)).toEqual(
        expect.arrayContaining(['item', 'sample']),
      );
    });

    it('follows the lifecycle and refuses other transitions', async () => {
      const sample = (
        await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
          projectId,
          name: 'Core 2',
          type: 'tube',
        })
      ).body;
      expect(sample.status).toBe('registered');
      const skip = await callApi<{ code: string }>(t, manager, 'PATCH', `/api/samples/${sample.id}`, {
        status: 'in_analysis',
      });
      expect(skip.status).toBe(409);
      expect(skip.body.code).toBe('invalid_transition');
      expect(
        (await callApi(t, manager, 'PATCH', `/api/samples/${sample.id}`, { status: 'received' })).status,
      ).toBe(200);
      const storedWithoutPlace = await callApi(t, manager, 'PATCH', `/api/samples/${sample.id}`, {
        status: 'stored',
      });
      expect(storedWithoutPlace.status).toBe(422);
      await callApi(t, manager, 'POST', `/api/items/${sample.id}/move`, { parentId: boxId, slot: 'A2' });
      for (const status of ['stored', 'in_analysis', 'consumed']) {
        const step = await callApi<SampleBody>(t, manager, 'PATCH', `/api/samples/${sample.id}`, { status });
        expect(step.status, status).toBe(200);
        expect(step.body.status).toBe(status);
      }
      const back = await callApi(t, manager, 'PATCH', `/api/samples/${sample.id}`, { status: 'stored' });
      expect(back.status).toBe(409);
    });

    it('stores a sample registered into a slot, or moved into one while registered or received', async () => {
      const statusOf = async (id: string) =>
        (await callApi<SampleBody>(t, manager, 'GET', `/api/samples/${id}`)).body.status;
      const slotted = await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
        projectId,
        name: 'Slotted core',
        type: 'tube',
        parentId: boxId,
        slot: 'E1',
      });
      expect(slotted.body.status).toBe('stored');
      // In a container without a slot it stays as it was registered.
      const shelved = await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
        projectId,
        name: 'Shelved core',
        type: 'tube',
        parentId: boxId,
      });
      expect(shelved.body.status).toBe('registered');
      const received = (
        await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
          projectId,
          name: 'Received core',
          type: 'tube',
          status: 'received',
        })
      ).body;
      const analysed = (
        await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
          projectId,
          name: 'Analysed',
          type: 'tube',
        })
      ).body;
      await callApi(t, manager, 'PATCH', `/api/samples/${analysed.id}`, { status: 'received' });
      await callApi(t, manager, 'PATCH', `/api/samples/${analysed.id}`, { status: 'in_analysis' });

      const one = await callApi(t, manager, 'POST', `/api/items/${shelved.body.id}/move`, {
        parentId: boxId,
        slot: 'E2',
      });
      expect(one.status).toBe(200);
      const bulk = await callApi(t, manager, 'POST', '/api/items/move', {
        moves: [
          { itemId: received.id, parentId: boxId, slot: 'E3' },
          { itemId: analysed.id, parentId: boxId, slot: 'E4' },
        ],
      });
      expect(bulk.status).toBe(200);
      expect(await statusOf(shelved.body.id)).toBe('stored');
      expect(await statusOf(received.id)).toBe('stored');
      expect(await statusOf(analysed.id)).toBe('in_analysis');
      // Audited: the sample's history has the change, by the mover, with the move's request.
      const history = await callApi<{
        items: Array<{
          entityType: string;
          action: string;
          before: { status: string };
          after: { status: string };
        }>;
      }>(t, manager, 'GET', `/api/audit?entityId=${received.id}&entityType=sample`);
      expect(history.body.items[0]).toMatchObject({
        action: 'update',
        before: { status: 'received' },
        after: { status: 'stored' },
      });

      const csv = await t.app.inject({
        method: 'POST',
        url: '/api/imports/samples',
        headers: { ...manager.headers, 'content-type': 'text/csv' },
        payload: `project,type,name,parent,slot\n${projectId},tube,Imported slotted,${boxId},E5\n${projectId},tube,Imported loose,,\n`,
      });
      expect(csv.statusCode, csv.body).toBe(201);
      const imported = await callApi<{ items: Array<{ name: string; status: string }> }>(
        t,
        manager,
        'GET',
        `/api/projects/${projectId}/samples?q=Imported`,
      );
      expect(imported.body.items.map(({ name, status }) => [name, status])).toEqual([
        ['Imported loose', 'registered'],
        ['Imported slotted', 'stored'],
      ]);
    });

    it('applies project permissions: viewers read, cannot write; outsiders see nothing', async () => {
      const sample = (
        await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
          projectId,
          name: 'Core 3',
          type: 'tube',
        })
      ).body;
      expect((await callApi(t, viewer, 'GET', `/api/samples/${sample.id}`)).status).toBe(200);
      expect(
        (await callApi(t, viewer, 'PATCH', `/api/samples/${sample.id}`, { status: 'received' })).status,
      ).toBe(403);
      expect(
        (await callApi(t, viewer, 'POST', '/api/samples', { projectId, name: 'x', type: 'tube' })).status,
      ).toBe(403);
      expect((await callApi(t, outsider, 'GET', `/api/samples/${sample.id}`)).status).toBe(404);
      expect((await callApi(t, outsider, 'GET', `/api/projects/${projectId}/samples`)).status).toBe(404);
      expect(
        (await callApi(t, outsider, 'POST', '/api/samples', { projectId, name: 'x', type: 'tube' })).status,
      ).toBe(404);
    });

    it('hides a sample’s item from non-members everywhere in the inventory', async () => {
      const sample = (
        await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
          projectId,
          name: 'Secret core',
          type: 'tube',
          parentId: boxId,
          slot: 'I9',
          barcode: `SECRET-${dialect}`,
        })
      ).body;
      for (const url of [
        `/api/items/${sample.id}`,
        `/api/items/${sample.id}/path`,
        `/api/barcodes/SECRET-${dialect}`,
        `/api/items/${sample.id}/label.svg`,
        `/api/items/${sample.id}/files`,
      ]) {
        expect((await t.app.inject({ method: 'GET', url, headers: outsider.headers })).statusCode, url).toBe(
          404,
        );
        expect((await t.app.inject({ method: 'GET', url, headers: viewer.headers })).statusCode, url).toBe(
          200,
        );
      }
      expect((await callApi(t, outsider, 'PATCH', `/api/items/${sample.id}`, { name: 'mine' })).status).toBe(
        404,
      );
      expect((await callApi(t, viewer, 'PATCH', `/api/items/${sample.id}`, { name: 'mine' })).status).toBe(
        403,
      );
      expect(
        (await callApi(t, outsider, 'POST', `/api/items/${sample.id}/move`, { parentId: null })).status,
      ).toBe(404);
      const list = await callApi<{ items: Array<{ id: string }> }>(t, outsider, 'GET', '/api/items?q=Secret');
      expect(list.body.items.map((item) => item.id)).not.toContain(sample.id);
      const children = await callApi<{
        items: Array<{ id: string }>;
        grid: { occupancy: Record<string, { name: string }>; freeSlots: string[] };
      }>(t, outsider, 'GET', `/api/items/${boxId}/children`);
      expect(children.body.items.map((item) => item.id)).not.toContain(sample.id);
      expect(children.body.grid.occupancy.I9?.name).toBe('(restricted)');
      expect(children.body.grid.freeSlots).not.toContain('I9');
      const asMember = await callApi<{ grid: { occupancy: Record<string, { name: string }> } }>(
        t,
        viewer,
        'GET',
        `/api/items/${boxId}/children`,
      );
      expect(asMember.body.grid.occupancy.I9?.name).toBe('Secret core');
    });

    it('filters the inventory by owning project: the lab’s own items, or one project’s samples', async () => {
      const unlocated = (
        await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
          projectId,
          name: 'Unplaced core',
          type: 'tube',
        })
      ).body;
      type Page = { items: Array<{ id: string; projectId: string | null }> };
      const topLevel = await callApi<Page>(t, manager, 'GET', '/api/items?parent=root&limit=500');
      expect(topLevel.body.items.map((item) => item.id)).toContain(unlocated.id);
      // The location tree's top level: the lab's own items only, not samples that sit nowhere yet.
      const labOwned = await callApi<Page>(
        t,
        manager,
        'GET',
        '/api/items?parent=root&project=none&limit=500',
      );
      expect(labOwned.status).toBe(200);
      expect(labOwned.body.items.map((item) => item.id)).not.toContain(unlocated.id);
      expect(labOwned.body.items.every((item) => item.projectId === null)).toBe(true);
      expect(labOwned.body.items.length).toBeGreaterThan(0);
      const ofProject = await callApi<Page>(t, viewer, 'GET', `/api/items?project=${projectId}&limit=500`);
      expect(ofProject.body.items.map((item) => item.id)).toContain(unlocated.id);
      expect(ofProject.body.items.every((item) => item.projectId === projectId)).toBe(true);
      const asOutsider = await callApi<Page>(t, outsider, 'GET', `/api/items?project=${projectId}`);
      expect(asOutsider.status).toBe(200);
      expect(asOutsider.body.items).toEqual([]);
    });

    it('lists a project’s samples with filters and cursor paging', async () => {
      const other = (
        await callApi<{ id: string }>(t, manager, 'POST', '/api/projects', { name: 'Other project' })
      ).body.id;
      for (const name of ['Leaf A', 'Leaf B', 'Leaf C']) {
        await callApi(t, manager, 'POST', '/api/samples', { projectId: other, name, type: 'tube' });
      }
      await callApi(t, manager, 'POST', '/api/samples', {
        projectId: other,
        name: 'Plate P',
        type: '96-well plate',
      });
      const page1 = await callApi<{ items: Array<{ name: string }>; nextCursor: string }>(
        t,
        manager,
        'GET',
        `/api/projects/${other}/samples?limit=2`,
      );
      const page2 = await callApi<{ items: Array<{ name: string }>; nextCursor: string | null }>(
        t,
        manager,
        'GET',
        `/api/projects/${other}/samples?limit=2&cursor=${page1.body.nextCursor}`,
      );
      expect([...page1.body.items, ...page2.body.items].map((s) => s.name)).toEqual([
        'Leaf A',
        'Leaf B',
        'Leaf C',
        'Plate P',
      ]);
      expect(page2.body.nextCursor).toBeNull();
      const plates = await callApi<{ items: Array<{ name: string }> }>(
        t,
        manager,
        'GET',
        `/api/projects/${other}/samples?type=96-well%20plate`,
      );
      expect(plates.body.items.map((s) => s.name)).toEqual(['Plate P']);
      const q = await callApi<{ items: Array<{ name: string }> }>(
        t,
        manager,
        'GET',
        `/api/projects/${other}/samples?q=leaf%20b`,
      );
      expect(q.body.items.map((s) => s.name)).toEqual(['Leaf B']);
      const registered = await callApi<{ items: unknown[] }>(
        t,
        manager,
        'GET',
        `/api/projects/${other}/samples?status=stored`,
      );
      expect(registered.body.items).toEqual([]);
    });

    it('lists samples by name as a person sorts it, then id, hidden ones too, deleted ones not, one at a time without loss', async () => {
      const project = (
        await callApi<{ id: string }>(t, manager, 'POST', '/api/projects', { name: 'Paged project' })
      ).body.id;
      const made: Record<string, string> = {};
      for (const [key, name, status] of [
        ['beta', 'beta', 'registered'],
        ['first', 'Alpha', 'registered'],
        ['second', 'Alpha', 'received'],
        ['gel', 'alpha gel', 'received'],
        ['hidden', 'delta', 'registered'],
        ['gone', 'gamma', 'registered'],
        ['zeta', 'Zeta', 'registered'],
      ] as const) {
        const created = await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
          projectId: project,
          name,
          type: 'tube',
          status,
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        made[key] = created.body.id;
      }
      const id = (key: string) => made[key] ?? '';
      expect(
        (await callApi(t, manager, 'PATCH', `/api/items/${id('hidden')}`, { hidden: true })).status,
      ).toBe(200);
      expect((await callApi(t, manager, 'DELETE', `/api/items/${id('gone')}`)).status).toBe(204);

      const listed: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await callApi(
          t,
          manager,
          'GET',
          `/api/projects/${project}/samples?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        listed.push(...page.body.items.map((item) => item.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null && listed.length < 10);
      const alphas = [id('first'), id('second')].sort();
      // Case folded on both databases, as the catalogue: "Zeta" after "delta", not before "alpha gel".
      expect(listed).toEqual([...alphas, id('gel'), id('beta'), id('hidden'), id('zeta')]);

      const receivedAlphas = await callApi<{ items: Array<{ id: string; status: string }> }>(
        t,
        manager,
        'GET',
        `/api/projects/${project}/samples?status=received&q=ALPHA%20G`,
      );
      expect(receivedAlphas.body.items.map((item) => item.id)).toEqual([id('gel')]);
      const types = await callApi<{ items: unknown[] }>(
        t,
        manager,
        'GET',
        `/api/projects/${project}/samples?type=box%209x9`,
      );
      expect(types.body.items).toEqual([]);
    });

    it('lists each sample with its container, unless that is a sample of a project the caller is not in', async () => {
      const mine = (
        await callApi<{ id: string }>(t, manager, 'POST', '/api/projects', { name: 'Container project' })
      ).body.id;
      const theirs = (
        await callApi<{ id: string }>(t, manager, 'POST', '/api/projects', { name: 'Their project' })
      ).body.id;
      const box = await buildItem(t, manager, { type: 'box 9x9', name: 'Lab box' });
      // A container that is itself a sample of another project (its name is for that project's members).
      const privateBox = await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
        projectId: theirs,
        name: 'Private box',
        type: 'box 9x9',
      });
      for (const [name, parentId] of [
        ['In the lab box', box.id],
        ['In the private box', privateBox.body.id],
        ['Nowhere', null],
      ] as const) {
        const made = await callApi(t, manager, 'POST', '/api/samples', {
          projectId: mine,
          name,
          type: 'tube',
          ...(parentId !== null && { parentId, slot: 'A1' }),
        });
        expect(made.status, JSON.stringify(made.body)).toBe(201);
      }
      const list = await callApi<{
        items: Array<{ name: string; parentId: string | null; parent: unknown }>;
      }>(t, manager, 'GET', `/api/projects/${mine}/samples`);
      const lab = {
        name: 'In the lab box',
        parentId: box.id,
        parent: { id: box.id, humanId: box.humanId, name: 'Lab box' },
      };
      const nowhere = { name: 'Nowhere', parentId: null, parent: null };
      // The manager is in both projects.
      expect(list.body.items.map(({ name, parentId, parent }) => ({ name, parentId, parent }))).toEqual([
        lab,
        {
          name: 'In the private box',
          parentId: privateBox.body.id,
          parent: { id: privateBox.body.id, humanId: privateBox.body.humanId, name: 'Private box' },
        },
        nowhere,
      ]);
      // A member of this project only sees that the container is restricted, as everywhere in the inventory.
      await callApi(t, manager, 'POST', `/api/projects/${mine}/members`, {
        username: viewer.user.username,
        role: 'viewer',
      });
      const asViewer = await callApi<{
        items: Array<{ name: string; parentId: string | null; parent: unknown }>;
      }>(t, viewer, 'GET', `/api/projects/${mine}/samples`);
      expect(asViewer.body.items.map(({ name, parentId, parent }) => ({ name, parentId, parent }))).toEqual([
        lab,
        { name: 'In the private box', parentId: '', parent: null },
        nowhere,
      ]);
    });

    it('shows and changes a deleted project’s sample to admins only, as the inventory does', async () => {
      const admin = await t.userWithToken({ role: 'admin' });
      const doomed = (
        await callApi<{ id: string }>(t, manager, 'POST', '/api/projects', { name: 'Doomed survey' })
      ).body.id;
      const sample = (
        await callApi<SampleBody>(t, manager, 'POST', '/api/samples', {
          projectId: doomed,
          name: 'Orphaned core',
          type: 'tube',
        })
      ).body;
      expect((await callApi(t, manager, 'DELETE', `/api/projects/${doomed}`)).status).toBe(204);

      expect((await callApi(t, manager, 'GET', `/api/samples/${sample.id}`)).status).toBe(404);
      expect((await callApi(t, admin, 'GET', `/api/samples/${sample.id}`)).status).toBe(200);
      expect((await callApi(t, admin, 'GET', `/api/items/${sample.id}`)).status).toBe(200);
      const changed = await callApi<SampleBody>(t, admin, 'PATCH', `/api/samples/${sample.id}`, {
        status: 'disposed',
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(changed.body.status).toBe('disposed');
    });

    it('refuses bad samples with a problem document and writes nothing', async () => {
      const count = async () =>
        Number(
          (
            await t.database.db
              .selectFrom('items')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const bads = [
        { projectId, name: 'virtual', type: 'plasmid' },
        { projectId, name: 'no type', type: 'unicorn' },
        { projectId, name: 'taken slot', type: 'tube', parentId: boxId, slot: 'A1' },
        { projectId, name: 'bad slot', type: 'tube', parentId: boxId, slot: 'Z99' },
        { projectId, name: 'bad date', type: 'tube', collectionDate: '2026-02-30x' },
        { projectId, name: 'final', type: 'tube', status: 'disposed' },
      ];
      for (const payload of bads) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/samples',
          headers: manager.headers,
          payload,
        });
        expect(response.statusCode, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
        expect(response.headers['content-type']).toMatch(/problem\+json/);
      }
      expect(await count()).toBe(before);
    });
  });
});
