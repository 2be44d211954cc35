import { describe, expect, it } from 'vitest';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildUser, TEST_PASSWORD } from '../support/factories.js';
import type { Problem } from '../support/api-types.js';
import { useTestApp } from '../support/test-app.js';

describe.each(dialects)('accounts on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { config: { loginMaxFailures: 3 } });

    async function login(username: string, password: string, ip = '10.0.0.1') {
      return t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
        remoteAddress: ip,
      });
    }

    function sessionCookie(response: { cookies: Array<{ name: string; value: string }> }): string {
      const cookie = response.cookies.find((c) => c.name === 'cairn_session');
      if (!cookie) throw new Error('no session cookie');
      return `cairn_session=${cookie.value}`;
    }

    it('logs in with an HttpOnly SameSite cookie and answers /me with a CSRF token', async () => {
      const user = await buildUser(t.database.db);
      const response = await login(user.username, TEST_PASSWORD);
      expect(response.statusCode).toBe(200);
      const setCookie = String(response.headers['set-cookie']);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      const body = response.json<{ csrfToken: string; user: { username: string; lastLoginAt: string } }>();
      expect(body.user.username).toBe(user.username);
      expect(body.user.lastLoginAt).not.toBeNull();
      const me = await t.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { cookie: sessionCookie(response) },
      });
      expect(me.statusCode).toBe(200);
      expect(me.json<{ csrfToken: string; via: string }>()).toMatchObject({
        csrfToken: body.csrfToken,
        via: 'session',
      });
    });

    it('fails every bad login with the same generic message', async () => {
      const user = await buildUser(t.database.db);
      const wrongPassword = await login(user.username, 'not the password', '10.0.1.1');
      const unknownUser = await login('nobody-here', 'whatever-pass', '10.0.1.2');
      for (const response of [wrongPassword, unknownUser]) {
        expect(response.statusCode).toBe(401);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json<Problem>().detail).toBe('Invalid username or password');
      }
    });

    it('rate-limits failed logins per user and address', async () => {
      const user = await buildUser(t.database.db);
      for (let i = 0; i < 3; i++)
        expect((await login(user.username, 'wrong-password', '10.0.2.1')).statusCode).toBe(401);
      const limited = await login(user.username, TEST_PASSWORD, '10.0.2.1');
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBeDefined();
      // The same account from another address is not locked out by someone else's failures.
      expect((await login(user.username, TEST_PASSWORD, '10.0.2.2')).statusCode).toBe(200);
    });

    it('requires the CSRF header for cookie-authenticated writes, not for bearer tokens', async () => {
      const user = await buildUser(t.database.db);
      const response = await login(user.username, TEST_PASSWORD, '10.0.3.1');
      const cookie = sessionCookie(response);
      const { csrfToken } = response.json<{ csrfToken: string }>();
      const without = await t.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: { cookie },
        payload: { name: 'x' },
      });
      expect(without.statusCode).toBe(403);
      expect(without.json<Problem>().code).toBe('csrf_failed');
      const wrong = await t.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: { cookie, 'x-csrf-token': 'nope' },
        payload: { name: 'x' },
      });
      expect(wrong.statusCode).toBe(403);
      const right = await t.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: { cookie, 'x-csrf-token': csrfToken },
        payload: { name: 'csrf ok' },
      });
      expect(right.statusCode).toBe(201);
      const { headers } = await t.userWithToken();
      const bearer = await t.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers,
        payload: { name: 'bearer ok' },
      });
      expect(bearer.statusCode).toBe(201);
    });

    it('logs out: the session cookie stops working', async () => {
      const user = await buildUser(t.database.db);
      const response = await login(user.username, TEST_PASSWORD, '10.0.4.1');
      const cookie = sessionCookie(response);
      const { csrfToken } = response.json<{ csrfToken: string }>();
      const out = await t.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie, 'x-csrf-token': csrfToken },
      });
      expect(out.statusCode).toBe(204);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode,
      ).toBe(401);
    });

    it('creates, lists and revokes API tokens; the secret is shown once and stored hashed', async () => {
      const { headers, user } = await t.userWithToken();
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers,
        payload: { name: 'instrument PC' },
      });
      expect(created.statusCode).toBe(201);
      const { id, token } = created.json<{ id: string; token: string }>();
      expect(token).toMatch(/^cairn_/);
      const list = await t.app.inject({ method: 'GET', url: '/api/tokens', headers });
      const tokens = list.json<Array<Record<string, unknown>>>();
      expect(tokens.map((x) => x.name)).toContain('instrument PC');
      expect(JSON.stringify(tokens)).not.toContain(token);
      const stored = await t.database.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toBe(token);
      expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
      const asNew = { authorization: `Bearer ${token}` };
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: asNew })).json<{
          user: { id: string };
        }>().user.id,
      ).toBe(user.id);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers })).statusCode).toBe(
        204,
      );
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: asNew })).statusCode).toBe(
        401,
      );
    });

    it("does not let a user revoke someone else's token", async () => {
      const a = await t.userWithToken();
      const b = await t.userWithToken();
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: a.headers,
        payload: { name: 'mine' },
      });
      const { id } = created.json<{ id: string }>();
      expect(
        (await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: b.headers })).statusCode,
      ).toBe(404);
    });

    it('lets only admins manage users; a deactivated user can neither log in nor use tokens', async () => {
      const admin = await t.userWithToken({ role: 'admin' });
      const plain = await t.userWithToken();
      const payload = {
        username: 'newperson',
        email: 'newperson@test.local',
        password: 'long enough pw',
        role: 'staff',
      };
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/users', headers: plain.headers, payload }))
          .statusCode,
      ).toBe(403);
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin.headers,
        payload,
      });
      expect(created.statusCode).toBe(201);
      expect(created.json()).not.toHaveProperty('passwordHash');
      const duplicate = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin.headers,
        payload,
      });
      expect(duplicate.statusCode).toBe(409);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/users', headers: plain.headers })).statusCode,
      ).toBe(403);
      const list = await t.app.inject({ method: 'GET', url: '/api/users?limit=200', headers: admin.headers });
      expect(list.json<{ items: Array<{ username: string }> }>().items.map((u) => u.username)).toContain(
        'newperson',
      );

      const deactivate = await t.app.inject({
        method: 'PATCH',
        url: `/api/users/${plain.user.id}`,
        headers: admin.headers,
        payload: { active: false },
      });
      expect(deactivate.statusCode).toBe(200);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: plain.headers })).statusCode,
      ).toBe(401);
      const loginAttempt = await login(plain.user.username, TEST_PASSWORD, '10.0.5.1');
      expect(loginAttempt.statusCode).toBe(401);
      expect(loginAttempt.json<{ detail: string }>().detail).toBe('Invalid username or password');
    });

    it('never stores a password in clear and never returns its hash', async () => {
      const admin = await t.userWithToken({ role: 'admin' });
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/users/${admin.user.id}`,
        headers: admin.headers,
      });
      expect(JSON.stringify(response.json())).not.toMatch(/argon2|password/i);
      const row = await t.database.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', admin.user.id)
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
    });
  });
});
