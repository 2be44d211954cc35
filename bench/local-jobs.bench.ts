/**
 * local-jobs: the local executor's throughput. 200 analyses of a trivial type (`true`, no inputs, no outputs)
 * asked for in one `POST /api/analyses/batch` on a real Cairn, whose embedded agent runs them on the `local`
 * resource; the clock runs from the request until Cairn has recorded the last one completed. Baseline, in the
 * same run: the same 200 job scripts spawned directly from Node exactly as the local executor spawns them
 * (GNU time around `bash job.sh`, detached, logs to files) with the same concurrency limit, until the last
 * exits. Target: Cairn reaches at least half the baseline's jobs/s.
 *
 * Knobs, for investigation only (flagged in the output): BENCH_LOCAL_JOBS (200), BENCH_ROUNDS (3), and
 * BENCH_CPU_PROF=1, which writes a V8 CPU profile of the server (API and embedded agent) to bench/results/profiles/.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JOB_SCRIPT, STDERR_LOG, STDOUT_LOG } from '../src/modules/compute/executors/job-directory.js';
import type { HpcResource } from '../src/modules/compute/compute.schema.js';
import {
  prepareBaselineJobs,
  readBatch,
  requestBatch,
  startAnalysisLab,
  trivialAnalysisType,
  waitUntilNoneIn,
  type AnalysisLab,
} from './support/analysis-lab.js';
import {
  BenchmarkFailure,
  type Benchmark,
  type BenchmarkContext,
  type BenchmarkOutcome,
} from './support/benchmark.js';
import { envNumber, fmt, loadAverage, loadNote, mean } from './support/common.js';
import { mapConcurrently } from './support/http.js';
import { cpuSecondsOf, REPO_ROOT } from './support/servers.js';

const TARGET = 0.5;
const TRUE_TYPE = trivialAnalysisType('bench-true', 'Runs `true`: the cost of a job around nothing.', [
  'true',
]);
const WARMUP_JOBS = 20;
/** What the local executor runs around the script when GNU time is installed (local-executor.ts). */
const TIME_COMMAND = '/usr/bin/time';
const RESOURCE_USAGE_FORMAT = '%U %S %M';

/** Spawns `bash job.sh` in a prepared directory as the local executor does, and waits for it to exit. */
async function runJobScript(workDir: string, withTime: boolean): Promise<void> {
  const stdout = await open(path.join(workDir, STDOUT_LOG), 'w');
  const stderr = await open(path.join(workDir, STDERR_LOG), 'w');
  const [command, args] = withTime
    ? [TIME_COMMAND, ['-f', RESOURCE_USAGE_FORMAT, '-o', 'resource-usage', '--', 'bash', JOB_SCRIPT]]
    : ['bash', [JOB_SCRIPT]];
  const exited = new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: workDir,
      detached: true,
      stdio: ['ignore', stdout.fd, stderr.fd],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CAIRN_JOB_ID: path.basename(workDir) },
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  await Promise.all([stdout.close(), stderr.close()]);
  const code = await exited;
  if (code !== 0) throw new BenchmarkFailure(`bash job.sh in ${workDir} exited with ${code}`);
}

/** The baseline: `jobs` job scripts run directly, `concurrency` at a time; seconds from the first spawn to the last exit. */
async function spawnDirectly(
  root: string,
  jobs: number,
  concurrency: number,
  withTime: boolean,
): Promise<number> {
  const dirs = await prepareBaselineJobs(root, jobs, TRUE_TYPE);
  const start = performance.now();
  await mapConcurrently(dirs, concurrency, (dir) => runJobScript(dir, withTime));
  const seconds = (performance.now() - start) / 1000;
  await rm(root, { recursive: true, force: true });
  return seconds;
}

interface CairnRound {
  /** From the request until Cairn recorded the last analysis completed (its `updatedAt`). */
  readonly seconds: number;
  /** From the request until the benchmark's poll saw none left queued, submitted or running. */
  readonly polledSeconds: number;
  /** The server's CPU time over the round. */
  readonly serverCpuSeconds: number | null;
}

async function runThroughCairn(lab: AnalysisLab, resourceId: string, jobs: number): Promise<CairnRound> {
  const cpuBefore = cpuSecondsOf(lab.cairn.pid);
  const batch = await requestBatch(lab.api, {
    sampleIds: lab.sampleIds.slice(0, jobs),
    analysisType: TRUE_TYPE.name,
    resourceId,
  });
  const seen = await waitUntilNoneIn(lab.api, resourceId, ['queued', 'submitted', 'running'], {
    pollMs: 50,
    // Far more than 200 trivial jobs take even on a busy machine: a job stuck running fails the benchmark.
    timeoutMs: 300_000,
    what: `${jobs} local jobs completing`,
  });
  const cpuAfter = cpuSecondsOf(lab.cairn.pid);
  const done = await readBatch(lab.api, resourceId, batch, ['completed']);
  const last = Math.max(...done.map((analysis) => Date.parse(analysis.updatedAt)));
  return {
    seconds: (last - batch.requestedAt) / 1000,
    polledSeconds: (seen - batch.requestedAt) / 1000,
    serverCpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
  };
}

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const jobs = envNumber('BENCH_LOCAL_JOBS', 200);
  const rounds = envNumber('BENCH_ROUNDS', 3);
  const loadBefore = loadAverage();
  const withTime = await open(TIME_COMMAND, 'r').then(
    async (handle) => (await handle.close(), true),
    () => false,
  );
  const profileDir =
    process.env.BENCH_CPU_PROF === '1' ? path.join(REPO_ROOT, 'bench', 'results', 'profiles') : undefined;
  const lab = await startAnalysisLab({
    samples: Math.max(jobs, WARMUP_JOBS),
    cpuProfileDir: profileDir,
    analysisTypes: [TRUE_TYPE],
    log: context.log,
  });
  try {
    const { items: resources } = await lab.api.request<{ items: HpcResource[] }>('GET', '/api/hpc-resources');
    const local = resources.find((resource) => resource.type === 'local' && resource.name === 'local');
    if (local === undefined) throw new BenchmarkFailure('the fresh install has no `local` resource');
    const concurrency = local.settings.maxConcurrent ?? os.availableParallelism();

    context.log(`warm-up: ${WARMUP_JOBS} analyses through Cairn`);
    await runThroughCairn(lab, local.id, WARMUP_JOBS);

    const baseline: number[] = [];
    const cairn: CairnRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      const root = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-spawn-'));
      baseline.push(await spawnDirectly(root, jobs, concurrency, withTime));
      context.log(`round ${round}/${rounds}: spawned directly in ${fmt(baseline.at(-1)!, 2)} s`);
      cairn.push(await runThroughCairn(lab, local.id, jobs));
      context.log(`round ${round}/${rounds}: through Cairn in ${fmt(cairn.at(-1)!.seconds, 2)} s`);
    }

    const cairnRate = mean(cairn.map((r) => jobs / r.seconds));
    const baselineRate = mean(baseline.map((seconds) => jobs / seconds));
    const cpu = cairn.map((r) => r.serverCpuSeconds).filter((s): s is number => s !== null);
    const standard = jobs === 200 && rounds === 3;
    return {
      comparisons: [
        {
          metric: 'throughput',
          unit: 'jobs/s',
          figureLabel: `Cairn: ${jobs} analyses of \`true\` by the batch route, run by the embedded agent (request → last completed)`,
          figure: cairnRate,
          baselineLabel: `the same ${jobs} job scripts spawned directly from Node, ${concurrency} at a time`,
          baseline: baselineRate,
          better: 'higher',
          target: TARGET,
        },
      ],
      notes: [
        `local resource maxConcurrent ${concurrency}${local.settings.maxConcurrent === undefined ? ' (its default: the CPU count)' : ''}, for Cairn and the baseline alike;` +
          ` jobs run ${withTime ? 'under GNU time (as the executor runs them when it is installed)' : 'as bash job.sh (no GNU time)'}`,
        `per round, Cairn/direct jobs/s: ${cairn.map((r, i) => fmt(baseline[i]! / r.seconds, 2)).join(', ')}; ` +
          `Cairn ${cairn.map((r) => `${fmt(r.seconds, 2)} s`).join(', ')}; direct ${baseline.map((s) => `${fmt(s, 2)} s`).join(', ')}`,
        `Cairn's time ends at the last analysis's updatedAt (when the server recorded it completed); the benchmark's` +
          ` 50 ms poll saw it at ${cairn.map((r) => `${fmt(r.polledSeconds, 2)} s`).join(', ')}`,
        ...(cpu.length === 0
          ? []
          : [
              `server CPU per job (the cairn serve process, API and embedded agent): ${fmt((mean(cpu) * 1000) / jobs, 1)} ms`,
            ]),
        `${rounds} rounds of direct → Cairn after a warm-up of ${WARMUP_JOBS} analyses; figures are means over rounds; ` +
          'the job directories of the baseline are written before its clock starts, Cairn writes its own inside',
        loadNote(loadBefore),
        ...(standard ? [] : ['NOT the standard settings (200 jobs, 3 rounds): compare with care']),
        ...(profileDir === undefined
          ? []
          : [
              `CPU profile of the server in ${path.relative(REPO_ROOT, profileDir)}/ (the profiler slows it down)`,
            ]),
        ...(lab.command.note === null
          ? []
          : [`the server ran through tsx: ${lab.command.note.split('\n')[0]}`]),
      ],
      details: { jobs, rounds, concurrency, withTime, baselineSeconds: baseline, cairn },
    };
  } finally {
    await lab.close();
  }
}

export const localJobs: Benchmark = {
  name: 'local-jobs',
  description: '200 trivial analyses run by the local executor vs the same 200 job scripts spawned directly',
  run,
};
