/**
 * The NEMO client against a NEMO-compatible HTTP server (test/support/nemo-server.ts): filters and the token
 * it sends, both answer shapes and pagination, datetimes across a daylight-saving change (offsets and a
 * site's naive format), retries of 5xx and timeouts and giving up after the bound, refusals that are not
 * retried, malformed answers, lookups by id, and the listing throughput of 10,000 usage events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NemoClient, type NemoClientOptions } from '../../src/modules/instruments/nemo/nemo-client.js';
import { NemoAnswerMalformed, NemoRequestFailed } from '../../src/modules/instruments/nemo/nemo-errors.js';
import {
  startNemoServer,
  type FakeUsageEvent,
  type NemoServerOptions,
  type NemoTestServer,
} from '../support/nemo-server.js';

const servers: NemoTestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: NemoServerOptions = {}): Promise<NemoTestServer> {
  const server = await startNemoServer({
    ...options,
    data: {
      tools: [
        { id: 5, name: 'Titan TEM' },
        { id: 6, name: 'Quanta SEM' },
        { id: 7, name: 'Helios FIB' },
      ],
      users: [
        { id: 2, username: 'ned', first_name: 'Ned', last_name: 'Land' },
        { id: 3, username: 'aronnax', first_name: 'Pierre', last_name: 'Aronnax' },
        { id: 4, username: 'conseil', first_name: 'Conseil', last_name: 'Servant' },
      ],
      projects: [{ id: 1, name: 'Deep Sea Imaging', application_identifier: 'DSI-001' }],
      ...options.data,
    },
  });
  servers.push(server);
  return server;
}

function clientOf(server: NemoTestServer, options: Partial<NemoClientOptions> = {}): NemoClient {
  return new NemoClient({
    address: server.address,
    token: server.token,
    timezone: 'America/New_York',
    timeoutMs: 10_000,
    retries: 3,
    backoffMs: 1,
    ...options,
  });
}

/** Hour-long events on tool 5, one a day from 2024-03-01, ending at 10:00 New York time. */
function dailyEvents(count: number, firstId = 1): FakeUsageEvent[] {
  return Array.from({ length: count }, (_, index) => {
    const day = Date.UTC(2024, 2, 1) + index * 86_400_000;
    return {
      id: firstId + index,
      start: new Date(day + 14 * 3_600_000).toISOString(),
      end: new Date(day + 15 * 3_600_000).toISOString(),
      user: 2,
      project: 1,
      tool: 5,
    };
  });
}

describe('listing usage events', () => {
  it('asks with the token and the tool filter, and keeps only ended events of those tools in the window', async () => {
    const server = await serve();
    server.data.usageEvents.push(
      { id: 1, start: '2024-03-05T09:05:12.345-05:00', end: '2024-03-05T11:47:00-05:00', user: 2, tool: 5 },
      { id: 2, start: '2024-03-06T09:00:00-05:00', end: '2024-03-06T10:00:00-05:00', user: 2, tool: 6 },
      { id: 3, start: '2024-03-07T09:00:00-05:00', end: null, user: 3, tool: 5 },
      { id: 4, start: '2024-03-09T09:00:00-05:00', end: '2024-03-09T10:00:00-05:00', user: 3, tool: 7 },
      { id: 5, start: '2024-02-01T09:00:00-05:00', end: '2024-02-01T10:00:00-05:00', user: 3, tool: 5 },
    );
    const client = clientOf(server);

    const events = await client.listEndedUsageEvents([5, 6], new Date('2024-03-01T00:00:00Z'));

    expect(events.map((event) => event.id)).toEqual([1, 2]);
    expect(events[0]).toEqual({
      id: 1,
      start: '2024-03-05T14:05:12.345Z',
      end: '2024-03-05T16:47:00.000Z',
      user: 2,
      operator: 2,
      project: null,
      tool: 5,
      preRunData: null,
      runData: null,
    });
    const [request] = server.requests;
    expect(request?.path).toBe('/api/usage_events/');
    expect(request?.authorization).toBe(`Token ${server.token}`);
    expect(request?.query.get('tool_id__in')).toBe('5,6');
    expect(request?.query.get('end__gte')).toBe('2024-03-01T00:00:00.000Z');
  });

  it('asks nothing for no tools, since NEMO reads an empty tool_id__in as every tool', async () => {
    const server = await serve({ data: { usageEvents: dailyEvents(3) } });
    expect(await clientOf(server).listEndedUsageEvents([], '2024-01-01T00:00:00Z')).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('follows page_size pages to the end, each event once, oldest end first', async () => {
    const server = await serve({ data: { usageEvents: dailyEvents(25) } });
    const events = await clientOf(server, { pageSize: 10 }).listEndedUsageEvents([5], '2024-01-01T00:00:00Z');

    expect(events.map((event) => event.id)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect(server.requests.map((request) => request.query.get('page'))).toEqual([null, '2', '3']);
    expect(server.requests.every((request) => request.authorization === `Token ${server.token}`)).toBe(true);
  });

  it('follows the envelope of a site that always paginates, and reads the bare array of NEMO ≥ 4.7', async () => {
    const paginated = await serve({ alwaysPaginate: true, data: { usageEvents: dailyEvents(2500) } });
    const fromPages = await clientOf(paginated, { pageSize: null }).listEndedUsageEvents(
      [5],
      '2020-01-01T00:00:00Z',
    );
    expect(fromPages).toHaveLength(2500);
    expect(paginated.requests).toHaveLength(3);

    const bare = await serve({ data: { usageEvents: dailyEvents(30) } });
    const fromArray = await clientOf(bare, { pageSize: null }).listEndedUsageEvents(
      [5],
      '2020-01-01T00:00:00Z',
    );
    expect(fromArray).toHaveLength(30);
    expect(bare.requests).toHaveLength(1);
  });

  it('returns every event that existed when listing began exactly once, though a new one shifts the pages', async () => {
    const server = await serve({ data: { usageEvents: dailyEvents(20) } });
    // A newer event arrives before the second page is read: newest first, it pushes the first page's last
    // row onto the second page.
    server.injectFault(2, {
      kind: 'change',
      apply: (data) =>
        data.usageEvents.push({
          id: 100,
          start: '2024-06-01T14:00:00Z',
          end: '2024-06-01T15:00:00Z',
          user: 2,
          tool: 5,
        }),
    });
    const events = await clientOf(server, { pageSize: 10 }).listEndedUsageEvents([5], '2020-01-01T00:00:00Z');
    // Event 100 landed on the page already read; the next harvest, starting where this one began, finds it.
    expect(events.map((event) => event.id)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(server.requests.map((request) => request.query.get('page'))).toEqual([null, '2', '3']);
  });
});

describe('datetimes across daylight saving', () => {
  // 2024-11-03: New York falls back from 02:00 EDT (-04:00) to 01:00 EST (-05:00).
  const acrossAutumn: FakeUsageEvent = {
    id: 9,
    start: '2024-11-03T00:30:00-04:00',
    end: '2024-11-03T03:30:00-05:00',
    user: 2,
    tool: 5,
  };
  // 2024-03-10: spring forward from 02:00 EST to 03:00 EDT.
  const acrossSpring: FakeUsageEvent = {
    id: 10,
    start: '2024-03-10T01:30:00-05:00',
    end: '2024-03-10T03:30:00-04:00',
    user: 2,
    tool: 5,
  };
  const hours = (event: { start: string; end: string | null }) =>
    (Date.parse(event.end ?? '') - Date.parse(event.start)) / 3_600_000;

  it('reads offsets as written: an event across the autumn change lasts its true four hours', async () => {
    const server = await serve({ data: { usageEvents: [acrossAutumn, acrossSpring] } });
    const events = await clientOf(server).listEndedUsageEvents([5], '2024-01-01T00:00:00Z');
    const autumn = events.find((event) => event.id === 9);
    expect(autumn).toMatchObject({ start: '2024-11-03T04:30:00.000Z', end: '2024-11-03T08:30:00.000Z' });
    expect(autumn && hours(autumn)).toBe(4);
    expect(hours(events.find((event) => event.id === 10) ?? acrossSpring)).toBe(1);
  });

  it('reads a site format of naive local times in the configured zone, with the same true lengths', async () => {
    const server = await serve({
      datetimeFormat: '%m-%d-%Y %H:%M:%S',
      data: { usageEvents: [acrossAutumn, acrossSpring] },
    });
    const client = clientOf(server, { dateFormat: '%m-%d-%Y %H:%M:%S' });
    const events = await client.listEndedUsageEvents([5], '2024-01-01T00:00:00Z');
    const autumn = events.find((event) => event.id === 9);
    expect(autumn).toMatchObject({ start: '2024-11-03T04:30:00.000Z', end: '2024-11-03T08:30:00.000Z' });
    expect(autumn && hours(autumn)).toBe(4);
    const spring = events.find((event) => event.id === 10);
    expect(spring).toMatchObject({ start: '2024-03-10T06:30:00.000Z', end: '2024-03-10T07:30:00.000Z' });
  });

  it('reads a server in UTC (suffix Z) and a server in another zone alike', async () => {
    for (const timeZone of ['UTC', 'Europe/Berlin']) {
      const server = await serve({ timeZone, data: { usageEvents: [acrossAutumn] } });
      const [event] = await clientOf(server).listEndedUsageEvents([5], '2024-01-01T00:00:00Z');
      expect(event).toMatchObject({ start: '2024-11-03T04:30:00.000Z', end: '2024-11-03T08:30:00.000Z' });
    }
  });
});

describe('retries', () => {
  it('retries 502, 503 and a hung request, then succeeds', async () => {
    const server = await serve({ data: { usageEvents: dailyEvents(3) } });
    server.injectFault(1, { kind: 'status', status: 502 });
    server.injectFault(2, { kind: 'status', status: 503 });
    server.injectFault(3, { kind: 'hang' });
    const events = await clientOf(server, { timeoutMs: 2000, retries: 3 }).listEndedUsageEvents(
      [5],
      '2020-01-01T00:00:00Z',
    );
    expect(events).toHaveLength(3);
    expect(server.requests).toHaveLength(4);
  });

  it('gives up after the bound with the last status, asking no more', async () => {
    const server = await serve({ data: { usageEvents: dailyEvents(3) } });
    for (let n = 1; n <= 5; n += 1) server.injectFault(n, { kind: 'status', status: 503 });
    const failure = await clientOf(server, { retries: 2 })
      .listEndedUsageEvents([5], '2020-01-01T00:00:00Z')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NemoRequestFailed);
    expect(failure).toMatchObject({ status: 503, attempts: 3 });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up on a server that never answers, and on one that is gone', async () => {
    const server = await serve();
    server.injectFault(1, { kind: 'hang' });
    server.injectFault(2, { kind: 'hang' });
    const hung = await clientOf(server, { timeoutMs: 300, retries: 1 })
      .getUsers([2])
      .catch((error: unknown) => error);
    expect(hung).toBeInstanceOf(NemoRequestFailed);
    expect(hung).toMatchObject({ status: null, attempts: 2 });
    expect((hung as Error).message).toContain('no answer within 300 ms');

    const address = server.address;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const gone = await new NemoClient({
      address,
      token: 't',
      timezone: 'UTC',
      timeoutMs: 5000,
      retries: 1,
      backoffMs: 1,
    })
      .getUsers([2])
      .catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(NemoRequestFailed);
    expect((gone as Error).message).toContain('connection failed');
  });

  it('does not retry refusals: a wrong token, an unknown tool, a missing permission', async () => {
    const server = await serve();
    const wrongToken = await clientOf(server, { token: 'nope' })
      .getTools([5])
      .catch((error: unknown) => error);
    expect(wrongToken).toBeInstanceOf(NemoRequestFailed);
    expect(wrongToken).toMatchObject({ status: 401, attempts: 1 });
    expect((wrongToken as Error).message).toContain('Invalid token.');
    expect((wrongToken as Error).message).not.toContain('nope');

    const unknownTool = await clientOf(server)
      .listEndedUsageEvents([5, 99], '2020-01-01T00:00:00Z')
      .catch((error: unknown) => error);
    expect(unknownTool).toMatchObject({ status: 400, attempts: 1 });
    expect((unknownTool as Error).message).toContain('Select a valid choice');
    expect(server.requests).toHaveLength(2);

    const withoutPermission = await serve({ forbidden: ['users'] });
    const forbidden = await clientOf(withoutPermission)
      .getUsers([2])
      .catch((error: unknown) => error);
    expect(forbidden).toMatchObject({ status: 403, attempts: 1 });
    expect((forbidden as Error).message).toContain('You do not have permission');
  });
});

describe('malformed answers', () => {
  async function refusal(fault: string, contentType?: string): Promise<unknown> {
    const server = await serve({ data: { usageEvents: dailyEvents(2) } });
    server.injectFault(1, { kind: 'body', body: fault, contentType });
    return clientOf(server)
      .listEndedUsageEvents([5], '2020-01-01T00:00:00Z')
      .catch((error: unknown) => error);
  }

  it('refuses a body that is not JSON, naming what it started with', async () => {
    const error = await refusal('<html><body>Maintenance</body></html>', 'text/html');
    expect(error).toBeInstanceOf(NemoAnswerMalformed);
    expect((error as Error).message).toContain('not JSON');
    expect((error as Error).message).toContain('Maintenance');
  });

  it('refuses JSON that is neither a list nor a page', async () => {
    const error = await refusal('{"detail": "ok"}');
    expect(error).toBeInstanceOf(NemoAnswerMalformed);
    expect((error as Error).message).toContain('expected a JSON array');
  });

  it('refuses a row without a start, with a bad date, or with a text id, naming row and field', async () => {
    const noStart = await refusal('[{"id": 4, "end": "2024-03-05T11:47:00-05:00", "user": 2, "tool": 5}]');
    expect(noStart).toBeInstanceOf(NemoAnswerMalformed);
    expect((noStart as Error).message).toContain('row 0 (id 4): "start" should be a datetime');

    const badDate = await refusal('[{"id": 4, "start": "yesterday", "end": null, "user": 2, "tool": 5}]');
    expect((badDate as Error).message).toContain('"start" should be a datetime, got "yesterday"');

    const textId = await refusal(
      '[{"id": "4", "start": "2024-03-05T09:00:00-05:00", "end": null, "user": 2, "tool": 5}]',
    );
    expect((textId as Error).message).toContain('"id" should be an integer id');

    const impossible = await refusal(
      '[{"id": 4, "start": "2024-02-30T09:00:00-05:00", "end": null, "user": 2, "tool": 5}]',
    );
    expect(impossible).toBeInstanceOf(NemoAnswerMalformed);
  });

  it('refuses pages whose next link points back to a page already read', async () => {
    const server = await serve({ data: { usageEvents: dailyEvents(2) } });
    const page =
      '{"count": 9, "next": "http://elsewhere/api/usage_events/?page=2&page_size=1000", "previous": null, "results": []}';
    server.injectFault(1, { kind: 'body', body: page });
    server.injectFault(2, { kind: 'body', body: page });
    const looping = await clientOf(server)
      .listEndedUsageEvents([5], '2020-01-01T00:00:00Z')
      .catch((error: unknown) => error);
    expect(looping).toBeInstanceOf(NemoAnswerMalformed);
    expect((looping as Error).message).toContain('already read');
    // The next page was asked of the configured server, whatever host the link named.
    expect(server.requests.map((request) => request.query.get('page'))).toEqual([null, '2']);
  });
});

describe('reservations and lookups', () => {
  it("lists the tool's reservations overlapping a window, not cancelled ones", async () => {
    const server = await serve({
      data: {
        reservations: [
          { id: 1, start: '2024-03-05T09:00:00-05:00', end: '2024-03-05T12:00:00-05:00', user: 2, tool: 5 },
          {
            id: 2,
            start: '2024-03-05T09:00:00-05:00',
            end: '2024-03-05T12:00:00-05:00',
            user: 2,
            tool: 5,
            cancelled: true,
          },
          { id: 3, start: '2024-03-05T09:00:00-05:00', end: '2024-03-05T12:00:00-05:00', user: 2, tool: 6 },
          // A week-long block booking reaches past both ends of the window and still counts.
          { id: 4, start: '2024-03-01T08:00:00-05:00', end: '2024-03-12T17:00:00-04:00', user: 3, tool: 5 },
          { id: 5, start: '2024-04-05T09:00:00-04:00', end: '2024-04-05T12:00:00-04:00', user: 2, tool: 5 },
        ],
      },
    });
    const reservations = await clientOf(server).listReservations(
      5,
      '2024-03-03T00:00:00Z',
      '2024-03-08T00:00:00Z',
    );
    expect(reservations.map((reservation) => reservation.id).sort()).toEqual([1, 4]);
    expect(reservations.find((reservation) => reservation.id === 1)).toMatchObject({
      start: '2024-03-05T14:00:00.000Z',
      end: '2024-03-05T17:00:00.000Z',
      cancelled: false,
      questionData: null,
    });
    expect(server.requests[0]?.query.get('cancelled')).toBe('False');
  });

  it('looks users, projects and tools up by id in batches, leaving unknown ids out', async () => {
    const server = await serve();
    const client = clientOf(server, { idsPerRequest: 2 });
    const users = await client.getUsers([2, 3, 4, 3, 404]);
    expect([...users.keys()].sort()).toEqual([2, 3, 4]);
    expect(users.get(3)).toEqual({
      id: 3,
      username: 'aronnax',
      firstName: 'Pierre',
      lastName: 'Aronnax',
      email: 'aronnax@example.org',
    });
    expect(server.requests.map((request) => request.query.get('id__in'))).toEqual(['2,3', '4,404']);
    expect((await client.getProjects([1])).get(1)).toEqual({
      id: 1,
      name: 'Deep Sea Imaging',
      applicationIdentifier: 'DSI-001',
    });
    expect((await client.getTools([7])).get(7)).toEqual({ id: 7, name: 'Helios FIB' });
    expect(await client.getUsers([])).toEqual(new Map());
  });
});

describe('configuration', () => {
  it('refuses an unknown time zone, a bad address and an unsupported format', () => {
    const base = {
      address: 'https://nemo.example.org/api/',
      token: 't',
      timezone: 'UTC',
      timeoutMs: 1000,
      retries: 0,
    };
    expect(() => new NemoClient({ ...base, timezone: 'Mars/Olympus' })).toThrow(
      '"Mars/Olympus" is not an IANA time zone',
    );
    expect(() => new NemoClient({ ...base, address: 'nemo.example.org' })).toThrow('not a NEMO API address');
    expect(() => new NemoClient({ ...base, dateFormat: '%Y %j' })).toThrow('%j is not supported');
    expect(new NemoClient({ ...base, address: 'HTTPS://Nemo.Example.org:443/api' }).address).toBe(
      'https://nemo.example.org/api/',
    );
  });
});

describe('throughput', () => {
  it('lists 10,000 usage events', async () => {
    const events: FakeUsageEvent[] = Array.from({ length: 10_000 }, (_, index) => {
      const start = Date.UTC(2024, 0, 1) + index * 3_600_000;
      return {
        id: index + 1,
        start: new Date(start).toISOString(),
        end: new Date(start + 1_800_000).toISOString(),
        user: 2,
        project: 1,
        tool: 5 + (index % 3),
        run_data:
          index % 2 === 0 ? '{\n\t"experiment_title": {"type": "textbox", "user_input": "run"}\n}' : '',
      };
    });
    const server = await serve({ data: { usageEvents: events } });
    const client = clientOf(server);
    const started = performance.now();
    const listed = await client.listEndedUsageEvents([5, 6, 7], '2023-12-31T00:00:00Z');
    const seconds = (performance.now() - started) / 1000;
    expect(listed).toHaveLength(10_000);
    expect(new Set(listed.map((event) => event.id)).size).toBe(10_000);
    console.log(
      `NEMO client: listed 10,000 usage events in ${seconds.toFixed(2)} s (${Math.round(10_000 / seconds)} events/s, 1,000 per page)`,
    );
  });
});
