import { describe, expect, it } from 'vitest';
import type { Problem } from '../support/api-types.js';
import { useTestApp } from '../support/test-app.js';

describe('HTTP conventions', () => {
  const t = useTestApp('sqlite', { config: { bodyLimitBytes: 2048 } });

  it('checks the database in /api/health without authentication', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
  });

  it('puts a request id on every response, keeping a sane one from the caller', async () => {
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(mine.headers['x-request-id']).toBe('trace-123');
    const hostile = await t.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { 'x-request-id': 'bad id\n<script>' },
    });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers: the API set on API responses, all of them on pages', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    // Headers that act only on HTML documents or retired browsers stay off API responses…
    expect(response.headers['x-download-options']).toBeUndefined();
    expect(response.headers['cross-origin-opener-policy']).toBeUndefined();
    // …and are on pages, such as the API explorer.
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['x-download-options']).toBe('noopen');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers unknown routes and missing credentials with problem documents', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.json()).toMatchObject({ status: 404, code: 'route_not_found', title: 'Not found' });
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/projects' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({
      code: 'unauthorized',
      requestId: anonymous.headers['x-request-id'],
    });
    const badHeader = await t.app.inject({
      method: 'GET',
      url: '/api/projects',
      headers: { authorization: 'Basic abc' },
    });
    expect(badHeader.statusCode).toBe(401);
  });

  it('limits body size (413) and names invalid fields (400)', async () => {
    const { headers } = await t.userWithToken();
    const large = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers,
      payload: { name: 'x', description: 'y'.repeat(4096) },
    });
    expect(large.statusCode).toBe(413);
    expect(large.json<Problem>().code).toBe('body_too_large');
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      headers,
      payload: { name: 'x', status: 'nope' },
    });
    expect(invalid.statusCode).toBe(400);
    const problem = invalid.json<Problem>();
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors?.[0]?.field).toContain('status');
  });

  it('describes every API route in the OpenAPI document and serves the explorer', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{
      openapi: string;
      paths: Record<string, Record<string, { responses?: object }>>;
    }>();
    expect(document.openapi).toMatch(/^3\./);
    const routes = t.app.printRoutes({ commonPrefix: false });
    for (const path of [
      '/api/projects',
      '/api/projects/{id}',
      '/api/projects/{id}/members',
      '/api/tokens',
      '/api/users',
      '/api/audit',
      '/api/auth/login',
    ]) {
      expect(document.paths[path], path).toBeDefined();
    }
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.responses, `${method} ${path} has responses`).toBeDefined();
      }
    }
    expect(routes).toContain('api/');
    const explorer = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(explorer.statusCode).toBe(200);
    expect(explorer.headers['content-type']).toMatch(/text\/html/);
  });
});
