// Every error the server sends is a problem document that satisfies the problem schema the route declares
// (issue 11, finding 6): a few bad requests per route family, each answer checked against the route's declared
// schema for that status in the OpenAPI document and against the shared problem schema.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProblemSchema } from '../../src/http/common.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import type { Problem } from '../support/api-types.js';
import { callApi } from '../support/inventory-factories.js';
import { createTestApp, useTestApp } from '../support/test-app.js';

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: object }> }> }>
  >;
}

const ajv = addFormats.default(new Ajv({ strict: false, allErrors: true }));
const validateProblem = ajv.compile(ProblemSchema);

/** What the OpenAPI document declares for `status` of an operation (`/api/items/{id}` style path). */
function declaredSchema(document: OpenApiDocument, method: string, path: string, status: number) {
  const response = document.paths[path]?.[method.toLowerCase()]?.responses?.[String(status)];
  return response?.content?.['application/json']?.schema;
}

function schemaErrors(validate: ValidateFunction, body: unknown): string {
  return validate(body) ? '' : ajv.errorsText(validate.errors);
}

/** Asserts a 4xx problem document that satisfies the shared schema and the operation's declared one. */
export function expectProblemDocument(
  document: OpenApiDocument,
  request: { method: string; path: string },
  response: LightMyRequestResponse,
): void {
  const what = `${request.method} ${request.path} → ${response.statusCode} ${response.body}`;
  expect(response.statusCode, what).toBeGreaterThanOrEqual(400);
  expect(response.statusCode, what).toBeLessThan(500);
  expect(response.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  const body = response.json<Problem>();
  expect(schemaErrors(validateProblem, body), what).toBe('');
  expect(body.status, what).toBe(response.statusCode);
  expect(body.requestId, what).toBe(response.headers['x-request-id']);
  const declared = declaredSchema(document, request.method, request.path, response.statusCode);
  if (declared !== undefined) expect(schemaErrors(ajv.compile(declared), body), what).toBe('');
}

describe.each(dialects)('problem documents on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { user: 'user', admin: 'admin' } });
    const { user, admin } = t.users;
    let document: OpenApiDocument;

    beforeAll(async () => {
      document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<OpenApiDocument>();
    });

    /** A bad request: the OpenAPI path of its route, and what to send. */
    interface BadRequest {
      path: string;
      method: InjectOptions['method'];
      url: string;
      payload?: InjectOptions['payload'];
      contentType?: string;
      as?: 'user' | 'admin';
    }

    const csv = 'text/csv';
    const families: Record<string, BadRequest[]> = {
      accounts: [
        { method: 'POST', path: '/api/auth/login', url: '/api/auth/login', payload: {} },
        { method: 'POST', path: '/api/tokens', url: '/api/tokens', payload: { name: 5 } },
        { method: 'GET', path: '/api/users', url: '/api/users' },
        { method: 'DELETE', path: '/api/tokens/{id}', url: '/api/tokens/nope' },
        { method: 'PATCH', path: '/api/users/{id}', url: '/api/users/nope', payload: {}, as: 'admin' },
      ],
      projects: [
        { method: 'POST', path: '/api/projects', url: '/api/projects', payload: {} },
        { method: 'GET', path: '/api/projects/{id}', url: '/api/projects/nope' },
        { method: 'GET', path: '/api/projects', url: '/api/projects?limit=0' },
        { method: 'POST', path: '/api/samples', url: '/api/samples', payload: {} },
        { method: 'GET', path: '/api/samples/{id}', url: '/api/samples/nope' },
      ],
      inventory: [
        { method: 'GET', path: '/api/items/{id}', url: '/api/items/nope' },
        {
          method: 'POST',
          path: '/api/items',
          url: '/api/items',
          payload: { type: 'no such type', name: 'x' },
        },
        { method: 'POST', path: '/api/items/move', url: '/api/items/move', payload: { moves: 'none' } },
        { method: 'POST', path: '/api/types', url: '/api/types', payload: { name: 'x' } },
        { method: 'GET', path: '/api/barcodes/{code}', url: '/api/barcodes/nope' },
        { method: 'GET', path: '/api/items/{id}/descendants', url: '/api/items/nope/descendants?limit=x' },
      ],
      'labels and files': [
        { method: 'POST', path: '/api/labels', url: '/api/labels', payload: { itemIds: [] } },
        { method: 'GET', path: '/api/items/{id}/label.svg', url: '/api/items/nope/label.svg' },
        { method: 'POST', path: '/api/items/{id}/files', url: '/api/items/nope/files', payload: {} },
        { method: 'GET', path: '/api/files/{id}', url: '/api/files/nope' },
      ],
      bulk: [
        {
          method: 'POST',
          path: '/api/imports/items',
          url: '/api/imports/items?map=[]',
          payload: 'a\n1\n',
          contentType: csv,
        },
        {
          method: 'POST',
          path: '/api/imports/samples',
          url: '/api/imports/samples?map=%7B%22a%22:1%7D',
          payload: 'a\n1\n',
          contentType: csv,
        },
        {
          method: 'POST',
          path: '/api/imports/items',
          url: '/api/imports/items',
          payload: 'type,name\nno such type,x\n',
          contentType: csv,
        },
        { method: 'POST', path: '/api/imports/bionet', url: '/api/imports/bionet', payload: {} },
        { method: 'GET', path: '/api/projects/{id}/samples.csv', url: '/api/projects/nope/samples.csv' },
        { method: 'GET', path: '/api/exports/items.csv', url: '/api/exports/items.csv?sort=nope' },
      ],
      'audit and tasks': [
        { method: 'GET', path: '/api/audit', url: '/api/audit?limit=0' },
        { method: 'GET', path: '/api/tasks', url: '/api/tasks' },
        { method: 'GET', path: '/api/tasks/{id}', url: '/api/tasks/abc', as: 'admin' },
      ],
    };

    it('refuses integers out of range, in paths, queries and bodies, with 400 problem documents', async () => {
      const grid = (rows: number) => ({ name: 'Huge box', class: 'container', grid: { rows, columns: 2 } });
      const tube = (await callApi(t, user, 'POST', '/api/items', { type: 'tube', name: 'Bounds' })).body;
      const cases: Array<BadRequest & { as?: 'admin' }> = [
        { method: 'GET', path: '/api/tasks/{id}', url: '/api/tasks/9223372036854775808', as: 'admin' },
        { method: 'GET', path: '/api/tasks/{id}', url: '/api/tasks/9007199254740993', as: 'admin' },
        { method: 'GET', path: '/api/tasks/{id}', url: '/api/tasks/0', as: 'admin' },
        { method: 'GET', path: '/api/tasks/{id}', url: '/api/tasks/1e400', as: 'admin' },
        { method: 'GET', path: '/api/tasks', url: '/api/tasks?limit=9223372036854775808', as: 'admin' },
        { method: 'GET', path: '/api/tasks', url: '/api/tasks?cursor=9223372036854775808', as: 'admin' },
        { method: 'GET', path: '/api/audit', url: '/api/audit?cursor=99999999999999999999' },
        { method: 'GET', path: '/api/items', url: '/api/items?limit=-1' },
        { method: 'GET', path: '/api/projects', url: '/api/projects?limit=1e400' },
        {
          method: 'GET',
          path: '/api/items/{id}/descendants',
          url: `/api/items/${String(tube.id)}/descendants?maxDepth=9223372036854775808`,
        },
        {
          method: 'GET',
          path: '/api/items/{id}/label.png',
          url: `/api/items/${String(tube.id)}/label.png?dpi=1e9`,
        },
        { method: 'POST', path: '/api/types', url: '/api/types', payload: grid(2 ** 63), as: 'admin' },
      ];
      for (const request of cases) {
        const caller = request.as === 'admin' ? admin : user;
        const response = await t.app.inject({
          method: request.method,
          url: request.url,
          headers: caller.headers,
          ...(request.payload !== undefined && { payload: request.payload }),
        });
        expect(response.statusCode, `${request.url} ${response.body}`).toBe(400);
        expectProblemDocument(document, { method: String(request.method), path: request.path }, response);
      }
    });

    for (const [family, requests] of Object.entries(families)) {
      it(`answers bad ${family} requests with problem documents of the declared schema`, async () => {
        for (const request of requests) {
          const caller = request.as === 'admin' ? admin : user;
          const response = await t.app.inject({
            method: request.method,
            url: request.url,
            headers: {
              ...caller.headers,
              ...(request.contentType !== undefined && { 'content-type': request.contentType }),
            },
            ...(request.payload !== undefined && { payload: request.payload }),
          });
          expectProblemDocument(document, { method: String(request.method), path: request.path }, response);
        }
      });
    }
  });
});

/** The integer schemas of a JSON schema, with where they are. */
function integerSchemas(schema: unknown, at: string): Array<{ at: string; schema: Record<string, unknown> }> {
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const found = node.type === 'integer' ? [{ at, schema: node }] : [];
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value))
      value.forEach((item, index) => found.push(...integerSchemas(item, `${at}/${key}/${index}`)));
    else found.push(...integerSchemas(value, `${at}/${key}`));
  }
  return found;
}

describe('integer bounds', () => {
  it('gives every integer a request can carry (path, query, body) a minimum and a maximum', async () => {
    const t = await createTestApp('sqlite');
    try {
      const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<string, Record<string, { parameters?: unknown; requestBody?: unknown }>>;
      }>();
      const unbounded: string[] = [];
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const request = { parameters: operation.parameters, requestBody: operation.requestBody };
          for (const { at, schema } of integerSchemas(request, `${method.toUpperCase()} ${path}`)) {
            if (typeof schema.minimum !== 'number' || typeof schema.maximum !== 'number') unbounded.push(at);
          }
        }
      }
      expect(unbounded).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
