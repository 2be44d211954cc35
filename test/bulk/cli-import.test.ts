/** `cairn import csv` and `cairn import fasta`: progress on standard error, the report on standard output, dry runs, Ctrl-C. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/database.js';
import { inTransaction } from '../../src/db/transaction.js';
import { actorFor } from '../../src/modules/accounts/accounts.service.js';
import { createType } from '../../src/modules/inventory/types.service.js';
import { runCairn } from '../support/cairn-cli.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-cli-import-'));
const env = {
  ...process.env,
  CAIRN_DATA_DIR: dataDir,
  DATABASE_URL: '',
  CAIRN_LOG_LEVEL: 'warn',
  CAIRN_ADMIN_PASSWORD: 'admin-password-1',
};

async function cairn(args: string[]) {
  const result = await runCairn(args, { env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeCsv(name: string, lines: string[]): string {
  const file = path.join(dataDir, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function countItems(): Promise<number> {
  const handle = connectDatabase({
    dialect: 'sqlite',
    databaseUrl: null,
    sqlitePath: path.join(dataDir, 'cairn.db'),
  });
  try {
    const row = await handle.db
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await handle.destroy();
  }
}

// Each case runs real `cairn` processes one after another, each taking up to ~20 s on a busy 2-core machine.
describe('cairn import', { timeout: 600_000 }, () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('checks a file in a dry run, printing every bad row, then imports it with a progress bar', async () => {
    const created = await cairn([
      'user',
      'create',
      '--username',
      'importer',
      '--email',
      'i@lab.local',
      '--password',
      'a long password',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const bad = writeCsv('bad.csv', [
      'Type,Name,Box,Well,Volume (µl)',
      'box 9x9,CLI box,,,',
      'tube,Fine,CLI box,A1,5',
      'tube,Not a number,CLI box,A2,five',
      'tube,Same well,CLI box,A1,',
    ]);
    const dry = await cairn(['import', 'csv', bad, '--kind', 'items', '--as', 'importer', '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('dry run: 2 of 4 rows have problems; nothing was written');
    expect(dry.stdout).toContain(
      'row 4, column "Volume (µl)" (fields.volume_ul): must be a number, not "five"',
    );
    expect(dry.stdout).toContain('row 5, column "Well" (slot): slot A1 of row 2 is also claimed by row 3');
    expect(dry.stderr).toMatch(/checking \[.*\] 100% \| 4\/4 rows/);
    expect(await countItems()).toBe(0);

    const refused = await cairn(['import', 'csv', bad, '--kind', 'items', '--as', 'importer']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('import: 2 of 4 rows have problems; nothing was imported');
    expect(await countItems()).toBe(0);

    const good = writeCsv('good.csv', [
      'Type,Name,Box,Well',
      'box 9x9,CLI box,,',
      'tube,T1,CLI box,A1',
      'tube,T2,CLI box,A2',
    ]);
    const imported = await cairn(['import', 'csv', good, '--kind', 'items', '--as', 'importer']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/imported 3 rows: created 3 \(P-000001 … P-000003\)/);
    expect(imported.stderr).toMatch(/reading \[.*\] 100%/);
    expect(imported.stderr).toMatch(/creating \[.*\] 100% \| 3\/3 rows/);
    expect(await countItems()).toBe(3);

    const samples = writeCsv('samples.csv', ['project,name,type', 'Nowhere,S1,tube']);
    const noProject = await cairn([
      'import',
      'csv',
      samples,
      '--kind',
      'samples',
      '--as',
      'importer',
      '--dry-run',
    ]);
    expect(noProject.code).toBe(1);
    expect(noProject.stdout).toContain('row 2, column "project" (project): project "Nowhere" not found');
    const badKind = await cairn(['import', 'csv', good, '--kind', 'spaceships', '--as', 'importer']);
    expect(badKind.code).not.toBe(0);
    expect(badKind.stderr).toContain('items or samples');
  });

  it('rolls everything back when interrupted', async () => {
    const before = await countItems();
    const rows = Array.from({ length: 30_000 }, (_, index) => `tube,Interrupted ${index},${index % 100}`);
    const file = writeCsv('big.csv', ['type,name,volume_ul', ...rows]);
    const { status, stdout, stderr } = await runCairn(
      ['import', 'csv', file, '--kind', 'items', '--as', 'importer'],
      {
        env,
        onOutput: (output, child) => {
          if (output.stderr.includes('creating [') && !child.killed) child.kill('SIGINT');
        },
      },
    );
    expect(status, stdout + stderr).toBe(130);
    expect(stderr).toContain('interrupted: the import was rolled back; nothing was written');
    expect(await countItems()).toBe(before);
  });

  it('imports sequences from FASTA: a dry run names bad entries, an import creates and then updates items', async () => {
    const curator = await cairn([
      'user',
      'create',
      '--username',
      'curator',
      '--email',
      'c@lab.local',
      '--role',
      'staff',
      '--password',
      'a long password',
    ]);
    expect(curator.code, curator.stderr).toBe(0);
    const handle = connectDatabase({
      dialect: 'sqlite',
      databaseUrl: null,
      sqlitePath: path.join(dataDir, 'cairn.db'),
    });
    try {
      await inTransaction(handle.db, async (trx) =>
        createType(trx, await actorFor(trx, 'curator'), {
          name: 'cli plasmid',
          class: 'virtual',
          fields: [{ name: 'sequence', kind: 'sequence', alphabet: 'dna', required: false }],
        }),
      );
    } finally {
      await handle.destroy();
    }
    const before = await countItems();
    const bad = path.join(dataDir, 'bad.fasta');
    fs.writeFileSync(bad, '>pGood\nACGT\n>pBad\nACGTZ\n');
    const args = ['import', 'fasta', '--as', 'curator', '--type', 'cli plasmid'];
    const dry = await cairn([...args, bad, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(1);
    expect(dry.stdout).toContain('dry run: 1 of 2 rows have problems; nothing was written');
    expect(dry.stdout).toMatch(
      /row 2, column "pBad" \(fields.sequence\): 'Z' at position 5 is not a DNA code/,
    );
    expect(await countItems()).toBe(before);

    const good = path.join(dataDir, 'good.fasta');
    fs.writeFileSync(good, '>pOne first\nACGT\nACGT\n>pTwo\nGGCC\n');
    const imported = await cairn([...args, good]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/imported 2 rows: created 2, updated 0/);
    expect(imported.stderr).toMatch(/creating \[.*\] 100% \| 2\/2 rows/);
    const again = await cairn([...args, good]);
    expect(again.stdout).toMatch(/imported 2 rows: created 0, updated 2/);
    expect(await countItems()).toBe(before + 2);
  });
});
