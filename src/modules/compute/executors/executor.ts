/**
 * The executor interface: how an agent hands a job to the machine that runs it. Two implementations:
 * `local-executor.ts` (child processes on the agent's machine) and `slurm-executor.ts` (sbatch, squeue,
 * scontrol, sacct, scancel). An executor knows nothing of Cairn's database or API; the agent
 * (`agent/agent.ts`) claims jobs, prepares their directories (`job-directory.ts`), calls the executor and
 * reports what it observes.
 *
 * Glossary: a job's *work directory* holds `job.sh`, the argument files, `inputs/`, `outputs/`, `stdout.log`,
 * `stderr.log`, `tool-versions.txt` and, once the command has returned, `exit-code`. The *external id* is the
 * scheduler's job id (Slurm's job id; `local:<pid>` for the local executor).
 */
import type { JobResources } from './job-spec.js';

/**
 * The scheduler could not be asked (its controller is down, a command is missing): nothing about the jobs may
 * be concluded, and a submission may or may not have reached it. The agent tries again later (asking `find`
 * before it submits again) instead of failing the job.
 */
export class SchedulerUnavailable extends Error {}

/** A job as the executor is given it: the work directory is already prepared. */
export interface ExecutorJob {
  readonly jobId: string;
  readonly workDir: string;
  readonly resources: JobResources;
}

/** A job the executor has accepted. */
export interface SubmittedJob extends ExecutorJob {
  readonly externalId: string;
}

/** How a job ended, in Cairn's words. */
export type JobOutcome = 'completed' | 'failed' | 'cancelled';

/** What the executor sees of a job at one poll. */
export type JobObservation =
  | {
      readonly phase: 'pending' | 'running';
      /** The scheduler's word (PENDING, CONFIGURING, RUNNING, COMPLETING, …). */
      readonly schedulerState: string;
      readonly reason: string | null;
      readonly startedAt: string | null;
    }
  | {
      readonly phase: 'ended';
      readonly outcome: JobOutcome;
      /** COMPLETED, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, … as the scheduler said it. */
      readonly schedulerState: string;
      readonly exitCode: number | null;
      /** Why it failed or was cancelled: the scheduler's reason, or the executor's when it had to conclude. */
      readonly reason: string | null;
      readonly startedAt: string | null;
      readonly endedAt: string | null;
      readonly cpuSeconds: number | null;
      readonly peakMemoryBytes: number | null;
    };

export interface ExecutorResourceSettings {
  readonly partition?: string | undefined;
  readonly account?: string | undefined;
  readonly maxConcurrent?: number | undefined;
}

export interface Executor {
  /** How many jobs this executor will run at once; the agent claims no more than the free slots. */
  readonly capacity: number;
  /**
   * Starts a prepared job. The scheduler's job name is `cairn-<jobId>` (job-spec.ts `schedulerJobName`), so
   * that `find` can answer for a job submitted just before a crash.
   */
  submit(job: ExecutorJob): Promise<SubmittedJob>;
  /** The job the scheduler knows by `cairn-<jobId>`, if any: asked before submitting a job again after a restart. */
  find(job: ExecutorJob): Promise<SubmittedJob | null>;
  /**
   * The state of each job, one scheduler query for all where the scheduler allows. A job the scheduler no
   * longer knows is looked up in accounting, and if it is not there either it ends `failed` with a reason
   * saying so: never assumed to have succeeded.
   */
  observe(jobs: readonly SubmittedJob[]): Promise<Map<string, JobObservation>>;
  /** Asks the scheduler to stop the job; its ending is then observed like any other. */
  cancel(job: SubmittedJob): Promise<void>;
  /** Called with a job id whenever the executor learns early that a job changed (a child exited). */
  onChange(listener: (jobId: string) => void): void;
  /** Stops watching; running jobs are left running (a restarted agent adopts them). */
  close(): Promise<void>;
}
