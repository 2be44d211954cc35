/**
 * The NEMO harvester on both databases against a NEMO-compatible test server: ended usage events of the
 * instruments' tools become sessions (START and END) with their reservation's answers, TO_BE_BUILT or
 * NO_RESERVATION / NO_CONSENT; a harvest run twice, or two at once, writes each session once; a server error
 * part-way loses nothing, and the next run finds what the failed one missed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { createInstrument } from '../../src/modules/instruments/instruments.service.js';
import { harvestOptionsFrom } from '../../src/modules/instruments/instruments.tasks.js';
import { harvestNemo, type NemoServer } from '../../src/modules/instruments/nemo-harvest.service.js';
import { nemoToolUrl } from '../../src/modules/instruments/nemo/tool-ids.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { actorOfUser, uniqueName } from '../support/factories.js';
import { startNemoServer, type NemoTestServer } from '../support/nemo-server.js';
import { useTestApp } from '../support/test-app.js';

const consent = (answer: string) => ({
  data_consent: {
    type: 'radio',
    name: 'data_consent',
    title: 'Agree to have your data harvested?',
    choices: ['Agree', 'Disagree'],
    user_input: answer,
  },
  experiment_title: {
    type: 'textbox',
    name: 'experiment_title',
    title: 'Title',
    user_input: 'Grain boundaries in Cu',
  },
});

describe.each(dialects)('NEMO harvest on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { staff: 'staff' } });
    let nemo: NemoTestServer;
    let servers: NemoServer[];
    let pid: string;
    const options = {
      ...harvestOptionsFrom({ nemoWithoutReservation: 'NO_RESERVATION', nemoConsent: 'opt-in' }),
      backoffMs: 1,
      retries: 3,
      firstHarvestMs: 365 * 86_400_000,
      lookbackMs: 60 * 86_400_000,
    };

    beforeAll(async () => {
      nemo = await startNemoServer({
        timeZone: 'America/New_York',
        data: {
          tools: [{ id: 7, name: 'Titan' }],
          users: [{ id: 1, username: 'ned', first_name: 'Ned', last_name: 'Land' }],
          projects: [{ id: 3, name: 'Copper' }],
          usageEvents: [
            // Across the autumn change: 4 hours, not 5.
            {
              id: 101,
              start: '2026-11-01T00:30:00-04:00',
              end: '2026-11-01T03:30:00-05:00',
              user: 1,
              tool: 7,
              project: 3,
            },
            {
              id: 102,
              start: '2026-11-10T09:00:00-05:00',
              end: '2026-11-10T10:00:00-05:00',
              user: 1,
              tool: 7,
            },
            {
              id: 103,
              start: '2026-11-12T09:00:00-05:00',
              end: '2026-11-12T11:00:00-05:00',
              user: 1,
              tool: 7,
            },
            { id: 104, start: '2026-11-13T09:00:00-05:00', end: null, user: 1, tool: 7 },
          ],
          reservations: [
            {
              id: 11,
              start: '2026-10-31T23:00:00-04:00',
              end: '2026-11-01T04:00:00-05:00',
              user: 1,
              tool: 7,
              project: 3,
              question_data: consent('Agree'),
            },
            {
              id: 13,
              start: '2026-11-12T08:00:00-05:00',
              end: '2026-11-12T12:00:00-05:00',
              user: 1,
              tool: 7,
              project: 3,
              question_data: consent('Disagree'),
            },
          ],
        },
      });
      servers = [{ address: nemo.address, token: nemo.token, timezone: 'America/New_York' }];
      pid = uniqueName('Titan-');
      await inTransaction(t.database.db, (trx) =>
        createInstrument(
          trx,
          actorOfUser(t.users.staff.user),
          {
            pid,
            apiUrl: nemoToolUrl(nemo.address, 7),
            calendarName: 'Titan',
            calendarUrl: `${nemo.address}calendar/7`,
            location: 'B1',
            schemaName: 'FEI Titan',
            propertyTag: '7',
            filestorePath: './Titan',
            harvester: 'nemo',
            timezone: 'America/New_York',
          },
          t.config.instrumentDataDir,
        ),
      );
    });
    afterAll(async () => nemo?.close());

    const sessions = () =>
      t.database.db
        .selectFrom('session_log')
        .selectAll()
        .where('instrument', '=', pid)
        .orderBy('session_identifier')
        .orderBy('event_type', 'desc')
        .execute();

    it('turns ended usage events into sessions once, however often and however many harvest', async () => {
      const runs = await Promise.all([
        harvestNemo(t.database.db, servers, options),
        harvestNemo(t.database.db, servers, options),
      ]);
      expect(runs.map((run) => run.servers[0]!.error)).toEqual([null, null]);
      expect(runs.reduce((sum, run) => sum + run.servers[0]!.written, 0)).toBe(3);
      const rows = await sessions();
      expect(
        rows.map((row) => [
          row.session_identifier.replace(nemo.address, ''),
          row.event_type,
          row.timestamp,
          row.record_status,
        ]),
      ).toEqual([
        ['usage_events/?id=101', 'START', '2026-11-01T04:30:00.000Z', 'TO_BE_BUILT'],
        ['usage_events/?id=101', 'END', '2026-11-01T08:30:00.000Z', 'TO_BE_BUILT'],
        ['usage_events/?id=102', 'START', '2026-11-10T14:00:00.000Z', 'NO_RESERVATION'],
        ['usage_events/?id=102', 'END', '2026-11-10T15:00:00.000Z', 'NO_RESERVATION'],
        ['usage_events/?id=103', 'START', '2026-11-12T14:00:00.000Z', 'NO_CONSENT'],
        ['usage_events/?id=103', 'END', '2026-11-12T16:00:00.000Z', 'NO_CONSENT'],
      ]);
      const kept = await t.database.db
        .selectFrom('session_reservations')
        .selectAll()
        .where('session_identifier', '=', `${nemo.address}usage_events/?id=101`)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(kept.details)).toMatchObject({
        project: { name: 'Copper' },
        answers: { experimentTitle: 'Grain boundaries in Cu', dataConsent: 'Agree' },
        reservation: { id: 11 },
      });
      const again = await harvestNemo(t.database.db, servers, options);
      expect(again.servers[0]).toMatchObject({ written: 0, known: 3, error: null });
      expect(await sessions()).toHaveLength(6);
    });

    it('loses nothing to a failing server and finds late events on the next run', async () => {
      nemo.data.usageEvents.push({
        id: 105,
        start: '2026-11-20T09:00:00-05:00',
        end: '2026-11-20T10:00:00-05:00',
        user: 1,
        tool: 7,
      });
      for (let n = 1; n <= 6; n++) nemo.injectFault(n, { kind: 'status', status: 503 });
      const failed = await harvestNemo(t.database.db, servers, options);
      expect(failed.servers[0]!.error).toMatch(/503/);
      expect(await sessions()).toHaveLength(6);
      nemo.injectFault(1, { kind: 'status', status: 502 });
      const recovered = await harvestNemo(t.database.db, servers, options);
      expect(recovered.servers[0]).toMatchObject({ written: 1, error: null });
      expect(await sessions()).toHaveLength(8);
    });
  });
});
