/**
 * Past sessions (`logPastSession`, the demo's and imports' way of logging a session that has already happened)
 * on both databases: staff log a START and an END at the times given, both TO_BE_BUILT and audited, and the
 * session reads back through the API; a user, an unknown instrument, an end before the start or in the future
 * are refused and log nothing.
 */
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { Forbidden, Invalid } from '../../src/errors/catalogue.js';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';
import type { Session } from '../../src/modules/instruments/instruments.schema.js';
import { logPastSession, type PastSession } from '../../src/modules/instruments/sessions.service.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { uniqueName } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

describe.each(dialects)('Past sessions on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { staff: 'staff', user: 'user' } });
    const { staff, user } = t.users;

    async function registerInstrument(): Promise<string> {
      const pid = uniqueName('Quanta-');
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/instruments',
        headers: staff.headers,
        payload: {
          pid,
          apiUrl: `https://facility.example.org/instruments/${pid}`,
          calendarName: 'Quanta',
          calendarUrl: 'https://facility.example.org/calendar',
          location: 'Bldg 223',
          schemaName: 'FEI Quanta200 ESEM',
          propertyTag: '633137',
          filestorePath: `Quanta/${pid}`,
          harvester: 'api',
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      return pid;
    }

    async function log(username: string, input: PastSession): Promise<Session> {
      return inTransaction(t.database.db, async (trx) =>
        logPastSession(trx, await actorFor(trx, username), input),
      );
    }

    async function rowsOf(instrument: string) {
      return t.database.db
        .selectFrom('session_log')
        .select(['event_type', 'record_status', 'timestamp', 'user'])
        .where('instrument', '=', instrument)
        .orderBy('id_session_log')
        .execute();
    }

    it('logs a START and an END at the times given, TO_BE_BUILT and audited', async () => {
      const instrument = await registerInstrument();
      const startedAt = new Date('2026-03-02T09:00:00.000Z');
      const endedAt = new Date('2026-03-02T11:30:00.000Z');
      const session = await log(staff.user.username, { instrument, user: 'jdoe', startedAt, endedAt });
      expect(session).toMatchObject({
        instrument,
        user: 'jdoe',
        startedAt: startedAt.toISOString(),
        endedAt: endedAt.toISOString(),
        status: 'TO_BE_BUILT',
      });
      expect(await rowsOf(instrument)).toEqual([
        {
          event_type: 'START',
          record_status: 'TO_BE_BUILT',
          timestamp: startedAt.toISOString(),
          user: 'jdoe',
        },
        { event_type: 'END', record_status: 'TO_BE_BUILT', timestamp: endedAt.toISOString(), user: 'jdoe' },
      ]);
      const read = await t.app.inject({
        method: 'GET',
        url: `/api/sessions/${session.sessionIdentifier}`,
        headers: staff.headers,
      });
      expect(read.statusCode, read.body).toBe(200);
      expect(read.json<Session>().status).toBe('TO_BE_BUILT');
      const audit = await t.database.db
        .selectFrom('audit_events')
        .select(['action', 'entity_type'])
        .where('entity_id', '=', session.sessionIdentifier)
        .execute();
      expect(audit).toEqual([{ action: 'create', entity_type: 'session' }]);
    });

    it('refuses a user, an unknown instrument, an end before the start or in the future', async () => {
      const instrument = await registerInstrument();
      const hourAgo = new Date(Date.now() - 3_600_000);
      const twoHoursAgo = new Date(Date.now() - 7_200_000);
      await expect(
        log(user.user.username, { instrument, user: 'jdoe', startedAt: twoHoursAgo, endedAt: hourAgo }),
      ).rejects.toBeInstanceOf(Forbidden);
      await expect(
        log(staff.user.username, {
          instrument: 'No-Such-Instrument',
          user: 'jdoe',
          startedAt: twoHoursAgo,
          endedAt: hourAgo,
        }),
      ).rejects.toBeInstanceOf(Invalid);
      await expect(
        log(staff.user.username, { instrument, user: 'jdoe', startedAt: hourAgo, endedAt: twoHoursAgo }),
      ).rejects.toBeInstanceOf(Invalid);
      await expect(
        log(staff.user.username, {
          instrument,
          user: 'jdoe',
          startedAt: hourAgo,
          endedAt: new Date(Date.now() + 3_600_000),
        }),
      ).rejects.toBeInstanceOf(Invalid);
      expect(await rowsOf(instrument)).toEqual([]);
    });
  });
});
