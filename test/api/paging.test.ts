/**
 * Lists that page by one fetch of a page and one row more (src/db/paging.ts fetchPage): walking a list a few
 * rows at a time gives every row once, in the order of one large page, and the last page has no cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { enqueueTask } from '../../src/tasks/task-queue.js';
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildProject, buildUser } from '../support/factories.js';

interface ListPage {
  items: { id: string | number }[];
  nextCursor: string | null;
}

describe.each(dialects)('paged lists on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    let t: TestApp;
    let admin: TestUser;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      admin = await t.userWithToken({ role: 'admin' });
      for (let n = 0; n < 5; n++) await buildProject(t.database.db, await buildUser(t.database.db));
      // Far in the future, so that no worker claims them while they are listed.
      await inTransaction(t.database.db, async (trx) => {
        for (let n = 0; n < 5; n++)
          await enqueueTask(trx, 'test.listed', { n }, { runAt: new Date('2999-01-01') });
      });
    });
    afterAll(async () => t?.close());

    async function page(url: string): Promise<ListPage> {
      const response = await t.app.inject({ method: 'GET', url, headers: admin.headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<ListPage>();
    }

    /** Every page of `path` at `limit` rows a page, and how many pages it took. */
    async function walk(path: string, limit: number) {
      const ids: (string | number)[] = [];
      let pages = 0;
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
        const next = await page(`${path}?limit=${limit}${query}`);
        expect(next.items.length).toBeLessThanOrEqual(limit);
        ids.push(...next.items.map((item) => item.id));
        cursor = next.nextCursor;
        pages++;
      } while (cursor !== null);
      return { ids, pages };
    }

    it.each(['/api/users', '/api/audit', '/api/tasks', '/api/projects'])(
      '%s: two rows at a time give the rows of one large page, in order',
      async (path) => {
        const whole = await page(`${path}?limit=200`);
        expect(whole.nextCursor).toBeNull();
        const walked = await walk(path, 2);
        expect(walked.ids).toEqual(whole.items.map((item) => item.id));
        expect(walked.pages).toBe(Math.max(1, Math.ceil(whole.items.length / 2)));
      },
    );

    it('a page that ends the list exactly has no cursor', async () => {
      const whole = await page('/api/users?limit=200');
      const exact = await page(`/api/users?limit=${whole.items.length}`);
      expect(exact.items).toHaveLength(whole.items.length);
      expect(exact.nextCursor).toBeNull();
      const short = await page(`/api/users?limit=${whole.items.length - 1}`);
      expect(short.nextCursor).not.toBeNull();
    });
  });
});
