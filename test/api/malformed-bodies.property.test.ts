/**
 * Property test: random and malformed bodies thrown at every create (POST) route of the OpenAPI document.
 * Whatever arrives, the server answers without a 5xx; every refusal is a problem document; and a refused
 * request writes nothing (no row in any table changes count).
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialectOf } from '../../src/db/dialect.js';
import type { Problem } from '../support/api-types.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildProject } from '../support/factories.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

const RUNS_PER_ROUTE = Number(process.env.CAIRN_PROPERTY_RUNS ?? 20);

async function tableCounts(t: TestApp): Promise<Record<string, number>> {
  const db = t.database.db;
  const names =
    dialectOf(db) === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
        ).rows
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(
            db,
          )
        ).rows;
  // One round trip for every table's count.
  const selects = names.map(({ name }) => sql`(select count(*) from ${sql.table(name)}) as ${sql.ref(name)}`);
  const result = await sql<Record<string, number>>`select ${sql.join(selects)}`.execute(db);
  return Object.fromEntries(Object.entries(result.rows[0] ?? {}).map(([name, n]) => [name, Number(n)]));
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const mutatedObject = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'name',
      'username',
      'email',
      'password',
      'role',
      'status',
      'type',
      'fields',
      'parentId',
      'slot',
      'moves',
      'itemIds',
      'projectId',
    ),
    fc.string({ maxLength: 12 }),
  ),
  fc.oneof(
    jsonValue,
    fc.string({ maxLength: 300 }),
    fc.constantFrom('', '\u0000', '../../etc/passwd', '2026-02-30', -1, 1e308, null),
  ),
  { maxKeys: 6 },
);

type Body = { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string };
const bodies: fc.Arbitrary<Body> = fc.oneof(
  jsonValue.map((value): Body => ({ kind: 'json', value })),
  mutatedObject.map((value): Body => ({ kind: 'json', value })),
  fc
    .oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('{', '{"a":', '[1,2', 'null', '{"name": "x"}}', '\u0000'),
    )
    .map((text): Body => ({ kind: 'raw', text, contentType: 'application/json' })),
  fc.string({ maxLength: 100 }).map((text): Body => ({ kind: 'raw', text, contentType: 'text/plain' })),
);

describe.each(dialects)('malformed bodies on every create route on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { admin: 'admin' } });
    const { admin } = t.users;
    let projectId: string;
    let postRoutes: string[];

    beforeAll(async () => {
      projectId = (await buildProject(t.database.db, admin.user, { name: 'P' })).id;
      const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<string, Record<string, unknown>>;
      }>();
      postRoutes = Object.entries(document.paths)
        .filter(([, operations]) => 'post' in operations)
        .map(([path]) => path);
    });

    it('covers the create routes', () => {
      expect(postRoutes).toEqual(
        expect.arrayContaining(['/api/projects', '/api/users', '/api/tokens', '/api/projects/{id}/members']),
      );
    });

    it('never answers 5xx, always with a problem document, and writes nothing when refusing', async () => {
      for (const route of postRoutes) {
        if (route === '/api/auth/logout') continue;
        const url = route
          .replace('{id}', projectId)
          .replace(/\{[^}]+\}/g, 'p-00000000-0000-0000-0000-000000000000');
        await fc.assert(
          fc.asyncProperty(bodies, async (body) => {
            const before = await tableCounts(t);
            const response = await t.app.inject({
              method: 'POST',
              url,
              headers:
                body.kind === 'json'
                  ? { ...admin.headers, 'content-type': 'application/json' }
                  : { ...admin.headers, 'content-type': body.contentType },
              payload: body.kind === 'json' ? JSON.stringify(body.value) : body.text,
            });
            const context = `${route} ${JSON.stringify(body).slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
            expect(response.statusCode, context).toBeLessThan(500);
            if (response.statusCode >= 400) {
              expect(response.headers['content-type'], context).toMatch(/^application\/problem\+json/);
              const problem = response.json<Problem>();
              expect(problem.status, context).toBe(response.statusCode);
              expect(problem.code, context).toBeTruthy();
              expect(await tableCounts(t), context).toEqual(before);
            }
          }),
          {
            numRuns: RUNS_PER_ROUTE,
            // Always tried: names of Object.prototype's members, which once reached a lookup as a CSV header.
            examples: ['toString', 'constructor', '__proto__'].flatMap((text): [Body][] => [
              [{ kind: 'raw', text, contentType: 'text/plain' }],
              [{ kind: 'raw', text, contentType: 'application/json' }],
              [{ kind: 'json', value: { [text]: text } }],
            ]),
          },
        );
      }
    }, 240_000);
  });
});
