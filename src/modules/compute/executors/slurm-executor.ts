/**
 * The Slurm executor: runs a job's prepared work directory with `sbatch`, follows all jobs with one `squeue`
 * a poll, takes the final state, exit code, times, CPU time and peak memory of ended jobs from accounting
 * (`sacct`; without slurmdbd, `sacct -c`, which reads the jobcomp file), and cancels with `scancel`. Every
 * command is spawned asynchronously with an argument vector, never through a shell.
 *
 * A job Slurm no longer lists is never taken for a success: its accounting record decides, and one that has
 * none (after waiting a bounded time, since accounting lags the queue by a second or two) ends failed with a
 * reason that says so. When Slurm cannot be asked at all, `observe` fails and concludes nothing.
 */
import path from 'node:path';
import { runProgram } from '../../../processes/run-program.js';
import { inheritedEnvironment, type JobVariables } from './job-environment.js';
import {
  SchedulerUnavailable,
  type Executor,
  type ExecutorJob,
  type ExecutorResourceSettings,
  type JobObservation,
  type SubmittedJob,
} from './executor.js';
import { JOB_SCRIPT, STDERR_LOG, STDOUT_LOG, readExitCode } from './job-directory.js';
import { schedulerJobName } from './job-spec.js';
import {
  ACCOUNTING_FIELDS,
  QUEUE_FORMAT,
  activePhase,
  commandExitCode,
  endReason,
  isFinalState,
  outcomeOf,
  parseAccounting,
  parseExitCode,
  parseQueue,
  parseSubmittedId,
  type AccountingRecord,
  type QueueEntry,
  type SlurmExitCode,
} from './slurm-states.js';

/** Where the Slurm commands are, when they are not on PATH. */
export interface SlurmCommands {
  readonly sbatch: string;
  readonly squeue: string;
  readonly sacct: string;
  readonly scontrol: string;
  readonly scancel: string;
}

export interface SlurmExecutorOptions {
  readonly commands?: Partial<SlurmCommands>;
  /**
   * How long `observe` keeps asking accounting about a job that has left the queue before it concludes
   * from what it has: accounting records arrive a second or two after the job ends.
   */
  readonly accountingWaitMs?: number;
  /** Set in every job's environment (where the BLAST database is), beside what sbatch hands on. */
  readonly jobVariables?: JobVariables;
}

/** Slurm queues what it cannot run yet, so without a setting the agent may hand it many jobs. */
const DEFAULT_CAPACITY = 1000;
const DEFAULT_ACCOUNTING_WAIT_MS = 10_000;
const ACCOUNTING_RETRY_MS = 250;
const COMMAND_TIMEOUT_MS = 60_000;
const FIND_WINDOW = 'now-30days';

/** What Slurm's commands print when they cannot reach slurmctld (or slurmdbd). */
const UNREACHABLE =
  /Unable to contact slurm controller|Socket timed out|Connection refused|Zero Bytes were transmitted|Communication connection failure/i;

/**
 * Slurm could not be asked (controller down, command missing): nothing about the jobs may be concluded, and
 * a submission may or may not have reached it.
 */
export class SlurmUnavailableError extends SchedulerUnavailable {
  override readonly name = 'SlurmUnavailableError';
}

interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Slurm's commands get the agent's Slurm settings and the job environment (sbatch hands its environment to the
 * job: never the agent's token), with times in UTC and in Slurm's standard form.
 */
const SLURM_ENVIRONMENT = {
  ...inheritedEnvironment(process.env, ['SLURM_']),
  TZ: 'UTC',
  SLURM_TIME_FORMAT: 'standard',
};

/** sbatch's --export of the job variables on top of the whole environment (values with commas cannot be). */
function exportOf(variables: JobVariables): string[] {
  const pairs = Object.entries(variables).filter(([, value]) => !value.includes(','));
  return pairs.length === 0
    ? []
    : [`--export=ALL,${pairs.map(([name, value]) => `${name}=${value}`).join(',')}`];
}

async function runCommand(command: string, args: readonly string[]): Promise<CommandResult> {
  const result = await runProgram(command, args, {
    env: SLURM_ENVIRONMENT,
    timeoutMs: COMMAND_TIMEOUT_MS,
  }).catch((error: Error) => {
    throw new SlurmUnavailableError(`${command} could not be started: ${error.message}`);
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function describeFailure(command: string, result: CommandResult): string {
  const said = result.stderr.trim() || result.stdout.trim() || 'nothing';
  return `${command} exited with ${result.status ?? 'a signal'}: ${said}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How accounting is read: through slurmdbd, or only the jobcomp file (`sacct -c`) on clusters without it. */
type AccountingSource = 'slurmdbd' | 'jobcomp';

export class SlurmExecutor implements Executor {
  readonly capacity: number;
  private readonly commands: SlurmCommands;
  private readonly accountingWaitMs: number;
  private readonly jobVariables: JobVariables;
  private accountingSource: AccountingSource = 'slurmdbd';

  /** `settings` are the resource's scheduler settings (partition, account, the most jobs at once). */
  constructor(
    private readonly settings: ExecutorResourceSettings,
    options: SlurmExecutorOptions = {},
  ) {
    this.capacity = settings.maxConcurrent ?? DEFAULT_CAPACITY;
    this.commands = {
      sbatch: 'sbatch',
      squeue: 'squeue',
      sacct: 'sacct',
      scontrol: 'scontrol',
      scancel: 'scancel',
      ...options.commands,
    };
    this.accountingWaitMs = options.accountingWaitMs ?? DEFAULT_ACCOUNTING_WAIT_MS;
    this.jobVariables = options.jobVariables ?? {};
  }

  /**
   * Hands the prepared `job.sh` to sbatch, its logs and working directory in the job's work directory. Fails
   * with `SlurmUnavailableError` when the controller cannot be reached, and with an error naming Slurm's
   * reason when it refuses the job (an unknown partition, more memory than any node has).
   */
  async submit(job: ExecutorJob): Promise<SubmittedJob> {
    const args = [
      '--parsable',
      `--job-name=${schedulerJobName(job.jobId)}`,
      `--chdir=${job.workDir}`,
      `--output=${path.join(job.workDir, STDOUT_LOG)}`,
      `--error=${path.join(job.workDir, STDERR_LOG)}`,
      `--cpus-per-task=${job.resources.cpus}`,
      `--mem=${job.resources.memory}`,
      `--time=${job.resources.time}`,
      ...(this.settings.partition !== undefined ? [`--partition=${this.settings.partition}`] : []),
      ...(this.settings.account !== undefined ? [`--account=${this.settings.account}`] : []),
      ...exportOf(this.jobVariables),
      path.join(job.workDir, JOB_SCRIPT),
    ];
    const result = await runCommand(this.commands.sbatch, args);
    const externalId = result.status === 0 ? parseSubmittedId(result.stdout) : null;
    if (externalId !== null) return { ...job, externalId };
    if (UNREACHABLE.test(result.stderr)) {
      // The job may have reached the controller before the answer was lost: `find` says, before a retry.
      throw new SlurmUnavailableError(describeFailure('sbatch', result));
    }
    throw new Error(`Slurm refused the job: ${describeFailure('sbatch', result)}`);
  }

  /**
   * The job Slurm knows by the job's name: in the queue (with finished jobs, for MinJobAge), else in
   * accounting of the last 30 days (an agent is not down for longer; a search of all history by name would
   * scan a big cluster's whole job table). The latest one if it was submitted more than once.
   */
  async find(job: ExecutorJob): Promise<SubmittedJob | null> {
    const name = schedulerJobName(job.jobId);
    const queue = await this.queue(['--name', name]);
    const fromQueue = queue.filter((entry) => entry.name === name).map((entry) => entry.jobId);
    let ids = fromQueue;
    if (ids.length === 0) {
      const records = await this.accounting(['--name', name, '--starttime', FIND_WINDOW]);
      ids = records.filter((record) => record.name === name).map((record) => record.jobId);
    }
    if (ids.length === 0) return null;
    const latest = ids.reduce((a, b) => (Number(b) > Number(a) ? b : a));
    return { ...job, externalId: latest };
  }

  /**
   * One squeue for all jobs; the ones it shows ended, or no longer shows, are looked up in accounting
   * together, again every quarter second up to `accountingWaitMs` while a record is missing or not final.
   * A queue entry or record under another job's name (Slurm reuses ids after losing its state) does not count.
   */
  async observe(jobs: readonly SubmittedJob[]): Promise<Map<string, JobObservation>> {
    const observations = new Map<string, JobObservation>();
    if (jobs.length === 0) return observations;
    const queue = await this.queue(['--jobs', jobs.map((job) => job.externalId).join(',')]);
    const listed = new Map(queue.map((entry) => [entry.jobId, entry]));

    const ended: { job: SubmittedJob; entry: QueueEntry | null }[] = [];
    for (const job of jobs) {
      const entry = listed.get(job.externalId);
      const own = entry !== undefined && entry.name === schedulerJobName(job.jobId) ? entry : null;
      if (own !== null && !isFinalState(own.state)) {
        observations.set(job.jobId, {
          phase: activePhase(own.state),
          schedulerState: own.state,
          reason: own.reason,
          startedAt: activePhase(own.state) === 'running' ? own.startedAt : null,
        });
      } else {
        ended.push({ job, entry: own });
      }
    }
    if (ended.length === 0) return observations;

    const deadline = Date.now() + this.accountingWaitMs;
    let records = new Map<string, AccountingRecord>();
    for (;;) {
      const found = await this.accounting(['--jobs', ended.map(({ job }) => job.externalId).join(',')]);
      records = new Map(found.map((record) => [record.jobId, record]));
      const complete = ended.every(({ job }) => {
        const record = records.get(job.externalId);
        return (
          record !== undefined &&
          record.name === schedulerJobName(job.jobId) &&
          isFinalState(record.state) &&
          record.endedAt !== null
        );
      });
      if (complete || Date.now() >= deadline) break;
      await sleep(ACCOUNTING_RETRY_MS);
    }

    for (const { job, entry } of ended) {
      const found = records.get(job.externalId);
      const record = found !== undefined && found.name === schedulerJobName(job.jobId) ? found : null;
      observations.set(job.jobId, await this.conclude(job, entry, record));
    }
    return observations;
  }

  /** Asks Slurm to stop the job; it is then observed as CANCELLED. */
  async cancel(job: SubmittedJob): Promise<void> {
    const result = await runCommand(this.commands.scancel, [job.externalId]);
    if (result.status !== 0) throw new Error(describeFailure('scancel', result));
  }

  /** Slurm tells nobody when a job changes: the agent polls `observe`. */
  onChange(_listener: (jobId: string) => void): void {}

  async close(): Promise<void> {}

  /** The ending of a job that has left the queue or shows a final state there. */
  private async conclude(
    job: SubmittedJob,
    entry: QueueEntry | null,
    record: AccountingRecord | null,
  ): Promise<JobObservation> {
    const fileExitCode = await readExitCode(job.workDir);
    if (record !== null && isFinalState(record.state) && record.endedAt !== null) {
      // The queue's reason (JobLaunchFailure) is more telling than accounting's, which is often None.
      return this.ended(record.state, record.exitCode, entry?.reason ?? record.reason, fileExitCode, {
        startedAt: record.startedAt,
        endedAt: record.endedAt,
        cpuSeconds: record.cpuSeconds,
        peakMemoryBytes: record.peakMemoryBytes,
      });
    }
    if (entry !== null) {
      // Ended in the queue, but accounting has no final record yet (or there is no accounting): the
      // controller still holds the job and its exit code.
      const shown = await this.controllerView(job.externalId);
      return this.ended(entry.state, shown.exitCode, entry.reason, fileExitCode, {
        startedAt: entry.startedAt,
        endedAt: entry.endedAt,
        cpuSeconds: null,
        peakMemoryBytes: null,
      });
    }
    const last = record === null ? 'has no record of it' : `last saw it ${record.state}`;
    return {
      phase: 'ended',
      outcome: 'failed',
      schedulerState: record?.state ?? 'UNKNOWN',
      exitCode: null,
      reason: `Slurm no longer knows job ${job.externalId} and its accounting ${last}: the job is lost`,
      startedAt: record?.startedAt ?? null,
      endedAt: null,
      cpuSeconds: record?.cpuSeconds ?? null,
      peakMemoryBytes: record?.peakMemoryBytes ?? null,
    };
  }

  private ended(
    state: string,
    slurmExitCode: SlurmExitCode | null,
    schedulerReason: string | null,
    fileExitCode: number | null,
    usage: Pick<
      Extract<JobObservation, { phase: 'ended' }>,
      'startedAt' | 'endedAt' | 'cpuSeconds' | 'peakMemoryBytes'
    >,
  ): JobObservation {
    const outcome = outcomeOf(state);
    const exitCode = commandExitCode(state, slurmExitCode);
    let reason = endReason(state, schedulerReason, slurmExitCode);
    // The job script's own record of its command's exit code, as a cross-check: Slurm's word stands.
    if (exitCode !== null && fileExitCode !== null && fileExitCode !== exitCode) {
      reason = `${reason ?? state}; the job's exit-code file says ${fileExitCode}`;
    }
    return { phase: 'ended', outcome, schedulerState: state, exitCode, reason, ...usage };
  }

  /** squeue with finished jobs; an id Slurm has forgotten is no error, only absent from the answer. */
  private async queue(selection: readonly string[]): Promise<QueueEntry[]> {
    const result = await runCommand(this.commands.squeue, [
      '--noheader',
      '--states=all',
      `--format=${QUEUE_FORMAT}`,
      ...selection,
    ]);
    if (result.status === 0) return parseQueue(result.stdout);
    if (/Invalid job id specified/i.test(result.stderr)) return [];
    throw new SlurmUnavailableError(describeFailure('squeue', result));
  }

  /** Accounting records; from the jobcomp file once slurmdbd turns out to be absent. */
  private async accounting(selection: readonly string[]): Promise<AccountingRecord[]> {
    if (this.accountingSource === 'slurmdbd') {
      const result = await runCommand(this.commands.sacct, [
        '--noheader',
        '--parsable2',
        `--format=${ACCOUNTING_FIELDS}`,
        ...selection,
      ]);
      if (result.status === 0) return parseAccounting(result.stdout);
      if (!/accounting storage is disabled/i.test(result.stderr)) {
        throw new SlurmUnavailableError(describeFailure('sacct', result));
      }
      this.accountingSource = 'jobcomp';
    }
    const result = await runCommand(this.commands.sacct, [
      '--completion',
      '--noheader',
      '--parsable2',
      `--format=${ACCOUNTING_FIELDS}`,
      ...selection,
    ]);
    if (result.status !== 0) throw new SlurmUnavailableError(describeFailure('sacct -c', result));
    return parseAccounting(result.stdout);
  }

  /** The controller's own view of one job (`scontrol show job`), for its exit code. */
  private async controllerView(externalId: string): Promise<{ exitCode: SlurmExitCode | null }> {
    const result = await runCommand(this.commands.scontrol, ['--oneliner', 'show', 'job', externalId]);
    if (result.status !== 0) return { exitCode: null };
    return { exitCode: parseExitCode(/\bExitCode=(\S+)/.exec(result.stdout)?.[1]) };
  }
}
