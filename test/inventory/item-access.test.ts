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
  });
});
