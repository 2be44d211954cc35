import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/database.js';
import { migrateToLatest, migrations } from '../../src/db/migrate.js';
import { createTestDatabase, dialectAvailable, dialects, type TestDatabase } from '../support/databases.js';
import { pgUrlFor, withPgAdmin } from '../support/postgres.js';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Runs `cairn migrate` in a separate process (real concurrency: two processes, one database). */
function migrateInChildProcess(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'migrate'], {
      env: { ...process.env, CAIRN_LOG_LEVEL: 'info', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.each(dialects)('migrations on %s', { timeout: 120_000 }, (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => database?.destroy());

    it('are recorded once and a second run applies nothing', async () => {
      expect(await migrateToLatest(database)).toEqual([]);
      const applied = await database.db
        .selectFrom('cairn_migrations' as never)
        .select('name' as never)
        .execute();
      expect(applied).toHaveLength(migrations.length);
    });

    it('run by two processes starting at once on an empty database are applied exactly once', async () => {
      let env: Record<string, string>;
      let cleanup: () => Promise<void>;
      if (dialect === 'sqlite') {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-migrate-'));
        env = { CAIRN_DATA_DIR: dir, DATABASE_URL: '' };
        cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
      } else {
        const name = `cairn_test_migrate_${process.pid}`;
        await withPgAdmin((client) =>
          client.query(`drop database if exists ${name}`).then(() => client.query(`create database ${name}`)),
        );
        env = { DATABASE_URL: pgUrlFor(name) };
        cleanup = () =>
          withPgAdmin((client) => client.query(`drop database if exists ${name} with (force)`)).then(
            () => undefined,
          );
      }
      try {
        const results = await Promise.all([migrateInChildProcess(env), migrateInChildProcess(env)]);
        for (const result of results) expect(result.code, result.output).toBe(0);
        const appliedBy = results.filter((r) => r.output.includes('migrations applied'));
        expect(appliedBy).toHaveLength(1);
        const handle = connectDatabase(
          dialect === 'sqlite'
            ? { dialect, databaseUrl: null, sqlitePath: path.join(env.CAIRN_DATA_DIR ?? '', 'cairn.db') }
            : { dialect, databaseUrl: env.DATABASE_URL ?? null, sqlitePath: '' },
        );
        const rows = await handle.db
          .selectFrom('cairn_migrations' as never)
          .select('name' as never)
          .execute();
        await handle.destroy();
        expect(rows).toHaveLength(migrations.length);
      } finally {
        await cleanup();
      }
    });
  });
});
