/**
 * The demo's analyses are real runs: after `loadDemoLab` (on a real SQLite file, as `cairn demo` loads it), the
 * local resource is online, the analyses a demo user asked for ran as child processes of an embedded agent
 * (checksum and seqkit on files made by the demo), those that completed have their output files, exactly one
 * failed with seqkit's exit code and its error in the stderr log read through the API, and a second load adds
 * nothing. The record the demo built is linked to the project and sample its reservation names. Without
 * seqkit the file is skipped locally; under CI it runs and fails. Also: on a PATH without
 * seqkit, only the checksum is asked for and the demo says why.
 */
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { describeDemoAnalyses } from '../../src/demo/demo-analyses.js';
import { loadDemoLab, type DemoSummary } from '../../src/demo/demo-lab.js';
import { actorFor, createToken, ensureAdmin } from '../../src/modules/accounts/accounts.service.js';
import type { Analysis, AnalysisSummary } from '../../src/modules/compute/analyses.schema.js';
import type { HpcResource } from '../../src/modules/compute/compute.schema.js';
import type { ExperimentRecord, RecordSummary } from '../../src/modules/records/records.schema.js';
import { loadBuiltinAnalysisTypes } from '../support/compute-factories.js';
import { commandRuns } from '../support/run-process.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const hasSeqkit = await commandRuns('seqkit', ['version']);

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.skipIf(!hasSeqkit && !process.env.CI)('demo analyses (sqlite)', () => {
  let t: TestApp;
  let jobsDir: string;
  let first: DemoSummary;
  let bob: { authorization: string };

  async function countRows(): Promise<Record<string, number>> {
    const db = t.database.db;
    const count = async (table: 'analyses' | 'hpc_jobs' | 'item_files' | 'analysis_files') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      analyses: await count('analyses'),
      jobs: await count('hpc_jobs'),
      itemFiles: await count('item_files'),
      analysisFiles: await count('analysis_files'),
    };
  }

  async function get<T>(url: string): Promise<T> {
    const response = await t.app.inject({ method: 'GET', url, headers: bob });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  }

  beforeAll(async () => {
    jobsDir = await mkdtemp(path.join(os.tmpdir(), 'cairn-demo-jobs-'));
    t = await createTestApp('sqlite', { jobsDir });
    // What `cairn demo` has from opening the runtime: the admin account and the built-in analysis types.
    await inTransaction(t.database.db, (trx) => ensureAdmin(trx, 'demo-admin-password'));
    await loadBuiltinAnalysisTypes(t);
    first = await loadDemoLab({ db: t.database.db, config: t.config, log: silent });
    const { token } = await inTransaction(t.database.db, async (trx) =>
      createToken(trx, await actorFor(trx, 'bob'), { name: 'demo test' }),
    );
    bob = { authorization: `Bearer ${token}` };
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    await rm(jobsDir, { recursive: true, force: true });
  });

  it('has the local resource online', async () => {
    const resources = await get<{ items: HpcResource[] }>('/api/hpc-resources');
    expect(resources.items.find((resource) => resource.name === 'local')?.status).toBe('online');
  });

  it('ran the analyses it asked for: all but one completed', () => {
    expect(first.analysesRun).toBe(5);
    expect(first.analyses).toMatchObject({ completed: 4, failed: 1, unfinished: 0, skipped: null });
    expect(first.analyses.failures).toEqual(['fastq-subsample of Knockout pool 19']);
  });

  it('keeps the completed analyses with their output files', async () => {
    const list = await get<{ items: AnalysisSummary[] }>('/api/analyses?status=completed');
    expect(list.items.map((analysis) => analysis.analysisType.name).sort()).toEqual([
      'checksum',
      'fastq-subsample',
      'seqkit-stats',
      'seqkit-stats',
    ]);
    for (const summary of list.items) {
      const analysis = await get<Analysis>(`/api/analyses/${summary.id}`);
      expect(analysis.files.length, analysis.analysisType.name).toBeGreaterThan(0);
      expect(analysis.job?.exitCode).toBe(0);
      expect(analysis.resultPath).toBe(`/api/analyses/${analysis.id}/files`);
    }
    const stats = list.items.find((analysis) => analysis.sampleName === 'Knockout pool 18');
    const detail = await get<Analysis>(`/api/analyses/${stats!.id}`);
    const file = detail.files[0]!;
    const table = await t.app.inject({
      method: 'GET',
      url: `/api/analyses/${detail.id}/files/${file.id}`,
      headers: bob,
    });
    // One row per file of the sample: its reads and its references.
    expect(table.body).toMatch(/knockout-pool-18_R1\.fastq\s+FASTQ\s+DNA\s+250\s/);
    expect(table.body).toMatch(/reporter-references\.fasta\s+FASTA\s+DNA\s+2\s/);
  });

  it('has exactly one failed analysis, with its exit code and seqkit error in the stderr log', async () => {
    const failed = await get<{ items: AnalysisSummary[] }>('/api/analyses?status=failed');
    expect(failed.items).toHaveLength(1);
    const analysis = await get<Analysis>(`/api/analyses/${failed.items[0]!.id}`);
    expect(analysis.sampleName).toBe('Knockout pool 19');
    expect(analysis.job?.exitCode).not.toBe(0);
    expect(analysis.job?.exitCode).not.toBeNull();
    const log = await t.app.inject({
      method: 'GET',
      url: `/api/analyses/${analysis.id}/log?stream=stderr`,
      headers: bob,
    });
    expect(log.statusCode).toBe(200);
    expect(log.headers['cairn-log-complete']).toBe('true');
    expect(log.body).toContain('unequal sequence and quality');
  });

  it("links the built record to the soil survey and one of its cores, shown on the sample's page", async () => {
    const records = await get<{ items: RecordSummary[] }>('/api/records');
    const built = records.items.find((record) => record.instrument === 'Demo-Quanta-650');
    expect(built?.project?.name).toBe('Soil metagenomics survey');
    const record = await get<ExperimentRecord>(`/api/records/${built!.id}`);
    expect(record.samples.map((sample) => sample.name)).toEqual(['North meadow core 1']);
    const ofSample = await get<{ items: RecordSummary[] }>(`/api/samples/${record.samples[0]!.id}/records`);
    expect(ofSample.items.map((summary) => summary.id)).toEqual([built!.id]);
  });

  it('adds nothing when loaded again', async () => {
    const before = await countRows();
    expect(before.analyses).toBe(5);
    const second = await loadDemoLab({ db: t.database.db, config: t.config, log: silent });
    expect(second).toMatchObject({
      usersCreated: 0,
      projectsCreated: 0,
      itemsCreated: 0,
      samplesCreated: 0,
      analysesRun: 0,
    });
    expect(await countRows()).toEqual(before);
  });
});

/** A directory of links to every program on the PATH except `leftOut`, to stand in for a machine without it. */
async function pathWithout(leftOut: string, dir: string): Promise<string> {
  const linked = new Set<string>([leftOut]);
  for (const source of (process.env.PATH ?? '').split(path.delimiter)) {
    if (source === '') continue;
    const names = await readdir(source).catch(() => [] as string[]);
    for (const name of names) {
      if (linked.has(name)) continue;
      linked.add(name);
      await symlink(path.join(source, name), path.join(dir, name));
    }
  }
  return dir;
}

describe('demo analyses without seqkit (sqlite)', () => {
  let t: TestApp;
  let workDir: string;
  const originalPath = process.env.PATH;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'cairn-demo-noseqkit-'));
    await mkdir(path.join(workDir, 'bin'));
    process.env.PATH = await pathWithout('seqkit', path.join(workDir, 'bin'));
    t = await createTestApp('sqlite', { jobsDir: path.join(workDir, 'jobs') });
    await inTransaction(t.database.db, (trx) => ensureAdmin(trx, 'demo-admin-password'));
    await loadBuiltinAnalysisTypes(t);
  }, 300_000);

  afterAll(async () => {
    process.env.PATH = originalPath;
    await t?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('asks only for the checksum, which completes, and says why', async () => {
    const summary = await loadDemoLab({ db: t.database.db, config: t.config, log: silent });
    expect(summary.analysesRun).toBe(1);
    expect(summary.analyses).toMatchObject({ completed: 1, failed: 0 });
    expect(describeDemoAnalyses(summary.analyses)).toBe(
      'demo analyses: 1 run on the local resource: 1 completed, 0 failed' +
        ' (seqkit is not installed: only the checksum was asked for)',
    );
    const rows = await t.database.db.selectFrom('analyses').select(['type_name', 'status']).execute();
    expect(rows).toEqual([{ type_name: 'checksum', status: 'completed' }]);
  });
});
