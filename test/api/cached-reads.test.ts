/**
 * The reads every request makes (the user behind a token, the caller's role in a project) are answered from a
 * cache on SQLite (src/db/read-cache.ts). These tests change what those reads return — through the API, and
 * from another connection to the same database as a second process (the CLI, another server) would — and
 * check that the very next request sees the change, on both databases.
 */
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseDialect } from '../../src/config/config.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

/** A second connection to the test database, as another process would open it. */
async function otherConnection(
  dialect: DatabaseDialect,
  connection: TestApp['database']['connection'],
): Promise<{ run(sql: string, ...values: string[]): Promise<void>; close(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const sqlite = new SqliteDatabase(connection.sqlitePath);
    sqlite.pragma('busy_timeout = 5000');
    return {
      run: async (sql, ...values) => {
        sqlite.prepare(sql.replace(/\$\d+/g, '?')).run(...values);
      },
      close: async () => {
        sqlite.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: connection.databaseUrl ?? undefined });
  await client.connect();
  return {
    run: async (sql, ...values) => {
      await client.query(sql, values);
    },
    close: () => client.end(),
  };
}

/** Lets the server's event loop turn over, as it does between requests that arrive apart. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe.each(dialects)('cached per-request reads on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect);
    let other: Awaited<ReturnType<typeof otherConnection>>;
    beforeAll(async () => {
      other = await otherConnection(dialect, t.database.connection);
    });
    afterAll(async () => other?.close());

    const me = (headers: { authorization: string }) =>
      t.app.inject({ method: 'GET', url: '/api/auth/me', headers });

    it('refuses a token at once after its owner revokes it through the API', async () => {
      const owner = await t.userWithToken();
      expect((await me(owner.headers)).statusCode).toBe(200);
      const tokens = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: owner.headers });
      const [token] = tokens.json<{ id: string }[]>();
      const revoked = await t.app.inject({
        method: 'DELETE',
        url: `/api/tokens/${token?.id}`,
        headers: owner.headers,
      });
      expect(revoked.statusCode).toBe(204);
      expect((await me(owner.headers)).statusCode).toBe(401);
    });

    it('refuses a token after another process deactivates its user, and accepts it again when reactivated', async () => {
      const owner = await t.userWithToken();
      expect((await me(owner.headers)).statusCode).toBe(200);
      await other.run('update users set active = 0 where id = $1', owner.user.id);
      await nextTurn();
      expect((await me(owner.headers)).statusCode).toBe(401);
      await other.run('update users set active = 1 where id = $1', owner.user.id);
      await nextTurn();
      expect((await me(owner.headers)).statusCode).toBe(200);
    });

    it('follows role changes made by another process and by the API', async () => {
      const manager = await t.userWithToken();
      const member = await t.userWithToken();
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/projects',
        headers: manager.headers,
        payload: { name: 'Cached role project' },
      });
      const projectId = created.json<{ id: string }>().id;
      const read = () =>
        t.app.inject({ method: 'GET', url: `/api/projects/${projectId}`, headers: member.headers });
      expect((await read()).statusCode).toBe(404);

      await other.run(
        'insert into project_users (project_id, user_id, role, added_at) values ($1, $2, $3, $4)',
        projectId,
        member.user.id,
        'viewer',
        new Date().toISOString(),
      );
      await nextTurn();
      const asViewer = await read();
      expect(asViewer.statusCode).toBe(200);
      expect(asViewer.json<{ myRole: string }>().myRole).toBe('viewer');

      const removed = await t.app.inject({
        method: 'DELETE',
        url: `/api/projects/${projectId}/members/${member.user.id}`,
        headers: manager.headers,
      });
      expect(removed.statusCode).toBe(204);
      expect((await read()).statusCode).toBe(404);
    });
  });
});
