/**
 * The measuring child of the blast benchmark (see blast.bench.ts), one fresh process: seeds a SQLite Cairn
 * with `sequences` items holding a DNA sequence each (through Cairn's bulk creation, so the BLAST queue fills
 * as in life), builds the BLAST databases (`cairn blast rebuild`'s service), then, with the app in-process
 * (Fastify inject: the whole HTTP path but the socket) and a task worker with the default settings:
 * - `latency`: creates an item with a new sequence (POST /api/items) and polls POST /api/sequence-search every
 *   100 ms until the item is among the hits: the time from the request to the first answer that finds it;
 * - `search`: the same query through POST /api/sequence-search and through blastn run directly (spawned,
 *   the query on stdin, the same database and arguments), alternately.
 */
import { spawn } from 'node:child_process';
import { cairnModule, childInput, childProgress, childResult } from './support/child.js';
import { random } from './support/common.js';

type ConfigModule = typeof import('../src/config/config.js');
type DatabaseModule = typeof import('../src/db/database.js');
type MigrateModule = typeof import('../src/db/migrate.js');
type TransactionModule = typeof import('../src/db/transaction.js');
type AccountsModule = typeof import('../src/modules/accounts/accounts.service.js');
type TypesModule = typeof import('../src/modules/inventory/types.service.js');
type ItemsModule = typeof import('../src/modules/inventory/item-creation.service.js');
type AppModule = typeof import('../src/http/app.js');
type LoggerModule = typeof import('../src/http/logger.js');
type UpkeepModule = typeof import('../src/modules/search/search-upkeep.js');
type BlastModule = typeof import('../src/modules/search/blast-upkeep.js');
type BlastFilesModule = typeof import('../src/modules/search/blast-files.js');
type CatalogModule = typeof import('../src/tasks/task-catalog.js');
type WorkerModule = typeof import('../src/tasks/task-worker.js');

export interface ChildInput {
  dataDir: string;
  sequences: number;
  length: number;
  creations: number;
  rounds: number;
}

export interface ChildResult {
  seedSeconds: number;
  rebuildSeconds: number;
  letters: number;
  /** Milliseconds from POST /api/items to the first search that finds it. */
  latencies: number[];
  /** How many searches each of those took (polls). */
  polls: number[];
  /** Milliseconds of POST /api/sequence-search and of blastn run directly, per round. */
  api: number[];
  direct: number[];
  apiHits: number;
  directHits: number;
}

const TYPE = 'bench construct';

function sequenceMaker(seed: number): (length: number) => string {
  const next = random(seed);
  return (length) => {
    let text = '';
    for (let index = 0; index < length; index++) text += 'ACGT'[Math.floor(next() * 4)];
    return text;
  };
}

function runBlastn(args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('blastn', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out).toString('utf8')) : reject(new Error(`blastn exit ${code}`)),
    );
    child.stdin.end(input);
  });
}

async function main(): Promise<void> {
  const input = childInput<ChildInput>();
  const { loadConfig } = await cairnModule<ConfigModule>('config/config.js');
  const { connectDatabase } = await cairnModule<DatabaseModule>('db/database.js');
  const { migrateToLatest } = await cairnModule<MigrateModule>('db/migrate.js');
  const { inTransaction } = await cairnModule<TransactionModule>('db/transaction.js');
  const { createUser, actorFor, createToken } = await cairnModule<AccountsModule>(
    'modules/accounts/accounts.service.js',
  );
  const { createType } = await cairnModule<TypesModule>('modules/inventory/types.service.js');
  const { createItemsInBulk } = await cairnModule<ItemsModule>('modules/inventory/item-creation.service.js');
  const { buildApp } = await cairnModule<AppModule>('http/app.js');
  const { createLogger } = await cairnModule<LoggerModule>('http/logger.js');
  const { keepSearchIndexCurrent } = await cairnModule<UpkeepModule>('modules/search/search-upkeep.js');
  const { blastFilesOf, rebuildBlastDatabases } = await cairnModule<BlastModule>(
    'modules/search/blast-upkeep.js',
  );
  const { aliasPath } = await cairnModule<BlastFilesModule>('modules/search/blast-files.js');
  const { createTaskRegistry } = await cairnModule<CatalogModule>('tasks/task-catalog.js');
  const { TaskWorker } = await cairnModule<WorkerModule>('tasks/task-worker.js');

  keepSearchIndexCurrent();
  const config = loadConfig({ CAIRN_DATA_DIR: input.dataDir, CAIRN_LOG_LEVEL: 'warn' });
  const database = connectDatabase(config);
  await migrateToLatest(database);
  const { db } = database;
  await inTransaction(db, (trx) =>
    createUser(trx, null, {
      username: 'bencher',
      email: 'bencher@lab.example',
      password: 'bench-password-1',
      role: 'staff',
      displayName: 'Bencher',
    }),
  );
  const actor = await actorFor(db, 'bencher');
  const { token } = await inTransaction(db, (trx) => createToken(trx, actor, { name: 'bench' }));
  await inTransaction(db, (trx) =>
    createType(trx, actor, {
      name: TYPE,
      class: 'virtual',
      fields: [{ name: 'insert', kind: 'sequence', alphabet: 'dna' }],
    }),
  );

  const seeded = sequenceMaker(1);
  const seedStart = performance.now();
  let reference = '';
  for (let done = 0; done < input.sequences;) {
    const batch = Math.min(5000, input.sequences - done);
    const items = Array.from({ length: batch }, (_, index) => {
      const sequence = seeded(input.length);
      if (done + index === Math.floor(input.sequences / 2)) reference = sequence;
      return { type: TYPE, name: `construct ${done + index + 1}`, fields: { insert: sequence } };
    });
    await inTransaction(db, (trx) => createItemsInBulk(trx, actor, items));
    done += batch;
    childProgress(`seeded ${done} sequences`);
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const files = blastFilesOf(config);
  const rebuildStart = performance.now();
  // The rebuild then applies what the seeding queued (nothing changes: every sequence is in main already).
  let rebuilt = 0;
  const { sequences } = await rebuildBlastDatabases(db, files, 'bench', {
    onProgress: (count) => {
      if (count - rebuilt >= 20_000) childProgress(`rebuild: read ${(rebuilt = count)} items`);
    },
  });
  const rebuildSeconds = (performance.now() - rebuildStart) / 1000;
  childProgress(`BLAST databases: ${sequences} sequences in ${rebuildSeconds.toFixed(1)} s`);
  const alias = aliasPath(files, 'nucl');
  if (alias === null) throw new Error('no nucleotide database was written');

  const app = await buildApp({ config, database, log: createLogger(config) });
  await app.ready();
  const worker = new TaskWorker(db, createTaskRegistry(), config, createLogger(config));
  worker.start();
  const headers = { authorization: `Bearer ${token}` };
  const search = async (sequence: string, evalue: number) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/sequence-search',
      headers,
      payload: { sequence, program: 'blastn', evalue, maxHits: 50 },
    });
    if (response.statusCode !== 200)
      throw new Error(`sequence search: ${response.statusCode} ${response.body}`);
    return response.json<{ hits: { itemId: string }[] }>().hits;
  };

  try {
    const fresh = sequenceMaker(2);
    const latencies: number[] = [];
    const polls: number[] = [];
    for (let round = 0; round < input.creations; round++) {
      const sequence = fresh(input.length);
      const start = performance.now();
      const created = await app.inject({
        method: 'POST',
        url: '/api/items',
        headers,
        payload: { type: TYPE, name: `fresh ${round}`, fields: { insert: sequence } },
      });
      if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`);
      const itemId = created.json<{ id: string }>().id;
      for (let poll = 1; ; poll++) {
        if ((await search(sequence, 1e-50)).some((hit) => hit.itemId === itemId)) {
          latencies.push(performance.now() - start);
          polls.push(poll);
          break;
        }
        if (performance.now() - start > 60_000) throw new Error(`fresh ${round} not found within 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      childProgress(`created and found ${round + 1}: ${latencies.at(-1)?.toFixed(0)} ms`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }

    // A 500-base query cut from a seeded sequence with a mismatch every 40 bases.
    const query = [...reference.slice(200, 700)]
      .map((base, index) => (index % 40 === 39 ? (base === 'A' ? 'C' : 'A') : base))
      .join('');
    const args = ['-db', alias, '-outfmt', '15', '-evalue', '10', '-max_target_seqs', '50'];
    const api: number[] = [];
    const direct: number[] = [];
    let apiHits = 0;
    let directHits = 0;
    await search(query, 10);
    await runBlastn(args, `>query\n${query}\n`);
    for (let round = 0; round < input.rounds; round++) {
      const apiStart = performance.now();
      apiHits = (await search(query, 10)).length;
      api.push(performance.now() - apiStart);
      const directStart = performance.now();
      const report = JSON.parse(await runBlastn(args, `>query\n${query}\n`)) as {
        BlastOutput2: { report: { results: { search: { hits: { hsps: unknown[] }[] } } } }[];
      };
      direct.push(performance.now() - directStart);
      directHits = (report.BlastOutput2[0]?.report.results.search.hits ?? []).reduce(
        (sum, hit) => sum + hit.hsps.length,
        0,
      );
    }
    const letters = sequences * input.length;
    childResult({
      seedSeconds,
      rebuildSeconds,
      letters,
      latencies,
      polls,
      api,
      direct,
      apiHits,
      directHits,
    } satisfies ChildResult);
  } finally {
    await worker.stop();
    await app.close();
    await database.destroy();
  }
}

await main();
