/**
 * An in-process Cairn server on a fresh test database, driven with `inject` (no sockets), plus helpers to
 * act as a given user through a bearer token or a browser-style cookie session.
 */
import { loadConfig, type Config } from '../../src/config/config.js';
import type { DatabaseDialect } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/app-context.js';
import { createLogger } from '../../src/http/logger.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createToken } from '../../src/modules/accounts/accounts.service.js';
import type { User } from '../../src/modules/accounts/accounts.schema.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { actorOfUser, buildUser } from './factories.js';

export interface TestApp {
  readonly app: App;
  readonly database: TestDatabase;
  readonly config: Config;
  /** A user with a bearer token: `as(user).get(url)` style calls. */
  userWithToken(overrides?: Parameters<typeof buildUser>[1]): Promise<TestUser>;
  close(): Promise<void>;
}

export interface TestUser {
  readonly user: User;
  readonly token: string;
  readonly headers: { authorization: string };
}

export async function createTestApp(
  dialect: DatabaseDialect,
  overrides: Partial<Config> = {},
): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const config = loadConfig(
    { CAIRN_LOG_LEVEL: 'silent' },
    {
      ...database.connection,
      webDir: '/nonexistent',
      filesDir: `${database.connection.dataDir}/files`,
      ...overrides,
    },
  );
  const app = await buildApp({ config, database, log: createLogger(config) });
  await app.ready();
  return {
    app,
    database,
    config,
    async userWithToken(userOverrides = {}) {
      const user = await buildUser(database.db, userOverrides);
      const { token } = await inTransaction(database.db, (trx) =>
        createToken(trx, actorOfUser(user), { name: 'test' }),
      );
      return { user, token, headers: { authorization: `Bearer ${token}` } };
    },
    async close() {
      await app.close();
      await database.destroy();
    },
  };
}
