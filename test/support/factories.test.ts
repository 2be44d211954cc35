/** The test factories make what they are not given: a sample its project, manager and type; a box its type and place. */
import { describe, expect, it } from 'vitest';
import type { Item, ItemType } from '../../src/modules/inventory/inventory.schema.js';
import type { Project } from '../../src/modules/projects/projects.schema.js';
import { dialectAvailable, dialects } from './databases.js';
import { buildBox, callApi } from './inventory-factories.js';
import { buildSample } from './sample-factories.js';
import { useTestApp } from './test-app.js';

describe.each(dialects)('test factories on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { admin: 'admin' } });
    const { admin } = t.users;

    it('give a sample without a project a new project with a manager, and a physical type of its own', async () => {
      const sample = await buildSample(t);
      const project = await callApi<Project>(t, admin, 'GET', `/api/projects/${sample.projectId}`);
      expect(project.status).toBe(200);
      expect(project.body.manager.username).toMatch(/^user/);
      const type = await callApi<ItemType>(t, admin, 'GET', `/api/types/${sample.type.id}`);
      expect(type.body).toMatchObject({ class: 'physical', builtin: false });
    });

    it('give a box a 9×9 box type of its own and, when asked, a freezer to stand in', async () => {
      const box = await buildBox(t, { inLocation: true });
      const type = await callApi<ItemType>(t, admin, 'GET', `/api/types/${box.type.id}`);
      expect(type.body.grid).toEqual({ rows: 9, columns: 9 });
      const freezer = await callApi<Item>(t, admin, 'GET', `/api/items/${box.parentId}`);
      expect(freezer.body.type.name).toBe('-80 freezer');
      const loose = await buildBox(t, { grid: { rows: 2, columns: 3 } });
      expect(loose.parentId).toBeNull();
      expect((await callApi<ItemType>(t, admin, 'GET', `/api/types/${loose.type.id}`)).body.grid).toEqual({
        rows: 2,
        columns: 3,
      });
    });
  });
});
