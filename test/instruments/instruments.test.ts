/**
 * Instruments and sessions on both databases: staff register instruments whose data folder lies inside the
 * instrument data root and whose time zone is real; instrument PCs start and end sessions (START and END rows,
 * NexusLIMS's statuses), a retried request logs nothing twice, and sessions list one row each.
 */
import { describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import type { Instrument, Session } from '../../src/modules/instruments/instruments.schema.js';
import type { Page, Problem } from '../support/api-types.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { uniqueName } from '../support/factories.js';
import { useTestApp, type TestUser } from '../support/test-app.js';

describe.each(dialects)('Instruments and sessions on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { staff: 'staff', user: 'user', other: 'user' } });
    const { staff, user, other } = t.users;

    async function call<T>(
      who: TestUser,
      method: InjectOptions['method'],
      url: string,
      payload?: unknown,
      headers: Record<string, string> = {},
    ) {
      const response = await t.app.inject({
        method,
        url,
        headers: { ...who.headers, ...headers },
        ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
      });
      return { status: response.statusCode, body: response.json<T>() };
    }

    const instrumentInput = (overrides: Record<string, unknown> = {}) => {
      const pid = uniqueName('FEI-Titan-TEM-');
      return {
        pid,
        apiUrl: `https://nemo.example.org/api/tools/?id=${pid}`,
        calendarName: 'FEI Titan TEM',
        calendarUrl: 'https://nemo.example.org/calendar/titan',
        location: 'Building 217, room F113',
        schemaName: 'FEI Titan TEM',
        propertyTag: '635816',
        filestorePath: `./Titan/${pid}`,
        harvester: 'api',
        timezone: 'America/New_York',
        ...overrides,
      };
    };

    async function snapshot() {
      const db = t.database.db;
      const count = async (table: 'instruments' | 'session_log' | 'audit_events') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        instruments: await count('instruments'),
        rows: await count('session_log'),
        events: await count('audit_events'),
      };
    }

    it('lets staff register and change an instrument, and everyone read it', async () => {
      const input = instrumentInput();
      const created = await call<Instrument>(staff, 'POST', '/api/instruments', input);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        pid: input.pid,
        timezone: 'America/New_York',
        computerName: null,
      });
      const read = await call<Instrument>(user, 'GET', `/api/instruments/${input.pid}`);
      expect(read.body).toEqual(created.body);
      const changed = await call<Instrument>(staff, 'PATCH', `/api/instruments/${input.pid}`, {
        timezone: 'Europe/Paris',
        location: 'Building 1',
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ timezone: 'Europe/Paris', location: 'Building 1' });
      const row = await t.database.db
        .selectFrom('instruments')
        .selectAll()
        .where('instrument_pid', '=', input.pid)
        .executeTakeFirstOrThrow();
      expect(row.schema_name).toBe('FEI Titan TEM');
      const list = await call<{ items: Instrument[] }>(user, 'GET', '/api/instruments');
      expect(list.body.items.map((instrument) => instrument.pid)).toContain(input.pid);
    });

    it('refuses a data folder outside the root, an unknown time zone, a taken PID or API URL, and non-staff', async () => {
      const taken = instrumentInput();
      expect((await call(staff, 'POST', '/api/instruments', taken)).status).toBe(201);
      const before = await snapshot();
      const cases: Array<[TestUser, Record<string, unknown>, number, string | undefined]> = [
        [staff, instrumentInput({ filestorePath: '../../etc' }), 422, 'filestorePath'],
        [staff, instrumentInput({ filestorePath: '/etc' }), 422, 'filestorePath'],
        [staff, instrumentInput({ timezone: 'Mars/Olympus_Mons' }), 422, 'timezone'],
        [staff, instrumentInput({ harvester: 'sharepoint_calendar' }), 400, undefined],
        [staff, { ...instrumentInput(), pid: taken.pid }, 409, 'pid'],
        [staff, instrumentInput({ apiUrl: taken.apiUrl }), 409, 'apiUrl'],
        [user, instrumentInput(), 403, undefined],
      ];
      for (const [who, body, status, field] of cases) {
        const response = await call<Problem>(who, 'POST', '/api/instruments', body);
        expect(response.status, JSON.stringify(body)).toBe(status);
        if (field !== undefined) expect(response.body.errors?.map((error) => error.field)).toContain(field);
      }
      const patch = await call<Problem>(staff, 'PATCH', `/api/instruments/${taken.pid}`, {
        filestorePath: '../x',
      });
      expect(patch.status).toBe(422);
      expect(await snapshot()).toEqual(before);
    });

    it('logs a session from START to END, TO_BE_BUILT on every row, once per Idempotency-Key', async () => {
      const instrument = instrumentInput();
      await call(staff, 'POST', '/api/instruments', instrument);
      const key = { 'idempotency-key': uniqueName('start-') };
      const started = await call<Session>(user, 'POST', '/api/sessions', { instrument: instrument.pid }, key);
      expect(started.status).toBe(201);
      expect(started.body).toMatchObject({
        instrument: instrument.pid,
        user: user.user.username,
        status: 'WAITING_FOR_END',
        endedAt: null,
      });
      const again = await call<Session>(user, 'POST', '/api/sessions', { instrument: instrument.pid }, key);
      expect(again.body.sessionIdentifier).toBe(started.body.sessionIdentifier);
      const reused = await call<Problem>(user, 'POST', '/api/sessions', { instrument: 'other' }, key);
      expect(reused.status).toBe(422);

      const id = started.body.sessionIdentifier;
      const endKey = { 'idempotency-key': uniqueName('end-') };
      const ended = await call<Session>(user, 'POST', `/api/sessions/${id}/end`, undefined, endKey);
      expect(ended.status).toBe(200);
      expect(ended.body.status).toBe('TO_BE_BUILT');
      expect(ended.body.endedAt).not.toBeNull();
      const retried = await call<Session>(user, 'POST', `/api/sessions/${id}/end`, undefined, endKey);
      expect(retried.status).toBe(200);
      const rows = await t.database.db
        .selectFrom('session_log')
        .selectAll()
        .where('session_identifier', '=', id)
        .orderBy('id_session_log')
        .execute();
      expect(rows.map((row) => [row.event_type, row.record_status])).toEqual([
        ['START', 'TO_BE_BUILT'],
        ['END', 'TO_BE_BUILT'],
      ]);
      expect((await call<Problem>(user, 'POST', `/api/sessions/${id}/end`)).status).toBe(409);

      const mine = await call<Page<Session>>(user, 'GET', `/api/sessions?instrument=${instrument.pid}`);
      expect(mine.body.items.map((session) => session.sessionIdentifier)).toEqual([id]);
      const theirs = await call<Page<Session>>(other, 'GET', `/api/sessions?instrument=${instrument.pid}`);
      expect(theirs.body.items).toEqual([]);
      expect((await call(other, 'GET', `/api/sessions/${id}`)).status).toBe(404);
      const all = await call<Page<Session>>(staff, 'GET', `/api/sessions?status=TO_BE_BUILT&limit=1`);
      expect(all.body.items).toHaveLength(1);
    });

    it('refuses an unknown instrument, an end without a start, a NEMO instrument and a session for someone else', async () => {
      const nemo = instrumentInput({ harvester: 'nemo' });
      await call(staff, 'POST', '/api/instruments', nemo);
      const api = instrumentInput();
      expect((await call(staff, 'POST', '/api/instruments', api)).status).toBe(201);
      const before = await snapshot();
      expect((await call<Problem>(user, 'POST', '/api/sessions', { instrument: 'no-such' })).status).toBe(
        422,
      );
      expect((await call<Problem>(user, 'POST', '/api/sessions/no-such-session/end')).status).toBe(404);
      expect((await call<Problem>(user, 'POST', '/api/sessions', { instrument: nemo.pid })).status).toBe(409);
      const forSomeone = await call<Problem>(user, 'POST', '/api/sessions', {
        instrument: api.pid,
        user: other.user.username,
      });
      expect(forSomeone.status).toBe(403);
      expect(await snapshot()).toEqual(before);
    });
  });
});
