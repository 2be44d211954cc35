/**
 * Live events (`GET /api/events`) on both databases, over real sockets: a change made after a stream opens
 * arrives; project rights apply (a member gets a project's events, a user outside it does not); a stream
 * resumed with Last-Event-ID (header or parameter) gets exactly the events after that id; filters by type and
 * entity; the refusals; a closing server ends its streams. On PostgreSQL, an event whose transaction commits
 * after a later event's is still streamed, in id order.
 */
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../src/modules/samples/samples.schema.js';
import type { Problem } from '../support/api-types.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { EventStreamClient, type LiveEventData } from '../support/event-stream-client.js';
import { inTransaction } from '../../src/db/transaction.js';
import { recordChanges } from '../../src/modules/audit/audit.service.js';
import { actorOfUser, buildProject, buildUser, uniqueName } from '../support/factories.js';
import { callApi } from '../support/inventory-factories.js';
import { buildSample } from '../support/sample-factories.js';
import { createTestApp, useTestApp, type TestUser } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

describe.each(dialects)('live events on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, {
      users: { admin: 'admin', manager: 'user', member: 'user', outsider: 'user' },
    });
    const { admin, manager, member, outsider } = t.users;
    let baseUrl = '';
    let sample: Sample;
    const streams: EventStreamClient[] = [];

    beforeAll(async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const project = await buildProject(t.database.db, manager.user, { members: [[member.user, 'viewer']] });
      sample = await buildSample(t, { by: manager, projectId: project.id });
    });
    afterAll(() => streams.forEach((stream) => stream.close()));

    async function open(who: TestUser, query = '', headers: Record<string, string> = {}) {
      const stream = await EventStreamClient.open(`${baseUrl}/api/events${query}`, {
        ...who.headers,
        ...headers,
      });
      streams.push(stream);
      return stream;
    }

    /** A change of the sample (its collection date), which its project's members may see. */
    let day = 0;
    async function changeSample(): Promise<string> {
      day += 1;
      const collectionDate = `2026-01-${String(day).padStart(2, '0')}`;
      const response = await callApi(t, manager, 'PATCH', `/api/samples/${sample.id}`, { collectionDate });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return collectionDate;
    }

    /** A change every signed-in user may see (HPC resources are lab-wide). */
    async function changeLabWide(): Promise<string> {
      const name = uniqueName('cluster ');
      const response = await callApi(t, admin, 'POST', '/api/hpc-resources', { name, type: 'slurm' });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return name;
    }

    const isSampleOn = (date: string) => (event: LiveEventData) =>
      event.entityType === 'sample' && event.after?.collection_date === date;
    const isResourceNamed = (name: string) => (event: LiveEventData) =>
      event.entityType === 'hpc_resource' && event.after?.name === name;

    it('sends a change made after the stream opened, as id, event type and data', async () => {
      const stream = await open(member);
      const date = await changeSample();
      const event = await stream.waitForEvent('the sample change', isSampleOn(date));
      expect(event).toMatchObject({
        action: 'update',
        entityType: 'sample',
        entityId: sample.id,
        projectId: sample.projectId,
        actor: { id: manager.user.id, username: manager.user.username },
      });
      expect(event).not.toHaveProperty('before');
      const frame = stream.frames.find((candidate) => candidate.data.includes(date));
      expect(frame).toMatchObject({ id: String(event.id), event: 'sample' });
      // Nothing from before the stream opened (the sample's creation) was sent.
      expect(stream.events.every((sent) => sent.id >= event.id)).toBe(true);
    });

    it("sends a project's events to its members and admins, not to users outside it", async () => {
      const [forMember, forAdmin, forOutsider] = await Promise.all([
        open(member),
        open(admin),
        open(outsider),
      ]);
      const date = await changeSample();
      const name = await changeLabWide();
      const seen = await forMember.waitForEvent('the sample change', isSampleOn(date));
      await forAdmin.waitForEvent('the sample change', isSampleOn(date));
      // Streams send in id order: once the later lab-wide change is there, the sample change was left out.
      const later = await forOutsider.waitForEvent('the lab-wide change', isResourceNamed(name));
      expect(later.id).toBeGreaterThan(seen.id);
      expect(forOutsider.events.map((event) => event.entityType)).not.toContain('sample');
      await forMember.waitForEvent('the lab-wide change', isResourceNamed(name));
    });

    it('resumes after Last-Event-ID with exactly the events committed since, none twice', async () => {
      const first = await open(member, '?types=sample');
      const firstDate = await changeSample();
      const seen = await first.waitForEvent('the first change', isSampleOn(firstDate));
      first.close();
      await first.ended;

      const missed = [await changeSample(), await changeSample()];
      const resumed = await open(member, '?types=sample', { 'last-event-id': String(seen.id) });
      const byParameter = await open(member, `?types=sample&lastEventId=${seen.id}`);
      const last = await changeSample();
      for (const stream of [resumed, byParameter]) {
        await stream.waitForEvent('the change after reconnecting', isSampleOn(last));
        expect(stream.events.map((event) => event.after?.collection_date)).toEqual([...missed, last]);
        const ids = stream.events.map((event) => event.id);
        expect(ids[0]).toBeGreaterThan(seen.id);
        expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      }
    });

    it('streams only the entity types and the entity asked for', async () => {
      const other = await buildSample(t, { by: manager, projectId: sample.projectId });
      const onlyOther = await open(manager, `?types=sample&entityId=${other.id}`);
      const onlyResources = await open(manager, '?types=hpc_resource,analysis');
      await changeSample();
      const name = await changeLabWide();
      const response = await callApi(t, manager, 'PATCH', `/api/samples/${other.id}`, {
        collectionDate: '2025-12-31',
      });
      expect(response.status).toBe(200);
      await onlyOther.waitForEvent('the other sample change', (event) => event.entityId === other.id);
      expect(onlyOther.events.map((event) => event.entityId)).toEqual([other.id]);
      await onlyResources.waitForEvent('the resource change', isResourceNamed(name));
      expect(onlyResources.events.map((event) => event.entityType)).toEqual(['hpc_resource']);
    });

    it("stops sending a project's events to a member once removed from it", async () => {
      const leaving = await t.userWithToken();
      const added = await callApi(t, manager, 'POST', `/api/projects/${sample.projectId}/members`, {
        username: leaving.user.username,
        role: 'viewer',
      });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      const stream = await open(leaving, '?types=sample,hpc_resource');
      const before = await changeSample();
      await stream.waitForEvent('the change while a member', isSampleOn(before));
      const removed = await callApi(
        t,
        manager,
        'DELETE',
        `/api/projects/${sample.projectId}/members/${leaving.user.id}`,
      );
      expect(removed.status).toBe(204);
      await changeSample();
      const name = await changeLabWide();
      await stream.waitForEvent('the lab-wide change', isResourceNamed(name));
      expect(stream.events.filter((event) => event.entityType === 'sample')).toHaveLength(1);
    });

    it('sends every event of a large transaction once, in order', async () => {
      const stream = await open(member, `?types=sample&entityId=${sample.id}`);
      const dates = Array.from({ length: 500 }, (_, index) => `batch ${index}`);
      const actor = actorOfUser(await buildUser(t.database.db));
      await inTransaction(t.database.db, (trx) =>
        recordChanges(
          trx,
          actor,
          dates.map((date) => ({
            action: 'update',
            entityType: 'sample',
            entityId: sample.id,
            projectId: sample.projectId,
            after: { collection_date: date },
          })),
        ),
      );
      await stream.waitForEvent('the last event of the batch', isSampleOn('batch 499'));
      expect(stream.events.map((event) => event.after?.collection_date)).toEqual(dates);
    });

    // Credentials are checked again at each keep-alive, every 15 s: this test waits that long, on one database.
    it.runIf(dialect === 'sqlite')('ends a stream once its user is deactivated', async () => {
      const leaving = await t.userWithToken();
      const stream = await open(leaving);
      const deactivated = await callApi(t, admin, 'PATCH', `/api/users/${leaving.user.id}`, {
        active: false,
      });
      expect(deactivated.status, JSON.stringify(deactivated.body)).toBe(200);
      await stream.ended;
      expect(stream.failure).toBeNull();
    });

    it('refuses a caller without credentials and a bad Last-Event-ID with problem documents', async () => {
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/events' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(anonymous.json<Problem>().code).toBe('unauthorized');
      const badId = await t.app.inject({
        method: 'GET',
        url: '/api/events',
        headers: { ...member.headers, 'last-event-id': 'yesterday' },
      });
      expect(badId.statusCode).toBe(400);
      expect(badId.json<Problem>().code).toBe('validation_failed');
      const badTypes = await t.app.inject({
        method: 'GET',
        url: '/api/events?types=Sample;drop',
        headers: member.headers,
      });
      expect(badTypes.statusCode).toBe(400);
    });

    it('is described in the OpenAPI document as an event stream', async () => {
      const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<string, { get?: { responses: Record<string, { content?: object }> } }>;
      }>();
      const responses = document.paths['/api/events']?.get?.responses;
      expect(Object.keys(responses?.['200']?.content ?? {})).toEqual(['text/event-stream']);
    });

    it.runIf(dialect === 'postgres')(
      'listens again after its listening connection is cut, and sends what came meanwhile',
      async () => {
        const stream = await open(member, '?types=sample');
        const listeners = () =>
          sql<{ pid: number }>`select pid from pg_stat_activity
            where datname = current_database() and query = 'listen cairn_audit'`.execute(t.database.db);
        await waitFor('the feed to listen', async () => (await listeners()).rows.length === 1);
        const [cut] = (await listeners()).rows;
        await sql`select pg_terminate_backend(${cut?.pid})`.execute(t.database.db);
        const meanwhile = await changeSample();
        await waitFor(
          'the feed to listen again',
          async () => {
            const { rows } = await listeners();
            return rows.length === 1 && rows[0]?.pid !== cut?.pid;
          },
          { timeout: 60_000 },
        );
        const after = await changeSample();
        await stream.waitForEvent('the change after listening again', isSampleOn(after));
        expect(stream.events.map((event) => event.after?.collection_date)).toEqual([meanwhile, after]);
      },
    );

    it.runIf(dialect === 'postgres')(
      'streams an event whose transaction commits after a later event, in id order',
      async () => {
        const stream = await open(member, '?types=sample');
        const client = new pg.Client({ connectionString: t.database.connection.databaseUrl ?? '' });
        await client.connect();
        try {
          await client.query('begin');
          const early = await client.query<{ id: string }>(
            `insert into audit_events (occurred_at, actor_id, action, entity_type, entity_id, project_id, after)
             values ($1, $2, 'update', 'sample', $3, $4, $5) returning id`,
            [
              new Date().toISOString(),
              manager.user.id,
              sample.id,
              sample.projectId,
              JSON.stringify({ collection_date: 'held back' }),
            ],
          );
          const later = await changeSample();
          // Give the feed every chance to read the later event before the earlier one commits.
          await t.database.db.selectFrom('audit_events').select('id').execute();
          await new Promise((resolve) => setTimeout(resolve, 500));
          await client.query('commit');
          await stream.waitForEvent('the later change', isSampleOn(later));
          await stream.waitForEvent('the change committed late', isSampleOn('held back'));
          expect(stream.events.map((event) => event.after?.collection_date)).toEqual(['held back', later]);
          expect(stream.events[0]?.id).toBe(Number(early.rows[0]?.id));
        } finally {
          await client.end();
        }
      },
    );
  });
});

describe.each(dialects)('a closing server on %s', (dialect) => {
  it.skipIf(!dialectAvailable(dialect))('ends its open event streams and closes', async () => {
    const t = await createTestApp(dialect);
    try {
      const user = await t.userWithToken();
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t.app.server.address() as AddressInfo).port;
      const stream = await EventStreamClient.open(`http://127.0.0.1:${port}/api/events`, user.headers);
      await t.app.close();
      await stream.ended;
      expect(stream.failure).toBeNull();
    } finally {
      await t.database.destroy();
    }
  });
});
