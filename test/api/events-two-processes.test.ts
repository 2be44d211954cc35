/**
 * Live events across processes: two real `cairn serve` processes on one PostgreSQL database. A change made
 * through one process's API reaches an event stream of the other (LISTEN/NOTIFY), and a stream resumed on the
 * other process with Last-Event-ID gets exactly what it missed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { createToken } from '../../src/modules/accounts/accounts.service.js';
import { startCairnServe, type ServeProcess } from '../support/cairn-cli.js';
import { createTestDatabase, dialectAvailable, type TestDatabase } from '../support/databases.js';
import { EventStreamClient, type LiveEventData } from '../support/event-stream-client.js';
import { actorOfUser, buildUser, uniqueName } from '../support/factories.js';

// Two server processes start on a busy 2-core machine: allow them their time.
describe.skipIf(!dialectAvailable('postgres'))(
  'live events with two cairn serve processes',
  { timeout: 300_000 },
  () => {
    let database: TestDatabase;
    let a: ServeProcess;
    let b: ServeProcess;
    let headers: { authorization: string };
    const streams: EventStreamClient[] = [];

    beforeAll(async () => {
      database = await createTestDatabase('postgres');
      // The admin account exists before the processes start, so that neither of them makes it.
      const admin = await buildUser(database.db, { username: 'admin', role: 'admin' });
      const { token } = await inTransaction(database.db, (trx) =>
        createToken(trx, actorOfUser(admin), { name: 'two processes' }),
      );
      headers = { authorization: `Bearer ${token}` };
      const env = {
        DATABASE_URL: database.connection.databaseUrl ?? '',
        CAIRN_DATA_DIR: database.connection.dataDir,
      };
      [a, b] = await Promise.all([startCairnServe(env), startCairnServe(env)]);
    });

    afterAll(async () => {
      streams.forEach((stream) => stream.close());
      try {
        await Promise.all([a?.stop(), b?.stop()]);
      } finally {
        await database?.destroy();
      }
    });

    async function open(server: ServeProcess, extra: Record<string, string> = {}) {
      const stream = await EventStreamClient.open(`${server.url}/api/events?types=hpc_resource`, {
        ...headers,
        ...extra,
      });
      streams.push(stream);
      return stream;
    }

    async function registerResource(server: ServeProcess): Promise<string> {
      const name = uniqueName('cluster ');
      const response = await fetch(`${server.url}/api/hpc-resources`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name, type: 'slurm' }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return name;
    }

    const isNamed = (name: string) => (event: LiveEventData) => event.after?.name === name;

    it("sends a change made through one process to the other process's stream", async () => {
      const onB = await open(b);
      const name = await registerResource(a);
      const event = await onB.waitForEvent('the change made through process A', isNamed(name));
      expect(event).toMatchObject({ action: 'create', entityType: 'hpc_resource' });
    });

    it('resumes on the other process after Last-Event-ID', async () => {
      const onA = await open(a);
      const first = await registerResource(b);
      const seen = await onA.waitForEvent('the first change', isNamed(first));
      onA.close();
      const missed = await registerResource(a);
      const onB = await open(b, { 'last-event-id': String(seen.id) });
      const last = await registerResource(a);
      await onB.waitForEvent('the change after reconnecting', isNamed(last));
      expect(onB.events.map((event) => event.after?.name)).toEqual([missed, last]);
    });

    it('ends its open streams and exits cleanly on SIGTERM', async () => {
      const [onA, onB] = await Promise.all([open(a), open(b)]);
      expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
      await Promise.all([onA.ended, onB.ended]);
      expect([onA.failure, onB.failure]).toEqual([null, null]);
    });
  },
);
