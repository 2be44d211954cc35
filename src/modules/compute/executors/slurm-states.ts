/**
 * What Slurm says about jobs, read and put in Cairn's words: the lines of `squeue`, `sacct` and `sbatch
 * --parsable` as the Slurm executor asks for them, and the mapping of Slurm's job states onto a job's
 * phase and outcome. Pure functions, so that the parsing is tested on output captured from a real cluster.
 *
 * Slurm prints times in the local time zone without saying which; the executor runs its commands with
 * `TZ=UTC`, so the times read here are UTC.
 */
import type { JobOutcome } from './executor.js';

/** The squeue columns the executor asks for: job id, state, reason, start, end, then the name (which may hold `|`). */
export const QUEUE_FORMAT = '%i|%T|%r|%S|%e|%j';

/** The sacct columns the executor asks for, the name last for the same reason. */
export const ACCOUNTING_FIELDS = 'JobIDRaw,State,ExitCode,Start,End,TotalCPU,MaxRSS,Reason,JobName';

/** One job as squeue lists it (with `--states=all`, finished jobs too, for MinJobAge seconds). */
export interface QueueEntry {
  readonly jobId: string;
  readonly name: string;
  readonly state: string;
  readonly reason: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

/** Slurm's `code:signal` pair. */
export interface SlurmExitCode {
  readonly code: number;
  readonly signal: number;
}

/** One job as accounting recorded it, its steps folded in. */
export interface AccountingRecord {
  readonly jobId: string;
  readonly name: string;
  /** The state's first word: `CANCELLED by 0` is CANCELLED. */
  readonly state: string;
  readonly exitCode: SlurmExitCode | null;
  readonly reason: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly cpuSeconds: number | null;
  /** The largest MaxRSS of the job's steps. */
  readonly peakMemoryBytes: number | null;
}

const ACTIVE_STATES = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'RESIZING',
  'REQUEUED',
  'REQUEUE_FED',
  'REQUEUE_HOLD',
  'SIGNALING',
  'STAGE_OUT',
  'STOPPED',
  'RESV_DEL_HOLD',
]);

/** Whether Slurm is done with a job in this state (COMPLETING is not: its processes may still run). */
export function isFinalState(state: string): boolean {
  return !ACTIVE_STATES.has(state);
}

/** The phase of a job Slurm has not finished: pending until it has started. */
export function activePhase(state: string): 'pending' | 'running' {
  return state === 'PENDING' || state === 'REQUEUED' || state === 'REQUEUE_HOLD' || state === 'REQUEUE_FED'
    ? 'pending'
    : 'running';
}

/** Why Slurm ended a job in a state that is not its command's own failure, in a sentence. */
const STATE_REASONS: Readonly<Record<string, string>> = {
  TIMEOUT: 'The job ran past its time limit and Slurm stopped it',
  OUT_OF_MEMORY: 'The job used more memory than it asked for and Slurm stopped it',
  NODE_FAIL: 'The node running the job failed',
  PREEMPTED: 'Slurm preempted the job for another',
  BOOT_FAIL: 'The node for the job failed to boot',
  DEADLINE: 'The job could not finish before its deadline',
  CANCELLED: 'The job was cancelled',
  REVOKED: 'A federated sibling cluster took the job',
  SPECIAL_EXIT: 'The job ended in a special state and Slurm held it',
};

/** Cairn's outcome for a final Slurm state: only COMPLETED is a success, only CANCELLED a cancellation. */
export function outcomeOf(state: string): JobOutcome {
  if (state === 'COMPLETED') return 'completed';
  if (state === 'CANCELLED') return 'cancelled';
  return 'failed';
}

/**
 * The reason to give for a job that ended in `state`: nothing for a success; the scheduler's own reason
 * where it has one (`JobLaunchFailure`, `NonZeroExitCode`), else a sentence for the state.
 */
export function endReason(
  state: string,
  schedulerReason: string | null,
  exitCode: SlurmExitCode | null,
): string | null {
  if (state === 'COMPLETED') return null;
  const sentence = STATE_REASONS[state];
  if (state === 'FAILED' || sentence === undefined) {
    if (schedulerReason !== null) return schedulerReason;
    if (exitCode !== null && exitCode.signal !== 0) return `Ended by signal ${exitCode.signal}`;
    return exitCode !== null ? `Exited with code ${exitCode.code}` : `Slurm ended the job as ${state}`;
  }
  return schedulerReason !== null ? `${sentence} (${schedulerReason})` : sentence;
}

/**
 * The command's exit code: Slurm's code for a job that completed or failed on its own, when no signal ended
 * it. A job that Slurm stopped (cancelled, timed out: `0:0` on the job, the signal only on its step), that a
 * signal killed, or whose launch failed (`0:53`) has none.
 */
export function commandExitCode(state: string, exitCode: SlurmExitCode | null): number | null {
  if (state !== 'COMPLETED' && state !== 'FAILED') return null;
  if (exitCode === null || exitCode.signal !== 0) return null;
  return exitCode.code;
}

function orNull(text: string | undefined): string | null {
  if (text === undefined) return null;
  const value = text.trim();
  return value === '' || value === 'None' || value === '(null)' ? null : value;
}

/** A Slurm time stamp (`2026-12-02T16:04:55`, printed in UTC) as ISO-8601 UTC; null for Unknown/None/N/A. */
export function slurmTimeToIso(text: string | undefined): string | null {
  const value = orNull(text);
  if (value === null || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value)) return null;
  return new Date(`${value}Z`).toISOString();
}

/** `3:0` → { code: 3, signal: 0 }. */
export function parseExitCode(text: string | undefined): SlurmExitCode | null {
  const match = /^(\d+):(\d+)$/.exec((text ?? '').trim());
  if (match === null) return null;
  return { code: Number(match[1]), signal: Number(match[2]) };
}

/** sacct's elapsed form `[D-][HH:]MM:SS[.mmm]` in seconds. */
export function parseDuration(text: string | undefined): number | null {
  const match = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec((text ?? '').trim());
  if (match === null) return null;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(days) * 86_400 + Number(hours) * 3_600 + Number(minutes) * 60 + Number(seconds);
}

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  K: 1024,
  M: 1024 ** 2,
  G: 1024 ** 3,
  T: 1024 ** 4,
  P: 1024 ** 5,
};

/** sacct's memory form (`67708K`, `1.50G`, `0`) in bytes. */
export function parseMemory(text: string | undefined): number | null {
  const match = /^(\d+(?:\.\d+)?)([KMGTP]?)$/.exec((text ?? '').trim());
  if (match === null) return null;
  const [, amount = '0', unit = ''] = match;
  return Math.round(Number(amount) * (MEMORY_UNITS[unit] ?? 1));
}

/** The lines of `squeue -h -o QUEUE_FORMAT`. */
export function parseQueue(text: string): QueueEntry[] {
  const entries: QueueEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split('|');
    if (fields.length < 6) continue;
    const [jobId = '', state = '', reason, start, end] = fields;
    entries.push({
      jobId: jobId.trim(),
      name: fields.slice(5).join('|'),
      state: state.trim(),
      reason: orNull(reason),
      startedAt: slurmTimeToIso(start),
      endedAt: slurmTimeToIso(end),
    });
  }
  return entries;
}

interface AccountingLine {
  readonly id: string;
  readonly state: string;
  readonly exitCode: SlurmExitCode | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly cpuSeconds: number | null;
  readonly peakMemoryBytes: number | null;
  readonly reason: string | null;
  readonly name: string;
}

/**
 * The lines of `sacct -P -n -o ACCOUNTING_FIELDS`: a job's own line (`12`) and its steps' (`12.batch`,
 * `12.extern`, `12.0`) become one record, whose peak memory is its steps' largest.
 */
export function parseAccounting(text: string): AccountingRecord[] {
  const jobs = new Map<string, AccountingLine>();
  const peaks = new Map<string, number>();
  for (const line of text.split('\n')) {
    const fields = line.split('|');
    if (fields.length < 9) continue;
    const [id = '', state = '', exitCode, start, end, totalCpu, maxRss, reason] = fields;
    const parsed: AccountingLine = {
      id: id.trim(),
      state: state.trim().split(/\s+/)[0] ?? '',
      exitCode: parseExitCode(exitCode),
      startedAt: slurmTimeToIso(start),
      endedAt: slurmTimeToIso(end),
      cpuSeconds: parseDuration(totalCpu),
      peakMemoryBytes: parseMemory(maxRss),
      reason: orNull(reason),
      name: fields.slice(8).join('|'),
    };
    const dot = parsed.id.indexOf('.');
    const jobId = dot === -1 ? parsed.id : parsed.id.slice(0, dot);
    if (parsed.peakMemoryBytes !== null) {
      peaks.set(jobId, Math.max(peaks.get(jobId) ?? 0, parsed.peakMemoryBytes));
    }
    if (dot === -1) jobs.set(jobId, parsed);
  }
  return [...jobs.values()].map((job) => ({
    jobId: job.id,
    name: job.name,
    state: job.state,
    exitCode: job.exitCode,
    reason: job.reason,
    startedAt: job.startedAt,
    endedAt: job.endedAt,
    cpuSeconds: job.cpuSeconds,
    peakMemoryBytes: peaks.get(job.id) ?? job.peakMemoryBytes,
  }));
}

/** `sbatch --parsable` prints `<id>` or `<id>;<cluster>`. */
export function parseSubmittedId(text: string): string | null {
  const match = /^(\d+)(?:;\S+)?$/.exec(text.trim());
  return match === null ? null : (match[1] ?? null);
}
