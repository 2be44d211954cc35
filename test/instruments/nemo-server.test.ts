/**
 * The NEMO test server answers as NEMO 8.0 does (shared/notes/nemo-api.md), so that the client's tests mean
 * something: raw HTTP against it for auth, the slash redirect, both answer shapes, filters and their 400s,
 * ordering and the writing of datetimes in the server's zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNemoServer, type NemoTestServer } from '../support/nemo-server.js';

let server: NemoTestServer;

beforeAll(async () => {
  server = await startNemoServer({
    forbidden: ['projects'],
    data: {
      tools: [
        { id: 5, name: 'Titan TEM' },
        { id: 6, name: 'Quanta SEM' },
      ],
      users: [{ id: 2, username: 'ned', first_name: 'Ned', last_name: 'Land' }],
      usageEvents: [
        {
          id: 1,
          start: '2024-03-05T14:05:12.345Z',
          end: '2024-03-05T16:47:00Z',
          user: 2,
          tool: 5,
          run_data: '',
        },
        { id: 2, start: '2024-07-20T14:00:00Z', end: null, user: 2, tool: 6, pre_run_data: '{}' },
        { id: 3, start: '2024-05-01T14:00:00Z', end: '2024-05-01T15:00:00Z', user: 2, tool: 6 },
      ],
      reservations: [
        {
          id: 1,
          start: '2024-03-05T14:00:00Z',
          end: '2024-03-05T17:00:00Z',
          user: 2,
          tool: 5,
          cancelled: true,
        },
        { id: 2, start: '2024-03-06T14:00:00Z', end: '2024-03-06T17:00:00Z', user: 2, tool: 5 },
      ],
    },
  });
});

afterAll(() => server.close());

async function get(path: string, token: string | null = server.token) {
  const response = await fetch(new URL(path, server.address), {
    headers: token === null ? {} : { authorization: `token ${token}` },
    redirect: 'manual',
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? null : (JSON.parse(text) as unknown),
  };
}

const ids = (body: unknown) => (body as { id: number }[]).map((row) => row.id);

describe('the NEMO test server', () => {
  it("answers NEMO's auth refusals, 403 without the view permission, and 301 to the slashed path", async () => {
    expect(await get('tools/', null)).toMatchObject({
      status: 401,
      body: { detail: 'Authentication credentials were not provided.' },
    });
    expect((await get('tools/', null)).headers.get('www-authenticate')).toBe('Token');
    expect(await get('tools/', 'wrong')).toMatchObject({ status: 401, body: { detail: 'Invalid token.' } });
    expect(await get('projects/')).toMatchObject({
      status: 403,
      body: { detail: 'You do not have permission to perform this action.' },
    });
    const redirect = await get('usage_events?id=1');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/api/usage_events/?id=1');
  });

  it("writes rows in NEMO's shapes, datetimes in the server zone with microseconds only when non-zero", async () => {
    const { body } = await get('usage_events/?id__in=1,2');
    expect(body).toMatchObject([
      {
        id: 2,
        start: '2024-07-20T10:00:00-04:00',
        end: null,
        has_ended: 0,
        run_data: null,
        pre_run_data: '{}',
      },
      {
        id: 1,
        start: '2024-03-05T09:05:12.345000-05:00',
        end: '2024-03-05T11:47:00-05:00',
        run_data: '',
        tool: 5,
        operator: 2,
      },
    ]);
  });

  it('orders events newest first and pages only when page_size is given', async () => {
    expect(ids((await get('usage_events/')).body)).toEqual([2, 3, 1]);
    const first = await get('usage_events/?page_size=2&tool_id__in=5,6');
    expect(first.body).toMatchObject({
      count: 3,
      next: `${server.address}usage_events/?page=2&page_size=2&tool_id__in=5%2C6`,
      previous: null,
    });
    expect(ids((first.body as { results: unknown }).results)).toEqual([2, 3]);
    expect(await get('usage_events/?page_size=2&page=3')).toMatchObject({
      status: 404,
      body: { detail: 'Invalid page.' },
    });
  });

  it('filters as django-filter does: empty or unknown filters ignored, the last of a repeated one, NEMO booleans', async () => {
    expect(ids((await get('usage_events/?id__in=')).body)).toHaveLength(3);
    expect(ids((await get('usage_events/?start__date=2024-03-05')).body)).toHaveLength(3);
    expect(ids((await get('usage_events/?tool_id=5&tool_id=6')).body)).toEqual([2, 3]);
    expect(ids((await get('usage_events/?end__gte=2024-04-01T00:00:00Z')).body)).toEqual([3]);
    // Naive filter values are read in the server's zone: 10:00 in New York is 14:00Z.
    expect(ids((await get('usage_events/?start__gte=2024-05-01T10:00:00')).body)).toEqual([2, 3]);
    expect(ids((await get('usage_events/?start__gte=2024-05-01T10:00:01')).body)).toEqual([2]);
    expect(ids((await get('reservations/?cancelled=False')).body)).toEqual([2]);
    expect(ids((await get('reservations/?cancelled=0')).body)).toEqual([2, 1]);
    expect(ids((await get('usage_events/?id=404')).body)).toEqual([]);
  });

  it('answers 400 with field-keyed messages for bad datetimes, numbers and unknown foreign keys', async () => {
    expect(await get('usage_events/?end__gte=yesterday')).toMatchObject({
      status: 400,
      body: { end__gte: ['Enter a valid date/time.'] },
    });
    // A raw "+" decodes to a space, which NEMO refuses.
    expect((await get('usage_events/?end__gte=2024-03-05T09:00:00+01:00')).status).toBe(400);
    expect(await get('usage_events/?id=abc')).toMatchObject({
      status: 400,
      body: { id: ['Enter a number.'] },
    });
    expect(await get('usage_events/?tool_id__in=5,99')).toMatchObject({
      status: 400,
      body: { tool_id__in: ['Select a valid choice. That choice is not one of the available choices.'] },
    });
  });
});
