/**
 * Test databases: every data test runs on SQLite and on PostgreSQL. Each call makes a fresh, migrated
 * database (a temp SQLite file; a PostgreSQL clone of the migrated template) and `destroy` drops it;
 * `useTestDatabase` gives the tests of one `describe` block such a database.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import type { DatabaseDialect } from '../../src/config/config.js';
import { connectDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { keepSearchIndexCurrent } from '../../src/modules/search/search-upkeep.js';
import { pgUrlFor, withPgAdmin } from './postgres.js';

export const dialects: DatabaseDialect[] = ['sqlite', 'postgres'];

/** Whether a dialect can run here; under CI a missing database is a failure, never a skip. */
export function dialectAvailable(dialect: DatabaseDialect): boolean {
  return dialect === 'sqlite' || inject('pgTemplate') !== null;
}

export interface TestDatabase extends DatabaseHandle {
  /** The settings that reach this database (for configs of servers and CLI processes under test). */
  readonly connection: {
    dialect: DatabaseDialect;
    databaseUrl: string | null;
    sqlitePath: string;
    dataDir: string;
  };
}

/**
 * A fresh database of its own, migrated to the latest schema (or left empty with `migrated: false`, for tests
 * of the migrations themselves).
 */
export async function createTestDatabase(
  dialect: DatabaseDialect,
  { migrated = true }: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  // As `openRuntime` does for every process: the index follows every change the test makes.
  keepSearchIndexCurrent();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-test-'));
  if (dialect === 'sqlite') {
    const sqlitePath = path.join(dataDir, 'cairn.db');
    const handle = connectDatabase({ dialect, databaseUrl: null, sqlitePath });
    if (migrated) await migrateToLatest(handle);
    return {
      ...handle,
      connection: { dialect, databaseUrl: null, sqlitePath, dataDir },
      destroy: async () => {
        await handle.destroy();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const template = inject('pgTemplate');
  if (template === null) throw new Error('PostgreSQL is not available');
  const name = `cairn_test_${randomBytes(6).toString('hex')}`;
  await withPgAdmin((client) =>
    client.query(migrated ? `create database ${name} template ${template}` : `create database ${name}`),
  );
  const databaseUrl = pgUrlFor(name);
  const handle = connectDatabase({ dialect, databaseUrl, sqlitePath: '' });
  return {
    ...handle,
    connection: { dialect, databaseUrl, sqlitePath: '', dataDir },
    destroy: async () => {
      await handle.destroy();
      await withPgAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A database for the tests of a `describe` block: made before them, dropped after them. It returns at once,
 * in the `describe` body, so that tests can name it as a constant; using it before the block's `beforeAll` has
 * run fails with a message saying so.
 */
export function useTestDatabase(
  dialect: DatabaseDialect,
  options: Parameters<typeof createTestDatabase>[1] = {},
): TestDatabase {
  let made: TestDatabase | undefined;
  const madeDatabase = (): TestDatabase => {
    if (made === undefined) throw new Error('the test database is used before its beforeAll hook has run');
    return made;
  };
  beforeAll(async () => {
    made = await createTestDatabase(dialect, options);
  });
  afterAll(async () => made?.destroy());
  return {
    get db() {
      return madeDatabase().db;
    },
    get dialect() {
      return madeDatabase().dialect;
    },
    get sqlite() {
      return madeDatabase().sqlite;
    },
    get connection() {
      return madeDatabase().connection;
    },
    destroy: () => madeDatabase().destroy(),
  };
}
