/**
 * An in-process Cairn server on a fresh test database, driven with `inject` (no sockets), plus helpers to
 * act as a given user through a bearer token or a browser-style cookie session. `useTestApp` gives the tests
 * of one `describe` block a shared app with its users; `createTestApp` makes one for a single test.
 */
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { DatabaseDialect } from '../../src/config/config.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/app-context.js';
import { createLogger } from '../../src/http/logger.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createToken } from '../../src/modules/accounts/accounts.service.js';
import type { CreateUser, User } from '../../src/modules/accounts/accounts.schema.js';
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
      blastDir: `${database.connection.dataDir}/blast`,
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

/** A user of a shared test app: a system role, or the overrides of `buildUser`. */
export type TestUserSpec = NonNullable<CreateUser['role']> | Partial<CreateUser>;

export interface SharedTestAppOptions<Name extends string> {
  /** Server settings; a function is called when the app starts (to reuse what an earlier app was given). */
  config?: Partial<Config> | (() => Partial<Config>);
  /** The users to make, each with a bearer token, by the name the tests call them. */
  users?: Record<Name, TestUserSpec>;
}

export interface SharedTestApp<Name extends string> extends TestApp {
  readonly users: Readonly<Record<Name, TestUser>>;
}

/**
 * The setup most test files share: an app on `dialect` with its users, started before the block's tests and
 * closed after them. It returns at once, in the `describe` body, so that the tests can name the app and its
 * users as constants; reading them before the block's `beforeAll` has run fails with a message saying so.
 */
export function useTestApp<Name extends string = never>(
  dialect: DatabaseDialect,
  options: SharedTestAppOptions<Name> = {},
): SharedTestApp<Name> {
  let started: TestApp | undefined;
  const startedApp = (): TestApp => {
    if (started === undefined) throw new Error('the test app is used before its beforeAll hook has run');
    return started;
  };
  const specs = Object.entries(options.users ?? {}) as Array<[Name, TestUserSpec]>;
  const madeUsers = new Map<Name, TestUser>();
  const users = Object.fromEntries(
    specs.map(([name]) => [name, userMadeLater(name, () => madeUsers.get(name))]),
  ) as Record<Name, TestUser>;

  beforeAll(async () => {
    const config = typeof options.config === 'function' ? options.config() : options.config;
    const app = await createTestApp(dialect, config);
    started = app;
    await Promise.all(
      specs.map(async ([name, spec]) => {
        madeUsers.set(name, await app.userWithToken(typeof spec === 'string' ? { role: spec } : spec));
      }),
    );
  });
  afterAll(async () => started?.close());

  return {
    get app() {
      return startedApp().app;
    },
    get database() {
      return startedApp().database;
    },
    get config() {
      return startedApp().config;
    },
    userWithToken: (overrides) => startedApp().userWithToken(overrides),
    close: () => startedApp().close(),
    users,
  };
}

/** A user that `beforeAll` makes: its fields read the made user, or fail if it is not made yet. */
function userMadeLater(name: string, made: () => TestUser | undefined): TestUser {
  const madeUser = (): TestUser => {
    const user = made();
    if (user === undefined)
      throw new Error(`the test user ${name} is used before its beforeAll hook has run`);
    return user;
  };
  return {
    get user() {
      return madeUser().user;
    },
    get token() {
      return madeUser().token;
    },
    get headers() {
      return madeUser().headers;
    },
  };
}
