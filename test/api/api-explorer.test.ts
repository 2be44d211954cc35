/**
 * The API explorer's document and headers: swagger-ui gets a 3.0 rendering of the OpenAPI document (every
 * operation, no 3.1-only schema keyword) while /api/openapi.json stays 3.1, and its pages keep Cairn's page
 * headers with a style-src that allows no inline style but its logo's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toOpenApi30, withExplorerStyles } from '../../src/http/api-explorer.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Document {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

/** Every schema keyword or type value in the document that OpenAPI 3.0 does not have. */
function openApi31Leftovers(value: unknown, at = '#'): string[] {
  if (Array.isArray(value))
    return value.flatMap((child, index) => openApi31Leftovers(child, `${at}/${index}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = `${at}/${key}`;
    const found: string[] = [];
    if (key === 'type' && (child === 'null' || Array.isArray(child))) found.push(here);
    if (key === 'const' || key === '$schema' || (typeof child === 'number' && key.startsWith('exclusiveM')))
      found.push(here);
    return [...found, ...openApi31Leftovers(child, here)];
  });
}

describe('API explorer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('gives swagger-ui a 3.0 rendering of every operation and keeps /api/openapi.json at 3.1', async () => {
    const served = (await t.app.inject({ url: '/api/openapi.json' })).json<Document>();
    const explorer = (await t.app.inject({ url: '/api/docs/json' })).json<Document>();
    expect(served.openapi).toBe('3.1.0');
    expect(JSON.stringify(served)).toContain('"type":"null"');
    expect(explorer.openapi).toBe('3.0.3');
    expect(openApi31Leftovers(explorer)).toEqual([]);
    const operations = (document: Document) =>
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method} ${path}`),
      );
    expect(operations(explorer)).toEqual(operations(served));
    expect(operations(explorer).length).toBeGreaterThan(40);
  });

  it('gives the problem document schema once and refers to it from every error response', async () => {
    const served = (await t.app.inject({ url: '/api/openapi.json' })).json<Document>();
    const explorer = (await t.app.inject({ url: '/api/docs/json' })).json<
      Document & { components: { schemas: Record<string, { description?: string }> } }
    >();
    const problemRefs = JSON.stringify(explorer.paths).split('"#/components/schemas/Problem"').length - 1;
    const problemSchemas = (value: unknown): number => {
      if (typeof value !== 'object' || value === null) return 0;
      return Object.entries(value).reduce((count: number, [key, child]: [string, unknown]) => {
        const isProblem =
          key === 'schema' &&
          String((child as { description?: unknown }).description).startsWith('RFC 9457 problem document');
        return count + (isProblem ? 1 : problemSchemas(child));
      }, 0);
    };
    const servedProblems = problemSchemas(served.paths);
    expect(explorer.components.schemas.Problem?.description).toMatch(/^RFC 9457 problem document/);
    // The imports' 422 is a variant (problems listed by row) and stays inline.
    expect(problemSchemas(explorer.paths)).toBeLessThan(5);
    expect(problemRefs + problemSchemas(explorer.paths)).toBe(servedProblems);
    expect(servedProblems).toBeGreaterThan(100);
  });

  it('keeps the page headers on the explorer, with no inline style allowed but its logo', async () => {
    const page = await t.app.inject({ url: '/api/docs/' });
    const policy = page.headers['content-security-policy'] as string;
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/]+=';/);
    expect(policy).not.toContain('unsafe-inline');
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    const script = await t.app.inject({ url: '/api/docs/static/swagger-initializer.js' });
    expect(script.headers['content-security-policy']).toBe(policy);
  });

  it('narrows only the style-src directive of a policy', () => {
    expect(withExplorerStyles("default-src 'self';style-src 'self' 'unsafe-inline';img-src 'self'")).toMatch(
      /^default-src 'self';style-src 'self' 'sha256-[^']+';img-src 'self'$/,
    );
  });

  it('renders 3.1 schema forms as their 3.0 equivalents', () => {
    const schema = {
      type: 'object',
      properties: {
        type: { type: ['string', 'null'], examples: ['a', 'b'] },
        parent: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }], description: 'the container' },
        role: { anyOf: [{ const: 'admin' }, { const: 'user' }, { type: 'null' }] },
        count: { type: 'integer', exclusiveMinimum: 0 },
        anything: true,
        either: { type: ['string', 'number'] },
      },
      additionalProperties: false,
    };
    const document = {
      openapi: '3.1.0',
      jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
      webhooks: {},
      paths: {
        '/x': {
          get: {
            responses: {
              200: {
                description: 'ok',
                content: { 'application/json': { schema, examples: { one: { value: { type: null } } } } },
              },
            },
          },
        },
      },
    };
    expect(toOpenApi30(document)).toEqual({
      openapi: '3.0.3',
      paths: {
        '/x': {
          get: {
            responses: {
              200: {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      properties: {
                        type: { type: 'string', nullable: true, example: 'a' },
                        parent: {
                          type: 'string',
                          minLength: 1,
                          description: 'the container',
                          nullable: true,
                        },
                        role: { anyOf: [{ enum: ['admin'] }, { enum: ['user'] }], nullable: true },
                        count: { type: 'integer', minimum: 0, exclusiveMinimum: true },
                        anything: {},
                        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
                      },
                      additionalProperties: false,
                    },
                    examples: { one: { value: { type: null } } },
                  },
                },
              },
            },
          },
        },
      },
    });
  });
});
