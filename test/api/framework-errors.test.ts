// Errors that Fastify and Node raise before a route runs are problem documents too (issue 11, finding 13):
// application/problem+json with status, title, detail, code and requestId, and the API's security headers.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProblemSchema } from '../../src/http/common.schema.js';
import type { Problem } from '../support/api-types.js';
import { createTestApp, useTestApp } from '../support/test-app.js';

const validateProblem = new Ajv({ strict: false }).compile(ProblemSchema);

/** Checks a problem document's headers and body; returns its code. */
function expectProblem(
  what: string,
  status: number,
  headers: Record<string, string | string[] | number | undefined>,
  text: string,
): string {
  expect(headers['content-type'], what).toMatch(/^application\/problem\+json/);
  expect(headers['content-security-policy'], what).toBe("default-src 'none'; frame-ancestors 'none'");
  const body = JSON.parse(text) as Problem;
  expect(validateProblem(body), `${what}: ${text}`).toBe(true);
  expect(body.status, what).toBe(status);
  expect(body.requestId, what).toBe(headers['x-request-id']);
  return body.code;
}

/** Sends raw bytes to the server and reads the answer until it closes the connection. */
async function sendRawRequest(
  port: number,
  bytes: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(bytes);
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const text = Buffer.concat(chunks).toString('utf8');
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

describe('framework errors', () => {
  const t = useTestApp('sqlite', { config: { bodyLimitBytes: 1024 }, users: { user: 'user' } });
  const { user } = t.users;
  let port: number;

  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });

  const cases: Array<{ name: string; request: InjectOptions; status: number; code: string }> = [
    {
      name: 'invalid URL encoding',
      request: { method: 'GET', url: '/api/items/%FF%FE' },
      status: 400,
      code: 'bad_url',
    },
    {
      name: 'a path parameter past the router limit',
      request: { method: 'GET', url: `/api/items/${'x'.repeat(150)}` },
      status: 414,
      code: 'uri_too_long',
    },
    {
      name: 'no route',
      request: { method: 'GET', url: '/api/nothing-here' },
      status: 404,
      code: 'route_not_found',
    },
    {
      name: 'a method the route does not have',
      request: { method: 'PUT', url: '/api/projects' },
      status: 404,
      code: 'route_not_found',
    },
    {
      name: 'malformed JSON',
      request: {
        method: 'POST',
        url: '/api/projects',
        payload: '{"name":',
        headers: { 'content-type': 'application/json' },
      },
      status: 400,
      code: 'malformed_json',
    },
    {
      name: 'an empty JSON body',
      request: {
        method: 'POST',
        url: '/api/projects',
        payload: '',
        headers: { 'content-type': 'application/json' },
      },
      status: 400,
      code: 'empty_body',
    },
    {
      name: 'an unsupported media type',
      request: {
        method: 'POST',
        url: '/api/projects',
        payload: '<x/>',
        headers: { 'content-type': 'application/xml' },
      },
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'a body past the limit',
      request: { method: 'POST', url: '/api/projects', payload: { name: 'x'.repeat(2000) } },
      status: 413,
      code: 'body_too_large',
    },
  ];

  for (const { name, request, status, code } of cases) {
    it(`answers ${name} with a ${status} problem document`, async () => {
      const response = await t.app.inject({
        ...request,
        headers: { ...user.headers, ...(request.headers as Record<string, string> | undefined) },
      });
      expect(response.statusCode, response.body).toBe(status);
      expect(expectProblem(name, status, response.headers, response.body)).toBe(code);
    });
  }

  it('answers requests that are not HTTP with a 400 problem document', async () => {
    const response = await sendRawRequest(port, 'GET /api/health HTTP/1.1\r\nBad Header\r\n\r\n');
    expect(response.status).toBe(400);
    expect(expectProblem('malformed request', 400, response.headers, response.body)).toBe('bad_request');
  });

  it('answers an oversized header with a 431 problem document', async () => {
    const response = await sendRawRequest(
      port,
      `GET /api/health HTTP/1.1\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`,
    );
    expect(response.status).toBe(431);
    expect(expectProblem('oversized header', 431, response.headers, response.body)).toBe('headers_too_large');
  });
});

describe('requests that arrive while the server closes', () => {
  it('are answered, not refused with a bare 503, and the connection then closes', async () => {
    const t = await createTestApp('sqlite');
    try {
      const user = await t.userWithToken();
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as AddressInfo).port;
      const socket = net.connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      // A request in progress keeps the connection open while the server starts closing…
      const body = JSON.stringify({ name: 'Closing time' });
      const inProgress = new Promise<void>((resolve) => t.app.server.once('request', () => resolve()));
      socket.write(
        `POST /api/projects HTTP/1.1\r\nHost: x\r\nAuthorization: ${user.headers.authorization}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      );
      await inProgress;
      const closing = t.app.close();
      // …and a second one arrives behind it on the same connection.
      socket.write(`${body.slice(5)}GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n`);
      await closed;
      await closing;
      const answers = Buffer.concat(chunks)
        .toString('utf8')
        .split(/(?=HTTP\/1\.1 )/);
      expect(answers).toHaveLength(2);
      expect(answers[0]).toMatch(/^HTTP\/1\.1 201 /);
      expect(answers[1]).toMatch(/^HTTP\/1\.1 200 /);
      expect(answers[1]).toMatch(/\r\nconnection: close\r\n/i);
    } finally {
      await t.database.destroy();
    }
  });
});
