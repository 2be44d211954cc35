/**
 * What a benchmark is and what it reports. Every figure is compared with a baseline measured in the same
 * run (the machine is shared and noisy, so absolute numbers carry little), and the ratio figure/baseline is
 * checked against the target.
 */

export interface Comparison {
  /** What is measured, e.g. "throughput" or "latency p99". */
  readonly metric: string;
  /** The unit of figure and baseline, e.g. "req/s" or "ms". */
  readonly unit: string;
  /** What the figure is, e.g. "Cairn GET /api/projects/:id". */
  readonly figureLabel: string;
  readonly figure: number;
  /** What the baseline is, e.g. "bare Fastify, constant JSON". */
  readonly baselineLabel: string;
  readonly baseline: number;
  /** "higher": the ratio must be at least the target (throughput); "lower": at most (latency, time). */
  readonly better: 'higher' | 'lower';
  /** The ratio figure/baseline to reach; null: shown for information only. */
  readonly target: number | null;
}

export interface BenchmarkOutcome {
  readonly comparisons: readonly Comparison[];
  /** Lines printed under the table: conditions (log level, sizes) and secondary figures (latency). */
  readonly notes: readonly string[];
  /** Anything else worth keeping in results/latest.json. */
  readonly details: Record<string, unknown>;
}

export interface Benchmark {
  /** Its name on the command line (`npm run bench -- <name>`). */
  readonly name: string;
  readonly description: string;
  run(context: BenchmarkContext): Promise<BenchmarkOutcome>;
}

export interface BenchmarkContext {
  /** Progress messages (stderr), kept apart from the results table. */
  readonly log: (message: string) => void;
}

/**
 * The outcome of a benchmark that cannot run on this machine (e.g. no Slurm): no comparisons, the reason in the
 * notes; shown as SKIP and not counted as a miss.
 */
export function skipped(reason: string): BenchmarkOutcome {
  return { comparisons: [], notes: [`SKIPPED: ${reason}`], details: { skipped: reason } };
}

/** A benchmark that could not produce an honest figure (e.g. the endpoint answered errors) throws this. */
export class BenchmarkFailure extends Error {}

export type Verdict = 'PASS' | 'MISS' | 'INFO';

export function ratioOf(comparison: Comparison): number {
  return comparison.figure / comparison.baseline;
}

export function verdictOf(comparison: Comparison): Verdict {
  if (comparison.target === null) return 'INFO';
  const ratio = ratioOf(comparison);
  const met = comparison.better === 'higher' ? ratio >= comparison.target : ratio <= comparison.target;
  return met ? 'PASS' : 'MISS';
}
