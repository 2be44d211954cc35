/**
 * The agent (the seed's "HPC app"): serves one HPC resource. It adopts the jobs it left unfinished, claims
 * queued jobs up to its executor's free capacity, prepares each job's directory (script, argument files,
 * staged inputs), submits it, watches the scheduler, reports every state change, and when a job ends hands
 * over its outputs and logs before reporting the ending, so that an analysis is never `completed` without its
 * files. Its jobs' leases are renewed by its heartbeats; the answer names the jobs people asked to cancel.
 *
 * Nothing is kept only in memory: the server knows which jobs the agent holds and their scheduler ids, and
 * the scheduler knows the jobs by name (`cairn-<jobId>`). A restarted agent adopts its jobs, asks the scheduler
 * for any it may have submitted without reporting, and carries on; it never submits a job twice.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  SchedulerUnavailable,
  type Executor,
  type JobObservation,
  type SubmittedJob,
} from '../executors/executor.js';
import {
  collectOutputs,
  prepareJobDirectory,
  readLogTail,
  readToolVersions,
  STDERR_LOG,
  STDOUT_LOG,
} from '../executors/job-directory.js';
import type { JobSpec } from '../executors/job-spec.js';
import type { AgentJob, AgentPort, JobTail } from './agent-port.js';

export interface AgentLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface AgentOptions {
  readonly port: AgentPort;
  readonly executor: Executor;
  /** Where job directories are made: `<workRoot>/<jobId>`. */
  readonly workRoot: string;
  /** How often the scheduler is polled and queued jobs are looked for (a change the executor signals wakes it sooner). */
  readonly pollIntervalMs: number;
  /** How often the agent's heartbeat renews its leases. */
  readonly heartbeatIntervalMs: number;
  readonly log: AgentLog;
  /** Keep job directories after their jobs ended (for inspection); by default they are removed once reported. */
  readonly keepWorkDirs?: boolean;
}

/** A job the agent holds. */
interface HeldJob {
  spec: JobSpec;
  workDir: string;
  submitted: SubmittedJob | null;
  reportedRunning: boolean;
  cancelRequested: boolean;
  cancelSent: boolean;
  /** An ending observed but not yet reported (the server could not be reached): reported again next round. */
  ending: Extract<JobObservation, { phase: 'ended' }> | null;
  /** The scheduler could not be asked when the job was to be submitted: tried again (after `find`) next round. */
  submitPending: boolean;
}

/** Jobs prepared and submitted at once: a scheduler answers each sbatch in tens of milliseconds. */
const SUBMIT_PARALLELISM = 8;

export class Agent {
  private readonly held = new Map<string, HeldJob>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private lastHeartbeat = 0;

  constructor(private readonly options: AgentOptions) {
    options.executor.onChange(() => this.wake());
  }

  /** Adopts the jobs left unfinished, then runs until `stop`. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Runs a round at once instead of at the next poll: a job ended in the executor, or (`askServer`) the server
   * says jobs were queued or asked to cancel, which the round's heartbeat then learns.
   */
  wake(askServer = false): void {
    if (askServer) this.lastHeartbeat = 0;
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops after the current round; jobs keep running in the scheduler and are adopted at the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.options.executor.close();
  }

  /** The jobs the agent holds now (for tests and logs). */
  heldJobIds(): string[] {
    return [...this.held.keys()];
  }

  private async run(): Promise<void> {
    let adopted = false;
    while (this.running) {
      try {
        if (!adopted) {
          await this.adopt();
          adopted = true;
        }
        await this.round();
      } catch (error) {
        this.options.log.warn(`agent: ${describeError(error)}; trying again`);
      }
      await this.pause();
    }
  }

  private async pause(): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.pollIntervalMs);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = null;
    this.woken = false;
  }

  private async adopt(): Promise<void> {
    const jobs = await this.options.port.adopt();
    if (jobs.length > 0) this.options.log.info(`agent: carrying on with ${jobs.length} job(s)`);
    await this.takeOn(jobs);
  }

  /**
   * One round: heartbeat when due, claim and submit new jobs up to the free capacity, observe the scheduler,
   * cancel what was asked. New jobs go first: observing may wait for a scheduler's accounting to catch up.
   */
  private async round(): Promise<void> {
    if (Date.now() - this.lastHeartbeat >= this.options.heartbeatIntervalMs) await this.sendHeartbeat();
    for (const held of this.held.values()) {
      if (held.submitPending) {
        await this.submit(held, true).catch((error: unknown) => this.couldNotStart(held.spec, error));
      }
    }
    const free = this.options.executor.capacity - this.held.size;
    if (free > 0 && this.running) {
      const jobs = await this.options.port.claim(Math.min(free, 100));
      await this.takeOn(jobs);
      if (jobs.length === Math.min(free, 100) && jobs.length > 0) this.woken = true;
    }
    await this.observe();
    await this.cancelAsked();
  }

  private async sendHeartbeat(): Promise<void> {
    const tails: JobTail[] = [];
    for (const [jobId, job] of this.held) {
      if (job.submitted === null) continue;
      tails.push({
        jobId,
        stdoutTail: await readLogTail(path.join(job.workDir, STDOUT_LOG)),
        stderrTail: await readLogTail(path.join(job.workDir, STDERR_LOG)),
      });
    }
    const { cancel } = await this.options.port.heartbeat(tails);
    this.lastHeartbeat = Date.now();
    for (const jobId of cancel) {
      const job = this.held.get(jobId);
      if (job) job.cancelRequested = true;
    }
  }

  /** Prepares and submits new jobs, and picks up adopted ones where they stand. */
  private async takeOn(jobs: readonly AgentJob[]): Promise<void> {
    const queue = [...jobs];
    const worker = async () => {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        await this.takeOnOne(job).catch((error: unknown) => this.couldNotStart(job.spec, error));
      }
    };
    await Promise.all(Array.from({ length: Math.min(SUBMIT_PARALLELISM, queue.length) }, worker));
  }

  /** A job that could not be submitted is failed saying why, unless it reached the scheduler after all. */
  private async couldNotStart(spec: JobSpec, error: unknown): Promise<void> {
    // Once submitted, the job stays held: its later reports carry its scheduler id.
    if (this.held.get(spec.jobId)?.submitted) return;
    this.options.log.error(`agent: job ${spec.jobId} could not be started: ${describeError(error)}`);
    this.held.delete(spec.jobId);
    await this.reportFailure(spec, `the agent could not start the job: ${describeError(error)}`);
  }

  private async takeOnOne(job: AgentJob): Promise<void> {
    const { spec } = job;
    const workDir = path.join(this.options.workRoot, spec.jobId);
    const executorJob = { jobId: spec.jobId, workDir, resources: spec.resources };
    const held: HeldJob = {
      spec,
      workDir,
      submitted: job.externalId === null ? null : { ...executorJob, externalId: job.externalId },
      reportedRunning: job.status === 'running',
      cancelRequested: job.cancelRequested,
      cancelSent: false,
      ending: null,
      submitPending: false,
    };
    this.held.set(spec.jobId, held);
    if (held.submitted !== null) return;
    await this.submit(held, job.mayHaveBeenSubmitted);
  }

  /**
   * Submits a held job, first asking the scheduler for it by name when it may have been submitted already. If
   * the scheduler cannot be asked, the job stays held and is tried again next round.
   */
  private async submit(held: HeldJob, mayHaveBeenSubmitted: boolean): Promise<void> {
    const { spec, workDir } = held;
    const executorJob = { jobId: spec.jobId, workDir, resources: spec.resources };
    try {
      await this.submitOnce(held, executorJob, mayHaveBeenSubmitted);
      held.submitPending = false;
    } catch (error) {
      if (!(error instanceof SchedulerUnavailable)) throw error;
      held.submitPending = true;
      this.options.log.warn(`agent: job ${spec.jobId} waits for the scheduler: ${error.message}`);
    }
  }

  private async submitOnce(
    held: HeldJob,
    executorJob: { jobId: string; workDir: string; resources: JobSpec['resources'] },
    mayHaveBeenSubmitted: boolean,
  ): Promise<void> {
    const { spec, workDir } = held;
    if (mayHaveBeenSubmitted) {
      const found = await this.options.executor.find(executorJob);
      if (found !== null) {
        held.submitted = found;
        await this.options.port.report(spec.jobId, { kind: 'submitted', externalId: found.externalId });
        this.options.log.info(`agent: job ${spec.jobId} was already submitted as ${found.externalId}`);
        return;
      }
    }
    if (held.cancelRequested) {
      await this.reportEnding(held, {
        phase: 'ended',
        outcome: 'cancelled',
        schedulerState: 'CANCELLED',
        exitCode: null,
        reason: 'cancelled before it was submitted',
        startedAt: null,
        endedAt: new Date().toISOString(),
        cpuSeconds: null,
        peakMemoryBytes: null,
      });
      return;
    }
    await rm(workDir, { recursive: true, force: true });
    await prepareJobDirectory(workDir, spec);
    for (const input of spec.inputs) {
      await this.options.port.stageInput(spec.jobId, input, path.join(workDir, 'inputs', input.name));
    }
    held.submitted = await this.options.executor.submit(executorJob);
    const answer = await this.options.port.report(spec.jobId, {
      kind: 'submitted',
      externalId: held.submitted.externalId,
    });
    if (answer.cancelRequested) held.cancelRequested = true;
  }

  private async observe(): Promise<void> {
    const submitted = [...this.held.values()].filter((job) => job.submitted !== null && job.ending === null);
    const observations =
      submitted.length === 0
        ? new Map<string, JobObservation>()
        : await this.options.executor.observe(submitted.map((job) => job.submitted!));
    for (const job of this.held.values()) {
      const seen = job.ending ?? observations.get(job.spec.jobId);
      if (seen === undefined) continue;
      try {
        if (seen.phase === 'ended') await this.reportEnding(job, seen);
        else if (seen.phase === 'running' && !job.reportedRunning) {
          const answer = await this.options.port.report(job.spec.jobId, {
            kind: 'running',
            externalId: job.submitted?.externalId,
            schedulerState: seen.schedulerState,
            startedAt: seen.startedAt,
          });
          job.reportedRunning = true;
          if (answer.cancelRequested) job.cancelRequested = true;
        }
      } catch (error) {
        this.options.log.warn(`agent: job ${job.spec.jobId}: ${describeError(error)}; trying again`);
      }
    }
  }

  /** Hands over the outputs (of a completed job) and the logs, then reports the ending, then forgets the job. */
  private async reportEnding(
    job: HeldJob,
    ending: Extract<JobObservation, { phase: 'ended' }>,
  ): Promise<void> {
    job.ending = ending;
    const { port } = this.options;
    if (job.submitted !== null) {
      if (ending.outcome === 'completed') {
        for (const file of await collectOutputs(job.workDir, job.spec))
          await port.uploadOutput(job.spec.jobId, file);
      }
      // An empty log is not stored: the job's tail (empty) says all of it.
      for (const [stream, name] of [
        ['stdout', STDOUT_LOG],
        ['stderr', STDERR_LOG],
      ] as const) {
        const file = path.join(job.workDir, name);
        if ((await stat(file).catch(() => null))?.size) await port.uploadLog(job.spec.jobId, stream, file);
      }
    }
    await port.report(job.spec.jobId, {
      kind: 'ended',
      ...ending,
      externalId: job.submitted?.externalId,
      stdoutTail: await readLogTail(path.join(job.workDir, STDOUT_LOG)),
      stderrTail: await readLogTail(path.join(job.workDir, STDERR_LOG)),
      toolVersions: job.submitted === null ? {} : await readToolVersions(job.workDir),
    });
    this.held.delete(job.spec.jobId);
    if (!this.options.keepWorkDirs) await rm(job.workDir, { recursive: true, force: true });
  }

  private async reportFailure(spec: JobSpec, reason: string): Promise<void> {
    await this.options.port
      .report(spec.jobId, {
        kind: 'ended',
        phase: 'ended',
        outcome: 'failed',
        schedulerState: 'NOT_SUBMITTED',
        exitCode: null,
        reason,
        startedAt: null,
        endedAt: new Date().toISOString(),
        cpuSeconds: null,
        peakMemoryBytes: null,
        stdoutTail: '',
        stderrTail: '',
        toolVersions: {},
      })
      .catch((error: unknown) =>
        this.options.log.error(`agent: could not report job ${spec.jobId}: ${describeError(error)}`),
      );
  }

  private async cancelAsked(): Promise<void> {
    for (const job of this.held.values()) {
      if (!job.cancelRequested || job.cancelSent || job.ending !== null) continue;
      if (job.submitted === null) continue;
      job.cancelSent = true;
      await this.options.executor.cancel(job.submitted).catch((error: unknown) => {
        job.cancelSent = false;
        this.options.log.warn(`agent: cancel of job ${job.spec.jobId} failed: ${describeError(error)}`);
      });
    }
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
