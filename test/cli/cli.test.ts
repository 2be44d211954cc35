import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/database.js';
import { runCairn } from '../support/cairn-cli.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-'));

async function cairn(args: string[], input?: string) {
  const result = await runCairn(args, {
    env: {
      ...process.env,
      CAIRN_DATA_DIR: dataDir,
      DATABASE_URL: '',
      CAIRN_LOG_LEVEL: 'warn',
      CAIRN_ADMIN_PASSWORD: 'admin-password-1',
    },
    input,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each case runs real `cairn` processes one after another, each taking up to ~20 s on a busy 2-core machine.
describe('cairn CLI', { timeout: 600_000 }, () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates users (password by flag or standard input) and prints a working token', async () => {
    const created = await cairn([
      'user',
      'create',
      '--username',
      'tem-pc',
      '--email',
      'tem@lab.local',
      '--role',
      'staff',
      '--password',
      'a long password',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/created user tem-pc \(staff\)/);
    const piped = await cairn(
      ['user', 'create', '--username', 'piped', '--email', 'piped@lab.local'],
      'from stdin pw\n',
    );
    expect(piped.code, piped.stderr).toBe(0);
    const duplicate = await cairn([
      'user',
      'create',
      '--username',
      'tem-pc',
      '--email',
      'other@lab.local',
      '--password',
      'a long password',
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/taken/);
    const badRole = await cairn([
      'user',
      'create',
      '--username',
      'x1',
      '--email',
      'x1@lab.local',
      '--role',
      'wizard',
      '--password',
      'a long password',
    ]);
    expect(badRole.code).not.toBe(0);

    const token = await cairn(['token', 'create', '--username', 'tem-pc', '--name', 'TEM-1 instrument PC']);
    expect(token.code, token.stderr).toBe(0);
    const secret = token.stdout.trim();
    expect(secret).toMatch(/^cairn_[A-Za-z0-9_-]{40,}$/);

    const handle = connectDatabase({
      dialect: 'sqlite',
      databaseUrl: null,
      sqlitePath: path.join(dataDir, 'cairn.db'),
    });
    const rows = await handle.db.selectFrom('api_tokens').selectAll().execute();
    await handle.destroy();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.name).toBe('TEM-1 instrument PC');
    expect(rows[0]?.token_hash).not.toContain(secret);
  });

  it('loads the demo lab idempotently and makes the admin account once', async () => {
    const first = await cairn(['demo']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/3 users, 3 projects, \d{4} items and 72 samples added/);
    // Four analyses need seqkit; without it only the checksum runs.
    expect(first.stdout).toMatch(/demo analyses: (5 run .*: 4 completed, 1 failed|1 run .*: 1 completed)/);
    const second = await cairn(['demo']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/0 users, 0 projects, 0 items and 0 samples added/);
    expect(second.stdout).toContain('demo analyses: none run');
    const handle = connectDatabase({
      dialect: 'sqlite',
      databaseUrl: null,
      sqlitePath: path.join(dataDir, 'cairn.db'),
    });
    const admins = await handle.db.selectFrom('users').selectAll().where('username', '=', 'admin').execute();
    const projects = await handle.db.selectFrom('projects').selectAll().execute();
    const indexed = async () =>
      Number(
        (
          await handle.db
            .selectFrom('search_documents')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    // The demo's writes reached the text index as they were made; a rebuild writes the same documents again.
    const documents = await indexed();
    expect(documents).toBeGreaterThan(1000);
    const reindexed = await cairn(['search', 'reindex']);
    expect(reindexed.code, reindexed.stderr).toBe(0);
    expect(reindexed.stdout).toContain(`search index rebuilt: ${documents} documents`);
    expect(await indexed()).toBe(documents);
    await handle.destroy();
    expect(admins).toHaveLength(1);
    expect(projects).toHaveLength(3);
  });

  it('stops with a message naming a bad configuration variable', async () => {
    const result = await runCairn(['migrate'], {
      env: { ...process.env, CAIRN_DATA_DIR: dataDir, CAIRN_PORT: 'eighty' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CAIRN_PORT');
  });
});
