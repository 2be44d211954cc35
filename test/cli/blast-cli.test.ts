/** `cairn blast rebuild`: writes the BLAST databases from the items' sequences, which blastn then finds. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createItem } from '../../src/modules/inventory/item-creation.service.js';
import { createType } from '../../src/modules/inventory/types.service.js';
import { runCairn } from '../support/cairn-cli.js';
import { actorOfUser, buildUser } from '../support/factories.js';
import { runProcess } from '../support/run-process.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-blast-cli-'));
const blastMissing = await runProcess('blastn', ['-version']).then(
  (result) => (result.status === 0 ? null : 'blastn -version failed'),
  () => 'BLAST+ is not installed (apt-get install ncbi-blast+)',
);
if (blastMissing !== null && process.env.CI) throw new Error(`${blastMissing}, and CI needs BLAST+`);

describe.skipIf(blastMissing !== null)('cairn blast rebuild', { timeout: 300_000 }, () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('writes every sequence into the BLAST database with a progress bar', async () => {
    const handle = connectDatabase({
      dialect: 'sqlite',
      databaseUrl: null,
      sqlitePath: path.join(dataDir, 'cairn.db'),
    });
    await migrateToLatest(handle);
    const sequences = ['ACGT', 'TTGACA', 'GGCC'].map(
      (seed) => seed.repeat(20) + 'ACGTTGCAAGGCTTAACCGGTTAAGCTAGCTAGGATCCAT'.repeat(3),
    );
    try {
      const staff = actorOfUser(await buildUser(handle.db, { role: 'staff' }));
      await inTransaction(handle.db, async (trx) => {
        await createType(trx, staff, {
          name: 'construct',
          class: 'virtual',
          fields: [{ name: 'insert', kind: 'sequence', alphabet: 'dna' }],
        });
        for (const [index, sequence] of sequences.entries()) {
          await createItem(trx, staff, {
            type: 'construct',
            name: `construct ${index}`,
            fields: { insert: sequence },
          });
        }
      });
    } finally {
      await handle.destroy();
    }
    const result = await runCairn(['blast', 'rebuild'], {
      env: { ...process.env, CAIRN_DATA_DIR: dataDir, DATABASE_URL: '', CAIRN_LOG_LEVEL: 'warn' },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`BLAST databases rebuilt: 3 sequences in ${path.join(dataDir, 'blast')}`);
    const info = await runProcess('blastdbcmd', [
      '-db',
      path.join(dataDir, 'blast', 'nucl', 'cairn'),
      '-info',
    ]);
    expect(info.status, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/\b3 sequences;/);
  });
});
