import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, problemCatalogue } from '../../src/errors/catalogue.js';
import type { Problem } from '../support/api-types.js';
import { useTestApp } from '../support/test-app.js';

const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('the error catalogue', () => {
  const t = useTestApp('sqlite');

  it('is the README table, row for row', () => {
    const rows = [...readme.matchAll(/^\| `([a-z_]+)` +\| (\d{3}) +\| ([^|]+?) +\|$/gm)].map((m) => [
      m[1],
      Number(m[2]),
      m[3],
    ]);
    expect(rows).toEqual(
      Object.entries(problemCatalogue).map(([code, { status, title }]) => [code, status, title]),
    );
  });

  it('is what the OpenAPI document lists as Problem.code', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<
        string,
        Record<
          string,
          {
            responses: Record<
              string,
              { content?: Record<string, { schema: { properties?: { code?: { enum?: string[] } } } }> }
            >;
          }
        >
      >;
    }>();
    const notFound = document.paths['/api/items/{id}']?.get?.responses['404']?.content;
    const schema = Object.values(notFound ?? {})[0]?.schema;
    expect(schema?.properties?.code?.enum).toEqual(PROBLEM_CODES);
  });

  it('gives every problem document a code from the catalogue, with its status and title', async () => {
    const user = await t.userWithToken();
    const answers = await Promise.all([
      t.app.inject({ method: 'GET', url: '/api/items/p-nothing', headers: user.headers }),
      t.app.inject({ method: 'GET', url: '/api/nowhere', headers: user.headers }),
      t.app.inject({ method: 'GET', url: '/api/items' }),
      t.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: { ...user.headers, 'content-type': 'application/json' },
        payload: '{"name":',
      }),
    ]);
    expect(answers.map((answer) => answer.json<Problem>().code)).toEqual([
      'not_found',
      'route_not_found',
      'unauthorized',
      'malformed_json',
    ]);
    for (const answer of answers) {
      const problem = answer.json<Problem>();
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect([problem.status, problem.title]).toEqual([
        problemCatalogue[problem.code].status,
        problemCatalogue[problem.code].title,
      ]);
      expect(answer.statusCode).toBe(problem.status);
    }
  });
});
