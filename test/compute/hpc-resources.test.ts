/**
 * HPC resources on both databases: the local resource of a fresh install, admins registering and changing
 * resources with checked settings, everyone reading them page by page, agents' heartbeats and their silence,
 * the audit trail, and the refusals that write nothing.
 */
import { describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { inTransaction } from '../../src/db/transaction.js';
import type { HpcResource } from '../../src/modules/compute/compute.schema.js';
import { recordHeartbeat } from '../../src/modules/compute/hpc-resources.service.js';
import type { AuditEvent } from '../../src/modules/history/history.schema.js';
import type { Page, Problem } from '../support/api-types.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { uniqueName } from '../support/factories.js';
import { useTestApp, type TestUser } from '../support/test-app.js';

const STALE_SECONDS = 30;

describe.each(dialects)('HPC resources on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, {
      config: { agentStaleSeconds: STALE_SECONDS },
      users: { admin: 'admin', staff: 'staff', user: 'user' },
    });
    const { admin, staff, user } = t.users;

    async function call<T>(who: TestUser, method: InjectOptions['method'], url: string, payload?: unknown) {
      const response = await t.app.inject({
        method,
        url,
        headers: who.headers,
        ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
      });
      return {
        status: response.statusCode,
        body: response.json<T>(),
        type: response.headers['content-type'],
      };
    }

    async function create(input: Record<string, unknown>): Promise<HpcResource> {
      const { status, body } = await call<HpcResource>(admin, 'POST', '/api/hpc-resources', input);
      expect(status, JSON.stringify(body)).toBe(201);
      return body;
    }

    /** Every resource, read page by page with the cursor the server hands out. */
    async function listAll(who: TestUser, limit: number): Promise<HpcResource[]> {
      const all: HpcResource[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${cursor}`;
        const { status, body } = await call<Page<HpcResource>>(
          who,
          'GET',
          `/api/hpc-resources?limit=${limit}${query}`,
        );
        expect(status).toBe(200);
        expect(body.items.length).toBeLessThanOrEqual(limit);
        all.push(...body.items);
        cursor = body.nextCursor;
      } while (cursor !== null);
      return all;
    }

    /** What the tables hold: any refused request must leave both as they were. */
    async function snapshot() {
      const db = t.database.db;
      const resources = await db.selectFrom('hpc_resources').selectAll().orderBy('id').execute();
      const events = await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return { resources, events: Number(events.n) };
    }

    const heartbeat = (id: string, at: Date) =>
      inTransaction(t.database.db, (trx) => recordHeartbeat(trx, id, at));

    it('has one local resource, online and served by the embedded agent, on a fresh install', async () => {
      const locals = (await listAll(user, 200)).filter((resource) => resource.name === 'local');
      expect(locals).toHaveLength(1);
      expect(locals[0]).toMatchObject({
        type: 'local',
        status: 'online',
        lastHeartbeatAt: null,
        settings: {},
      });
    });

    it('lets an admin register a Slurm resource with its settings, which everyone reads', async () => {
      const settings = {
        partition: 'debug',
        account: 'lab-01',
        maxConcurrent: 8,
        defaultTime: '1-12:00:00',
        defaultMemory: '4G',
      };
      const created = await create({
        name: uniqueName('cluster-'),
        description: 'The one-node Slurm',
        type: 'slurm',
        settings,
      });
      expect(created).toMatchObject({ type: 'slurm', status: 'online', settings, lastHeartbeatAt: null });
      const read = await call<HpcResource>(user, 'GET', `/api/hpc-resources/${created.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created);
      for (const [defaultTime, defaultMemory] of [
        ['90', '512M'],
        ['01:30:00', '1T'],
        ['7-00:00:00', '2048K'],
      ]) {
        const other = await create({
          name: uniqueName('c-'),
          type: 'slurm',
          settings: { defaultTime, defaultMemory },
        });
        expect(other.settings).toEqual({ defaultTime, defaultMemory });
      }
    });

    it('pages the list by name with a cursor, every resource once', async () => {
      const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((name) => uniqueName(`${name}-`));
      for (const name of names) await create({ name, type: 'local' });
      const all = await listAll(user, 2);
      const listed = all.map((resource) => resource.name);
      expect(new Set(all.map((resource) => resource.id)).size).toBe(all.length);
      expect(listed).toEqual(expect.arrayContaining([...names, 'local']));
      expect(listed).toEqual([...listed].sort());
      const bad = await call<Problem>(user, 'GET', '/api/hpc-resources?cursor=garbage!!');
      expect(bad.status).toBe(422);
    });

    it('lets plain users and staff read but not register or change resources, and writes nothing for them', async () => {
      const resource = await create({ name: uniqueName('guarded-'), type: 'slurm' });
      const before = await snapshot();
      for (const who of [user, staff]) {
        const post = await call<Problem>(who, 'POST', '/api/hpc-resources', {
          name: uniqueName('x-'),
          type: 'local',
        });
        expect(post.status).toBe(403);
        expect(post.type).toMatch(/^application\/problem\+json/);
        expect(post.body.code).toBe('forbidden');
        const patch = await call<Problem>(who, 'PATCH', `/api/hpc-resources/${resource.id}`, {
          status: 'offline',
        });
        expect(patch.status).toBe(403);
        expect(patch.body.code).toBe('forbidden');
        expect((await call(who, 'GET', `/api/hpc-resources/${resource.id}`)).status).toBe(200);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a taken name with 409, on create and on rename, and writes nothing', async () => {
      const first = await create({ name: uniqueName('taken-'), type: 'slurm' });
      const second = await create({ name: uniqueName('other-'), type: 'slurm' });
      const before = await snapshot();
      for (const [method, url, payload] of [
        ['POST', '/api/hpc-resources', { name: first.name, type: 'local' }],
        ['POST', '/api/hpc-resources', { name: ` ${first.name} `, type: 'slurm' }],
        ['POST', '/api/hpc-resources', { name: 'local', type: 'local' }],
        ['PATCH', `/api/hpc-resources/${second.id}`, { name: first.name }],
      ] as const) {
        const response = await call<Problem>(admin, method, url, payload);
        expect(response.status, `${method} ${JSON.stringify(payload)}`).toBe(409);
        expect(response.body.code).toBe('conflict');
        expect(response.body.errors).toEqual([{ field: 'name', message: 'is taken' }]);
      }
      expect(await snapshot()).toEqual(before);
      const same = await call<HpcResource>(admin, 'PATCH', `/api/hpc-resources/${first.id}`, {
        name: first.name,
      });
      expect(same.status).toBe(200);
    });

    it('refuses bad settings with 422 naming the field, and writes nothing', async () => {
      const resource = await create({ name: uniqueName('checked-'), type: 'slurm' });
      const before = await snapshot();
      const bad: Array<[string, Record<string, unknown>]> = [
        ['settings.maxConcurrent', { maxConcurrent: 0 }],
        ['settings.maxConcurrent', { maxConcurrent: 1.5 }],
        ['settings.maxConcurrent', { maxConcurrent: -3 }],
        ['settings.defaultTime', { defaultTime: '25:00' }],
        ['settings.defaultTime', { defaultTime: '1-25:00:00' }],
        ['settings.defaultTime', { defaultTime: '12:60:00' }],
        ['settings.defaultTime', { defaultTime: '0' }],
        ['settings.defaultTime', { defaultTime: 'two hours' }],
        ['settings.defaultMemory', { defaultMemory: '4GB' }],
        ['settings.defaultMemory', { defaultMemory: '4' }],
        ['settings.defaultMemory', { defaultMemory: '0G' }],
        ['settings.partition', { partition: 'debug; rm -rf /' }],
        ['settings.account', { account: '--qos=high' }],
      ];
      for (const [field, settings] of bad) {
        for (const [method, url, payload] of [
          ['POST', '/api/hpc-resources', { name: uniqueName('bad-'), type: 'slurm', settings }],
          ['PATCH', `/api/hpc-resources/${resource.id}`, { settings }],
        ] as const) {
          const response = await call<Problem>(admin, method, url, payload);
          expect(response.status, `${method} ${JSON.stringify(settings)}`).toBe(422);
          expect(response.body.code).toBe('invalid');
          expect(response.body.errors?.map((error) => error.field)).toEqual([field]);
        }
      }
      const blank = await call<Problem>(admin, 'POST', '/api/hpc-resources', { name: '   ', type: 'slurm' });
      expect(blank.status).toBe(422);
      expect(blank.body.errors?.map((error) => error.field)).toEqual(['name']);
      const unknownSetting = await call<Problem>(admin, 'POST', '/api/hpc-resources', {
        name: uniqueName('bad-'),
        type: 'slurm',
        settings: { gpus: 2 },
      });
      expect(unknownSetting.status).toBe(400);
      expect(await snapshot()).toEqual(before);
    });

    it('answers 404 for an unknown resource and writes nothing', async () => {
      const before = await snapshot();
      expect((await call<Problem>(user, 'GET', '/api/hpc-resources/no-such-resource')).status).toBe(404);
      const patch = await call<Problem>(admin, 'PATCH', '/api/hpc-resources/no-such-resource', {
        status: 'draining',
      });
      expect(patch.status).toBe(404);
      expect(patch.body.code).toBe('not_found');
      await expect(heartbeat('no-such-resource', new Date())).rejects.toMatchObject({ status: 404 });
      expect(await snapshot()).toEqual(before);
    });

    it('sets a resource draining with PATCH, and changes its name, description and settings', async () => {
      const resource = await create({
        name: uniqueName('busy-'),
        type: 'slurm',
        settings: { partition: 'debug' },
      });
      const patched = await call<HpcResource>(admin, 'PATCH', `/api/hpc-resources/${resource.id}`, {
        status: 'draining',
        description: 'Maintenance on Friday',
        settings: { maxConcurrent: 2 },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        status: 'draining',
        description: 'Maintenance on Friday',
        settings: { maxConcurrent: 2 },
      });
      expect(patched.body.updatedAt >= resource.updatedAt).toBe(true);
      expect((await call<HpcResource>(user, 'GET', `/api/hpc-resources/${resource.id}`)).body.status).toBe(
        'draining',
      );
    });

    it('shows an agent’s last heartbeat, and answers offline once its heartbeats are stale', async () => {
      const resource = await create({ name: uniqueName('agent-'), type: 'slurm' });
      const read = async () =>
        (await call<HpcResource>(user, 'GET', `/api/hpc-resources/${resource.id}`)).body;
      const stored = async () =>
        (
          await t.database.db
            .selectFrom('hpc_resources')
            .select('status')
            .where('id', '=', resource.id)
            .executeTakeFirstOrThrow()
        ).status;

      const fresh = new Date();
      await heartbeat(resource.id, fresh);
      expect(await read()).toMatchObject({ status: 'online', lastHeartbeatAt: fresh.toISOString() });

      const stale = new Date(Date.now() - (STALE_SECONDS + 5) * 1000);
      await heartbeat(resource.id, stale);
      expect(await read()).toMatchObject({ status: 'offline', lastHeartbeatAt: stale.toISOString() });
      const listed = (await listAll(user, 200)).find((entry) => entry.id === resource.id);
      expect(listed?.status).toBe('offline');
      expect(await stored()).toBe('online');

      const recent = new Date(Date.now() - (STALE_SECONDS - 10) * 1000);
      await heartbeat(resource.id, recent);
      expect((await read()).status).toBe('online');

      await call(admin, 'PATCH', `/api/hpc-resources/${resource.id}`, { status: 'draining' });
      expect((await read()).status).toBe('draining');
      await heartbeat(resource.id, stale);
      expect((await read()).status).toBe('offline');
      expect(await stored()).toBe('draining');
    });

    it('records every change in the audit trail, which every signed-in user may read', async () => {
      const resource = await create({
        name: uniqueName('audited-'),
        type: 'slurm',
        settings: { maxConcurrent: 4 },
      });
      await call(admin, 'PATCH', `/api/hpc-resources/${resource.id}`, {
        status: 'draining',
        settings: { maxConcurrent: 1 },
      });
      await heartbeat(resource.id, new Date());
      const history = await call<Page<AuditEvent>>(
        user,
        'GET',
        `/api/audit?entityType=hpc_resource&entityId=${resource.id}`,
      );
      expect(history.status).toBe(200);
      const events = history.body.items;
      expect(events.map((event) => event.action)).toEqual(['update', 'create']);
      expect(events.every((event) => event.actorId === admin.user.id && event.projectId === null)).toBe(true);
      expect(events[1]?.after).toMatchObject({
        name: resource.name,
        status: 'online',
        settings: { maxConcurrent: 4 },
      });
      expect(events[0]?.before).toMatchObject({ status: 'online', settings: { maxConcurrent: 4 } });
      expect(events[0]?.after).toMatchObject({ status: 'draining', settings: { maxConcurrent: 1 } });
    });

    it('describes every HPC resource route in the OpenAPI document', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
      const doc = response.json<{
        paths: Record<string, Record<string, { tags?: string[]; summary?: string }>>;
      }>();
      for (const [path, method] of [
        ['/api/hpc-resources', 'post'],
        ['/api/hpc-resources', 'get'],
        ['/api/hpc-resources/{id}', 'get'],
        ['/api/hpc-resources/{id}', 'patch'],
      ] as const) {
        const operation = doc.paths[path]?.[method];
        expect(operation?.tags, `${method} ${path}`).toEqual(['compute']);
        expect(operation?.summary).toBeTruthy();
      }
    });
  });
});
