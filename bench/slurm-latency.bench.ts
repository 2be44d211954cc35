/**
 * slurm-latency: how long after a job ends in Slurm Cairn shows its analysis completed. 50 analyses of a
 * short type (sleep 2 s and a random part of a second, then print the time) asked for in one batch on a Slurm resource served by a real
 * `cairn agent` process. Each job prints `date +%s.%N` as its command's last action, which is its end to the
 * nanosecond (Slurm's own End is to the second); Cairn's moment is the analysis's `updatedAt`, written in the
 * transaction that recorded it completed. Baseline, on the same jobs at the same time: a plain `squeue` loop at
 * the agent's poll interval, and the moment it first shows each job in a final state. Target: p50 under 3 s
 * (absolute: the row's baseline is that budget); p50 and p99 against the squeue loop for information.
 *
 * Skipped when Slurm does not answer. Knobs, for investigation only: BENCH_LATENCY_JOBS (50),
 * BENCH_AGENT_POLL_MS (1000, the agent's default).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Analysis } from '../src/modules/compute/analyses.schema.js';
import {
  readBatch,
  requestBatch,
  startAnalysisLab,
  startSlurmAgent,
  trivialAnalysisType,
  waitUntilNoneIn,
  type ResourceAgent,
} from './support/analysis-lab.js';
import {
  BenchmarkFailure,
  skipped,
  type Benchmark,
  type BenchmarkContext,
  type BenchmarkOutcome,
} from './support/benchmark.js';
import { percentile } from './support/child.js';
import { envNumber, fmt, loadAverage, loadNote } from './support/common.js';
import { mapConcurrently } from './support/http.js';
import { FINAL_STATES, queueStatesByName, requireJobRoom, slurmUnavailable } from './support/slurm.js';

const BUDGET_MS = 3000;
const TYPE = 'bench-end-stamp';
const WARMUP_JOBS = 5;
const JOB_SECONDS = 2;

/**
 * The baseline observer: polls `squeue` for the named jobs every `pollMs` and notes when it first shows each
 * in a final state (or no longer lists one it listed). `finish` lets it go on until it has seen every job
 * end (Cairn may have seen the last ones first), for at most `timeoutMs`.
 */
function watchQueue(
  names: readonly string[],
  pollMs: number,
): { finish(timeoutMs: number): Promise<Map<string, number>> } {
  const endedAt = new Map<string, number>();
  const listed = new Set<string>();
  let deadline = Number.POSITIVE_INFINITY;
  const loop = (async () => {
    while (endedAt.size < names.length && Date.now() < deadline) {
      const started = Date.now();
      const states = await queueStatesByName(names);
      const now = Date.now();
      for (const name of names) {
        if (endedAt.has(name)) continue;
        const state = states.get(name);
        if (state !== undefined) listed.add(name);
        if ((state !== undefined && FINAL_STATES.has(state)) || (state === undefined && listed.has(name))) {
          endedAt.set(name, now);
        }
      }
      await sleep(Math.max(0, pollMs - (Date.now() - started)));
    }
  })();
  return {
    finish: async (timeoutMs) => {
      deadline = Date.now() + timeoutMs;
      await loop;
      return endedAt;
    },
  };
}

/** The end the job printed (`date +%s.%N`, the last line of its stdout), in epoch milliseconds. */
function printedEnd(analysis: Analysis): number {
  const line = (analysis.job?.stdoutTail ?? '').trim().split('\n').at(-1) ?? '';
  if (!/^\d+\.\d+$/.test(line)) {
    throw new BenchmarkFailure(
      `analysis ${analysis.id} printed no end time (stdout tail: ${JSON.stringify(line)})`,
    );
  }
  return Number(line) * 1000;
}

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const unavailable = await slurmUnavailable();
  if (unavailable !== null) {
    context.log(`skipped: ${unavailable}`);
    return skipped(unavailable);
  }
  const jobs = envNumber('BENCH_LATENCY_JOBS', 50);
  const pollMs = envNumber('BENCH_AGENT_POLL_MS', 1000);
  await requireJobRoom(jobs + WARMUP_JOBS);
  const loadBefore = loadAverage();
  const lab = await startAnalysisLab({
    samples: jobs,
    analysisTypes: [
      trivialAnalysisType(
        TYPE,
        `Sleeps ${JOB_SECONDS} to ${JOB_SECONDS + 1} s, then prints the time: its end, to the nanosecond.`,
        // The random part spreads the ends over the second: jobs start on the scheduler's one-second beat, and
        // ends on the beat would sit at one fixed phase of each poll loop.
        ['bash', '-c', `sleep "$(printf '${JOB_SECONDS}.%03d' $((RANDOM % 1000)))"; date +%s.%N`],
      ),
    ],
    log: context.log,
  });
  let agent: ResourceAgent | null = null;
  try {
    agent = await startSlurmAgent(lab, { name: 'bench-slurm', pollMs });
    const running = agent;
    const waitForEndings = (what: string) =>
      waitUntilNoneIn(lab.api, running.resourceId, ['queued', 'submitted', 'running'], {
        pollMs: 500,
        timeoutMs: 600_000,
        what,
        describe: () => running.output().slice(-2000),
      });
    context.log(`cairn agent serving ${agent.resourceName}; warm-up: ${WARMUP_JOBS} analyses to completion`);
    const warmup = await requestBatch(lab.api, {
      sampleIds: lab.sampleIds.slice(0, WARMUP_JOBS),
      analysisType: TYPE,
      resourceId: agent.resourceId,
    });
    await waitForEndings('the warm-up analyses completing');
    await readBatch(lab.api, agent.resourceId, warmup, ['completed']);

    context.log(
      `${jobs} analyses of ${JOB_SECONDS} s, watched by Cairn and by a squeue loop every ${pollMs} ms`,
    );
    const batch = await requestBatch(lab.api, {
      sampleIds: lab.sampleIds.slice(0, jobs),
      analysisType: TYPE,
      resourceId: agent.resourceId,
    });
    const names = batch.analyses.map((analysis) => `cairn-${analysis.job?.id ?? ''}`);
    const watcher = watchQueue(names, pollMs);
    await waitForEndings(`${jobs} analyses ending`);
    const seenBySqueue = await watcher.finish(30_000);
    await readBatch(lab.api, agent.resourceId, batch, ['completed']);
    const analyses = await mapConcurrently(batch.analyses, 4, (summary) =>
      lab.api.request<Analysis>('GET', `/api/analyses/${summary.id}`),
    );

    const cairnMs: number[] = [];
    const squeueMs: number[] = [];
    for (const analysis of analyses) {
      const end = printedEnd(analysis);
      cairnMs.push(Date.parse(analysis.updatedAt) - end);
      const seen = seenBySqueue.get(`cairn-${analysis.job?.id ?? ''}`);
      if (seen === undefined)
        throw new BenchmarkFailure(`the squeue loop never saw analysis ${analysis.id} end`);
      squeueMs.push(seen - end);
    }
    cairnMs.sort((a, b) => a - b);
    squeueMs.sort((a, b) => a - b);
    const stats = (values: readonly number[]) => ({
      p50: percentile(values, 50),
      p99: percentile(values, 99),
      min: values[0] ?? Number.NaN,
      max: values.at(-1) ?? Number.NaN,
    });
    const c = stats(cairnMs);
    const s = stats(squeueMs);
    const figureLabel =
      "Cairn: the job's printed end → its analysis recorded completed (updatedAt), via cairn agent";
    const squeueLabel = `the job's printed end → a plain squeue loop every ${pollMs} ms shows it ended`;
    const standard = jobs === 50 && pollMs === 1000;
    return {
      comparisons: [
        {
          metric: 'end → completed p50',
          unit: 'ms',
          figureLabel,
          figure: c.p50,
          baselineLabel: 'fixed budget (3 s), not a measurement',
          baseline: BUDGET_MS,
          better: 'lower',
          target: 1,
        },
        {
          metric: 'end → seen p50',
          unit: 'ms',
          figureLabel,
          figure: c.p50,
          baselineLabel: squeueLabel,
          baseline: s.p50,
          better: 'lower',
          target: null,
        },
        {
          metric: 'end → seen p99',
          unit: 'ms',
          figureLabel,
          figure: c.p99,
          baselineLabel: squeueLabel,
          baseline: s.p99,
          better: 'lower',
          target: null,
        },
      ],
      notes: [
        `${jobs} jobs in one batch (each sleeps ${JOB_SECONDS}–${JOB_SECONDS + 1} s, then prints its end), after a warm-up of ${WARMUP_JOBS}; ` +
          `cairn agent as its own process, --poll-ms ${pollMs}; the squeue loop runs beside it on the same jobs`,
        `Cairn: min ${fmt(c.min)} ms, p50 ${fmt(c.p50)} ms, p99 ${fmt(c.p99)} ms, max ${fmt(c.max)} ms; ` +
          `squeue loop: min ${fmt(s.min)} ms, p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms` +
          ` (p99 of ${jobs} values is the ${Math.ceil(0.99 * jobs)}th smallest)`,
        loadNote(loadBefore),
        ...(standard ? [] : ['NOT the standard settings (50 jobs, poll 1000 ms): compare with care']),
        ...(lab.command.note === null
          ? []
          : [`the server ran through tsx: ${lab.command.note.split('\n')[0]}`]),
      ],
      details: { jobs, pollMs, cairnMs, squeueMs },
    };
  } finally {
    await agent?.stop();
    await lab.close();
  }
}

export const slurmLatency: Benchmark = {
  name: 'slurm-latency',
  description:
    "latency from a Slurm job's end to its analysis completed in Cairn (p50, p99) vs a squeue loop",
  run,
};
