/**
 * slurm-submit: 500 analyses of a trivial type (`true`) asked for in one `POST /api/analyses/batch` on a Slurm
 * resource served by a real `cairn agent` process; the clock runs from the request until none of them is
 * queued any more (every one handed to sbatch and reported). Baseline, in the same run: a plain sequential
 * loop of `sbatch --parsable` over 500 job directories of the same shape (the same job.sh and argument file),
 * with the executor's very arguments. Target: Cairn takes at most 1.5× the loop's time.
 *
 * Skipped when Slurm does not answer. The benchmark's jobs are cancelled by id between phases (never by
 * user: the cluster may be shared). Knobs, for investigation only: BENCH_SLURM_JOBS (500), BENCH_ROUNDS (2),
 * BENCH_AGENT_POLL_MS (1000, the agent's default), and BENCH_CPU_PROF=1, which writes V8 CPU profiles of the
 * server and of the agent to bench/results/profiles/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  prepareBaselineJobs,
  readBatch,
  requestBatch,
  startAnalysisLab,
  startSlurmAgent,
  trivialAnalysisType,
  waitUntilNoneIn,
  type AnalysisLab,
  type ResourceAgent,
} from './support/analysis-lab.js';
import {
  skipped,
  type Benchmark,
  type BenchmarkContext,
  type BenchmarkOutcome,
} from './support/benchmark.js';
import { envNumber, fmt, loadAverage, loadNote, mean } from './support/common.js';
import { cpuSecondsOf, REPO_ROOT } from './support/servers.js';
import { clearJobs, requireJobRoom, sbatch, sbatchArguments, slurmUnavailable } from './support/slurm.js';

const TARGET = 1.5;
const TRUE_TYPE = trivialAnalysisType('bench-true', 'Runs `true`: the cost of a job around nothing.', [
  'true',
]);
const WARMUP_JOBS = 10;

/** The baseline: `jobs` prepared directories submitted by a plain loop of sbatch; seconds and the job ids. */
async function sbatchLoop(round: number, jobs: number): Promise<{ seconds: number; ids: string[] }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-sbatch-'));
  try {
    const dirs = await prepareBaselineJobs(root, jobs, TRUE_TYPE);
    const ids: string[] = [];
    const start = performance.now();
    for (const [i, dir] of dirs.entries()) {
      ids.push(await sbatch(sbatchArguments(`cairn-bench-r${round}-${i}`, dir, TRUE_TYPE.resources)));
    }
    const seconds = (performance.now() - start) / 1000;
    await clearJobs(ids);
    return { seconds, ids };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

interface CairnRound {
  /** From the request until the poll saw none of the batch queued. */
  readonly seconds: number;
  /** How long the batch request itself took (500 analyses and jobs written in one transaction). */
  readonly requestSeconds: number;
  readonly serverCpuSeconds: number | null;
  readonly agentCpuSeconds: number | null;
}

/** Cairn's phase: the batch, the wait until all are submitted, then the jobs cancelled and their endings reported. */
async function submitThroughCairn(lab: AnalysisLab, agent: ResourceAgent, jobs: number): Promise<CairnRound> {
  const cpuBefore = cpuSecondsOf(lab.cairn.pid);
  const agentCpuBefore = cpuSecondsOf(agent.pid);
  const batch = await requestBatch(lab.api, {
    sampleIds: lab.sampleIds.slice(0, jobs),
    analysisType: TRUE_TYPE.name,
    resourceId: agent.resourceId,
  });
  const seen = await waitUntilNoneIn(lab.api, agent.resourceId, ['queued'], {
    pollMs: 100,
    timeoutMs: 600_000,
    what: `${jobs} analyses submitted to Slurm`,
    describe: () => agent.output().slice(-2000),
  });
  const cpuAfter = cpuSecondsOf(lab.cairn.pid);
  const agentCpuAfter = cpuSecondsOf(agent.pid);
  const submitted = await readBatch(lab.api, agent.resourceId, batch, ['submitted', 'running', 'completed']);
  await clearJobs(submitted.map((analysis) => analysis.job?.externalId ?? '').filter((id) => id !== ''));
  // The agent reports the endings (cancelled or completed) before the next phase starts.
  await waitUntilNoneIn(lab.api, agent.resourceId, ['queued', 'submitted', 'running'], {
    pollMs: 500,
    timeoutMs: 600_000,
    what: "the agent's reports of the cancelled jobs",
    describe: () => agent.output().slice(-2000),
  });
  return {
    seconds: (seen - batch.requestedAt) / 1000,
    requestSeconds: (batch.answeredAt - batch.requestedAt) / 1000,
    serverCpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    agentCpuSeconds:
      agentCpuBefore === null || agentCpuAfter === null ? null : agentCpuAfter - agentCpuBefore,
  };
}

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const unavailable = await slurmUnavailable();
  if (unavailable !== null) {
    context.log(`skipped: ${unavailable}`);
    return skipped(unavailable);
  }
  const jobs = envNumber('BENCH_SLURM_JOBS', 500);
  const rounds = envNumber('BENCH_ROUNDS', 2);
  const pollMs = envNumber('BENCH_AGENT_POLL_MS', 1000);
  // Each round submits the jobs twice (loop and Cairn); the warm-up adds its own.
  await requireJobRoom(2 * rounds * jobs + WARMUP_JOBS);
  const loadBefore = loadAverage();
  const profileDir =
    process.env.BENCH_CPU_PROF === '1' ? path.join(REPO_ROOT, 'bench', 'results', 'profiles') : undefined;
  const lab = await startAnalysisLab({
    samples: jobs,
    cpuProfileDir: profileDir,
    analysisTypes: [TRUE_TYPE],
    log: context.log,
  });
  let agent: ResourceAgent | null = null;
  try {
    agent = await startSlurmAgent(lab, { name: 'bench-slurm', pollMs, cpuProfileDir: profileDir });
    context.log(`cairn agent serving ${agent.resourceName}; warm-up: ${WARMUP_JOBS} analyses to completion`);
    const warmup = await requestBatch(lab.api, {
      sampleIds: lab.sampleIds.slice(0, WARMUP_JOBS),
      analysisType: TRUE_TYPE.name,
      resourceId: agent.resourceId,
    });
    const running = agent;
    await waitUntilNoneIn(lab.api, agent.resourceId, ['queued', 'submitted', 'running'], {
      pollMs: 200,
      timeoutMs: 120_000,
      what: 'the warm-up analyses completing',
      describe: () => running.output().slice(-2000),
    });
    await readBatch(lab.api, agent.resourceId, warmup, ['completed']);

    const baseline: number[] = [];
    const cairn: CairnRound[] = [];
    for (let round = 1; round <= rounds; round++) {
      baseline.push((await sbatchLoop(round, jobs)).seconds);
      context.log(`round ${round}/${rounds}: sbatch loop ${fmt(baseline.at(-1)!, 2)} s`);
      cairn.push(await submitThroughCairn(lab, agent, jobs));
      context.log(`round ${round}/${rounds}: through Cairn ${fmt(cairn.at(-1)!.seconds, 2)} s`);
    }

    const figure = mean(cairn.map((r) => r.seconds));
    const base = mean(baseline);
    const cpu = cairn.map((r) => r.serverCpuSeconds).filter((s): s is number => s !== null);
    const agentCpu = cairn.map((r) => r.agentCpuSeconds).filter((s): s is number => s !== null);
    const standard = jobs === 500 && rounds === 2 && pollMs === 1000;
    return {
      comparisons: [
        {
          metric: `time to submit ${jobs}`,
          unit: 's',
          figureLabel: `Cairn: ${jobs} analyses by the batch route, submitted by cairn agent (request → none queued)`,
          figure,
          baselineLabel: `a plain loop of sbatch --parsable over ${jobs} job scripts of the same shape`,
          baseline: base,
          better: 'lower',
          target: TARGET,
        },
      ],
      notes: [
        `cairn agent as its own process, --poll-ms ${pollMs}, the Slurm resource's default capacity; jobs ask for` +
          ` ${TRUE_TYPE.resources.cpus} CPU, ${TRUE_TYPE.resources.memory}, ${TRUE_TYPE.resources.time} and run \`true\` through job.sh`,
        `per round, Cairn/loop: ${cairn.map((r, i) => fmt(r.seconds / baseline[i]!, 2)).join(', ')}; ` +
          `Cairn ${cairn.map((r) => `${fmt(r.seconds, 2)} s`).join(', ')} (of which the batch request ` +
          `${cairn.map((r) => `${fmt(r.requestSeconds, 2)} s`).join(', ')}); loop ${baseline.map((s) => `${fmt(s, 2)} s`).join(', ')}`,
        ...(cpu.length === 0
          ? []
          : [
              `CPU per analysis until all were submitted: cairn serve ${fmt((mean(cpu) * 1000) / jobs, 1)} ms` +
                (agentCpu.length === 0
                  ? ''
                  : `, cairn agent ${fmt((mean(agentCpu) * 1000) / jobs, 1)} ms (its own process, not its sbatch children)`),
            ]),
        `${rounds} rounds of loop → Cairn after a warm-up of ${WARMUP_JOBS} analyses; Cairn's time is seen by a` +
          ' 100 ms poll of the API; jobs start running as they arrive (both phases), and the' +
          " benchmark's jobs are cancelled by id and drained between phases",
        loadNote(loadBefore),
        ...(standard
          ? []
          : ['NOT the standard settings (500 jobs, 2 rounds, poll 1000 ms): compare with care']),
        ...(profileDir === undefined
          ? []
          : [
              `CPU profiles of the server and the agent in ${path.relative(REPO_ROOT, profileDir)}/ (the profiler slows them down)`,
            ]),
        ...(lab.command.note === null
          ? []
          : [`the server ran through tsx: ${lab.command.note.split('\n')[0]}`]),
      ],
      details: { jobs, rounds, pollMs, baselineSeconds: baseline, cairn },
    };
  } finally {
    await agent?.stop();
    await lab.close();
  }
}

export const slurmSubmit: Benchmark = {
  name: 'slurm-submit',
  description:
    '500 analyses submitted to Slurm through the batch route and cairn agent vs a plain sbatch loop',
  run,
};
