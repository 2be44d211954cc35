/**
 * What people outside a project see of its samples through the inventory (security review, issue 11): access
 * is checked before anything else is revealed, hidden containers are never named or numbered, placing into a
 * project's container needs write access to it, streamed exports never break off, and a deleted project's
 * samples are hidden from its former members.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildItem, callApi } from '../support/inventory-factories.js';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';

interface ProblemBody {
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

interface SampleBody {
  id: string;
  humanId: string;
  status: string;
}

describe.each(dialects)('item access on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    let t: TestApp;
    /** The project's manager. */
    let member: TestUser;
    let viewer: TestUser;
    let outsider: TestUser;
    let projectId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      [member, viewer, outsider] = await Promise.all([
        t.userWithToken(),
        t.userWithToken(),
        t.userWithToken(),
      ]);
      projectId = (await callApi<{ id: string }>(t, member, 'POST', '/api/projects', { name: 'Access' })).body
        .id;
      await callApi(t, member, 'POST', `/api/projects/${projectId}/members`, {
        username: viewer.user.username,
        role: 'viewer',
      });
    });
    afterAll(async () => t?.close());

    async function buildSample(input: Record<string, unknown>): Promise<SampleBody> {
      const response = await callApi<SampleBody>(t, member, 'POST', '/api/samples', { projectId, ...input });
      if (response.status !== 201) throw new Error(`sample: ${JSON.stringify(response.body)}`);
      return response.body;
    }

    it('checks access to a sample before saying whether it is deleted (restore)', async () => {
      const live = await buildSample({ name: 'Live core', type: 'tube' });
      const deleted = await buildSample({ name: 'Deleted core', type: 'tube' });
      expect((await callApi(t, member, 'DELETE', `/api/items/${deleted.id}`)).status).toBe(204);
      for (const sample of [live, deleted]) {
        const url = `/api/items/${sample.id}/restore`;
        const asOutsider = await callApi<ProblemBody>(t, outsider, 'POST', url);
        expect(asOutsider.status, sample.humanId).toBe(404);
        expect(asOutsider.body.detail).not.toContain(sample.humanId);
        expect((await callApi(t, viewer, 'POST', url)).status, sample.humanId).toBe(403);
      }
      const notDeleted = await callApi<ProblemBody>(t, member, 'POST', `/api/items/${live.id}/restore`);
      expect(notDeleted.status).toBe(409);
      expect(notDeleted.body.code).toBe('not_deleted');
      expect((await callApi(t, member, 'POST', `/api/items/${deleted.id}/restore`)).status).toBe(200);
    });

    it('refuses every item route on a sample to outsiders (404) and viewers (403) before other checks', async () => {
      const box = await buildSample({ name: 'Route box', type: 'box 9x9' });
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
        const asOutsider = await callApi<ProblemBody>(t, outsider, method, url, payload);
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
      const doomed = (await callApi<{ id: string }>(t, member, 'POST', '/api/projects', { name: 'Doomed' }))
        .body.id;
      await callApi(t, member, 'POST', `/api/projects/${doomed}/members`, {
        username: viewer.user.username,
        role: 'viewer',
      });
      const box = await buildItem(t, member, { type: 'box 9x9', name: 'Doomed lab box' });
      const made = await callApi<SampleBody>(t, member, 'POST', '/api/samples', {
        projectId: doomed,
        name: 'Doomedcore',
        type: 'tube',
        parentId: box.id,
        slot: 'B2',
      });
      expect(made.status).toBe(201);
      const sample = made.body;
      expect((await callApi(t, member, 'DELETE', `/api/projects/${doomed}`)).status).toBe(204);

      for (const former of [member, viewer]) {
        expect((await callApi(t, former, 'GET', `/api/items/${sample.id}`)).status).toBe(404);
        type Page = { items: Array<{ id: string }> };
        const ofProject = await callApi<Page>(t, former, 'GET', `/api/items?project=${doomed}`);
        expect(ofProject.body.items).toEqual([]);
        const found = await callApi<Page>(t, former, 'GET', '/api/items?q=Doomedcore');
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
        const history = await callApi<Page>(t, viewer, 'GET', `/api/audit?entityId=${sample.id}`);
        expect(history.body.items).toEqual([]);
      }

      type Page = { items: Array<{ id: string }> };
      const asAdmin = await callApi<Page>(t, admin, 'GET', `/api/items?project=${doomed}`);
      expect(asAdmin.body.items.map((item) => item.id)).toEqual([sample.id]);
      expect((await callApi(t, admin, 'GET', `/api/items/${sample.id}`)).status).toBe(200);
      expect((await callApi(t, admin, 'DELETE', `/api/items/${sample.id}`)).status).toBe(204);
      expect((await callApi(t, admin, 'POST', `/api/items/${sample.id}/restore`)).status).toBe(200);
    });
  });
});
