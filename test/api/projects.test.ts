import { beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/modules/projects/projects.schema.js';
import type { Page, Problem } from '../support/api-types.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { useTestApp, type TestUser } from '../support/test-app.js';

describe.each(dialects)('projects on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, {
      users: { manager: 'user', member: 'user', viewer: 'user', outsider: 'user', admin: 'admin' },
    });
    const { manager, member, viewer, outsider, admin } = t.users;
    let projectId: string;

    beforeAll(async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: manager.headers,
        payload: { name: 'Yeast screen', description: 'CRISPR', startDate: '2026-01-01', status: 'active' },
      });
      expect(created.statusCode).toBe(201);
      projectId = created.json<Project>().id;
      for (const [who, role] of [
        [member, 'member'],
        [viewer, 'viewer'],
      ] as const) {
        const added = await t.app.inject({
          method: 'POST',
          url: `/api/projects/${projectId}/members`,
          headers: manager.headers,
          payload: { username: who.user.username, role },
        });
        expect(added.statusCode).toBe(201);
      }
    });

    const get = (who: TestUser, url: string) => t.app.inject({ method: 'GET', url, headers: who.headers });

    it('makes the creator the manager', async () => {
      const project = (await get(manager, `/api/projects/${projectId}`)).json<Project>();
      expect(project).toMatchObject({ name: 'Yeast screen', status: 'active', myRole: 'manager' });
      expect(project.manager.username).toBe(manager.user.username);
    });

    it('hides the project from non-members (404) and shows it to admins', async () => {
      const hidden = await get(outsider, `/api/projects/${projectId}`);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.headers['content-type']).toMatch(/problem\+json/);
      expect(
        (await get(outsider, '/api/projects')).json<Page<Project>>().items.map((p) => p.id),
      ).not.toContain(projectId);
      expect((await get(admin, `/api/projects/${projectId}`)).statusCode).toBe(200);
      expect(
        (await get(admin, '/api/projects?limit=200')).json<Page<Project>>().items.map((p) => p.id),
      ).toContain(projectId);
      const patch = await t.app.inject({
        method: 'PATCH',
        url: `/api/projects/${projectId}`,
        headers: outsider.headers,
        payload: { name: 'mine now' },
      });
      expect(patch.statusCode).toBe(404);
    });

    it('lets viewers read but not write (403); members write; only managers manage members', async () => {
      expect((await get(viewer, `/api/projects/${projectId}`)).json<Project>().myRole).toBe('viewer');
      const viewerPatch = await t.app.inject({
        method: 'PATCH',
        url: `/api/projects/${projectId}`,
        headers: viewer.headers,
        payload: { description: 'nope' },
      });
      expect(viewerPatch.statusCode).toBe(403);
      const memberPatch = await t.app.inject({
        method: 'PATCH',
        url: `/api/projects/${projectId}`,
        headers: member.headers,
        payload: { description: 'updated by member' },
      });
      expect(memberPatch.statusCode).toBe(200);
      const memberAdds = await t.app.inject({
        method: 'POST',
        url: `/api/projects/${projectId}/members`,
        headers: member.headers,
        payload: { username: outsider.user.username, role: 'viewer' },
      });
      expect(memberAdds.statusCode).toBe(403);
      const viewerDeletes = await t.app.inject({
        method: 'DELETE',
        url: `/api/projects/${projectId}`,
        headers: viewer.headers,
      });
      expect(viewerDeletes.statusCode).toBe(403);
    });

    it('lists members and removes one; the removed user loses access', async () => {
      const extra = await t.userWithToken();
      await t.app.inject({
        method: 'POST',
        url: `/api/projects/${projectId}/members`,
        headers: manager.headers,
        payload: { username: extra.user.username, role: 'member' },
      });
      const members = (await get(manager, `/api/projects/${projectId}/members`)).json<
        Array<{ username: string; role: string }>
      >();
      expect(members.map((m) => m.username)).toEqual(
        expect.arrayContaining([
          manager.user.username,
          member.user.username,
          viewer.user.username,
          extra.user.username,
        ]),
      );
      const removed = await t.app.inject({
        method: 'DELETE',
        url: `/api/projects/${projectId}/members/${extra.user.id}`,
        headers: manager.headers,
      });
      expect(removed.statusCode).toBe(204);
      expect((await get(extra, `/api/projects/${projectId}`)).statusCode).toBe(404);
      const removeManager = await t.app.inject({
        method: 'DELETE',
        url: `/api/projects/${projectId}/members/${manager.user.id}`,
        headers: manager.headers,
      });
      expect(removeManager.statusCode).toBe(422);
    });

    it('pages with a cursor, filters by status and text, and sorts', async () => {
      const owner = await t.userWithToken();
      const names = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'];
      for (const [i, name] of names.entries()) {
        await t.app.inject({
          method: 'POST',
          url: '/api/projects',
          headers: owner.headers,
          payload: { name, status: i % 2 === 0 ? 'active' : 'planned', startDate: `2026-0${i + 1}-01` },
        });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/projects?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page: Page<Project> = (await get(owner, url)).json<Page<Project>>();
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((p) => p.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(names);
      const active = (await get(owner, '/api/projects?status=active'))
        .json<Page<Project>>()
        .items.map((p) => p.name);
      expect(active).toEqual(['Alpha', 'Charlie', 'Echo']);
      expect(
        (await get(owner, '/api/projects?q=ARL')).json<Page<Project>>().items.map((p) => p.name),
      ).toEqual(['Charlie']);
      expect(
        (await get(owner, '/api/projects?sort=-name&limit=2')).json<Page<Project>>().items.map((p) => p.name),
      ).toEqual(['Echo', 'Delta']);
      const byStart = (await get(owner, '/api/projects?sort=-startDate'))
        .json<Page<Project>>()
        .items.map((p) => p.name);
      expect(byStart).toEqual([...names].reverse());
      const bad = await get(owner, '/api/projects?cursor=garbage!!');
      expect(bad.statusCode).toBe(422);
    });

    it('refuses bad input with a problem document and writes nothing', async () => {
      const before = await t.database.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const bads = [
        { name: '' },
        { name: 'x', status: 'bogus' },
        { name: 'x', startDate: '2026-13-45' },
        { name: 'x', startDate: '2026-05-01', endDate: '2026-04-01' },
        { name: 'x', extra: 1 },
        { name: 42 },
        { name: 'x', managerUsername: 'no-such-user' },
      ];
      for (const payload of bads) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/projects',
          headers: manager.headers,
          payload,
        });
        expect(response.statusCode, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json<Problem>().code).toBeTruthy();
      }
      const after = await t.database.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('soft-deletes a project (managers) and records every change in the audit trail', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: manager.headers,
        payload: { name: 'Doomed' },
      });
      const id = created.json<Project>().id;
      await t.app.inject({
        method: 'PATCH',
        url: `/api/projects/${id}`,
        headers: manager.headers,
        payload: { status: 'on_hold' },
      });
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/projects/${id}`, headers: manager.headers }))
          .statusCode,
      ).toBe(204);
      expect((await get(manager, `/api/projects/${id}`)).statusCode).toBe(404);
      const history = await get(admin, `/api/audit?entityType=project&entityId=${id}`);
      const events = history.json<{
        items: Array<{
          action: string;
          before: { status?: string } | null;
          after: { status?: string } | null;
          actorId: string;
        }>;
      }>().items;
      expect(events.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
      expect(events[1]?.before?.status).toBe('planned');
      expect(events[1]?.after?.status).toBe('on_hold');
      expect(events.every((e) => e.actorId === manager.user.id)).toBe(true);
    });

    it('hands management over: the new manager (an active user) a member with role manager, the old one a plain member, all audited', async () => {
      const call = (who: TestUser, method: 'POST' | 'PATCH', url: string, payload: object) =>
        t.app.inject({ method, url, headers: who.headers, payload });
      const created = await call(manager, 'POST', '/api/projects', { name: 'Hand-over' });
      const id = created.json<Project>().id;
      await call(manager, 'POST', `/api/projects/${id}/members`, {
        username: viewer.user.username,
        role: 'viewer',
      });
      const memberRoles = async () =>
        Object.fromEntries(
          (await get(admin, `/api/projects/${id}/members`))
            .json<{ username: string; role: string }[]>()
            .map((m) => [m.username, m.role]),
        );
      const memberEvents = async (userId: string) =>
        (await get(admin, `/api/audit?entityType=project_member&entityId=${id}:${userId}`)).json<{
          items: { action: string; before: { role: string } | null; after: { role: string } | null }[];
        }>().items;

      // A deactivated user is refused as manager on update as on create, with the same answer.
      const retired = await t.userWithToken();
      expect(
        (await call(admin, 'PATCH', `/api/users/${retired.user.id}`, { active: false })).statusCode,
      ).toBe(200);
      const refusals = [
        await call(manager, 'POST', '/api/projects', {
          name: 'Never',
          managerUsername: retired.user.username,
        }),
        await call(manager, 'PATCH', `/api/projects/${id}`, { managerUsername: retired.user.username }),
      ];
      for (const refused of refusals) {
        expect(refused.statusCode, refused.body).toBe(422);
        expect(refused.json()).toMatchObject({
          code: 'invalid',
          errors: [{ field: 'managerUsername', message: 'deactivated' }],
        });
      }
      expect((await get(manager, `/api/projects/${id}`)).json<Project>().manager.username).toBe(
        manager.user.username,
      );
      expect(await memberEvents(retired.user.id)).toEqual([]);

      // To a viewer: they become the manager, the old manager a member (who may no longer manage).
      const handed = await call(manager, 'PATCH', `/api/projects/${id}`, {
        managerUsername: viewer.user.username,
      });
      expect(handed.statusCode, handed.body).toBe(200);
      expect(handed.json<Project>()).toMatchObject({
        manager: { username: viewer.user.username },
        myRole: 'member',
      });
      expect(await memberRoles()).toEqual({
        [manager.user.username]: 'member',
        [viewer.user.username]: 'manager',
      });
      expect((await memberEvents(viewer.user.id))[0]).toMatchObject({
        action: 'update',
        before: { role: 'viewer' },
        after: { role: 'manager' },
      });
      expect((await memberEvents(manager.user.id))[0]).toMatchObject({
        action: 'update',
        before: { role: 'manager' },
        after: { role: 'member' },
      });
      expect((await call(manager, 'PATCH', `/api/projects/${id}`, { status: 'active' })).statusCode).toBe(
        403,
      );

      // Naming the manager again changes no membership.
      const same = await call(viewer, 'PATCH', `/api/projects/${id}`, {
        managerUsername: viewer.user.username,
      });
      expect(same.statusCode, same.body).toBe(200);
      expect(await memberEvents(viewer.user.id)).toHaveLength(2);

      // To someone outside the project: they join as manager.
      const outside = await call(viewer, 'PATCH', `/api/projects/${id}`, {
        managerUsername: outsider.user.username,
      });
      expect(outside.statusCode, outside.body).toBe(200);
      expect(await memberRoles()).toEqual({
        [manager.user.username]: 'member',
        [viewer.user.username]: 'member',
        [outsider.user.username]: 'manager',
      });
      expect(await memberEvents(outsider.user.id)).toMatchObject([
        { action: 'create', before: null, after: { role: 'manager' } },
      ]);
    });

    it('shows project history to members but not to outsiders', async () => {
      const asMember = await get(member, `/api/audit?entityType=project&entityId=${projectId}`);
      expect(asMember.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);
      const asOutsider = await get(outsider, `/api/audit?entityType=project&entityId=${projectId}`);
      expect(asOutsider.json<{ items: unknown[] }>().items).toEqual([]);
    });
  });
});
