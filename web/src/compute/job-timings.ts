/**
 * The queue wait and run time of finished jobs, from the analyses a list answers (their current job's
 * times): wait = started − queued, duration = ended − started, in seconds. Jobs that never started (cancelled
 * in the queue) have neither and are left out. Pure functions without imports, so the tests (type-checked as
 * Node code) can load them; an analysis is read through the few fields used.
 */

/** What the timings read of an analysis in a list (`AnalysisSummary` has these). */
export interface TimedAnalysis {
  readonly id: string;
  readonly job: {
    readonly queuedAt: string;
    readonly startedAt: string | null;
    readonly endedAt: string | null;
  } | null;
}

export interface JobTiming {
  readonly analysisId: string;
  /** When the job was queued: the chart's axis. */
  readonly queuedAt: string;
  readonly waitSeconds: number;
  readonly durationSeconds: number;
}

const secondsBetween = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

/** The most recent `limit` finished jobs' timings, oldest first (as a chart reads left to right). */
export function jobTimingsOf(analyses: readonly TimedAnalysis[], limit: number): JobTiming[] {
  const timings: JobTiming[] = [];
  for (const analysis of analyses) {
    const job = analysis.job;
    if (!job?.startedAt || !job.endedAt) continue;
    timings.push({
      analysisId: analysis.id,
      queuedAt: job.queuedAt,
      waitSeconds: secondsBetween(job.queuedAt, job.startedAt),
      durationSeconds: secondsBetween(job.startedAt, job.endedAt),
    });
  }
  timings.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  return timings.slice(-limit);
}

/** The median of some numbers (null for none). */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A number of seconds as people read it: "0.4 s", "42 s", "3 min 5 s", "2 h 10 min". */
export function formatSeconds(seconds: number): string {
  if (seconds < 9.95) return `${(Math.round(seconds * 10) / 10).toString()} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) {
    const rest = whole % 60;
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  }
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes === 0 ? `${hours} h` : `${hours} h ${restMinutes} min`;
}
