/**
 * The local executor, the embedded default: each job runs `bash job.sh` as a child process in its work
 * directory, in a process group of its own, writing to `stdout.log` and `stderr.log` through file
 * descriptors (no pipes: the job keeps writing if the agent dies). The `pid` file in the work directory names
 * the process and its start time, so that an agent started later can tell its job from a process that got
 * the same pid afterwards, adopt the job and watch it to its end.
 *
 * CPU time and peak memory are measured by GNU time (`/usr/bin/time`, Debian's `time` package) wrapped
 * around the script, and reported as null without it: the kernel's accounting of waited-for children is the
 * only honest measure of a process tree without cgroups, and reading `/proc` of the script alone would count
 * bash and miss the command. See `readResourceUsage` for what the two figures mean.
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants, readFileSync } from 'node:fs';
import { access, open, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inheritedEnvironment, type JobVariables } from './job-environment.js';
import type {
  Executor,
  ExecutorJob,
  ExecutorResourceSettings,
  JobObservation,
  SubmittedJob,
} from './executor.js';
import {
  EXIT_CODE_FILE,
  JOB_SCRIPT,
  STDERR_LOG,
  STDOUT_LOG,
  readExitCode,
  writeFileAtomically,
} from './job-directory.js';

/** `<pid> <start time in clock ticks after boot, /proc/<pid>/stat field 22> <startedAt>` */
export const PID_FILE = 'pid';
/** GNU time's report: `<user seconds> <system seconds> <peak resident KiB>` on its last line. */
export const RESOURCE_USAGE_FILE = 'resource-usage';
/** Written before a cancel signals the job, so that an agent started later still knows who ended it. */
export const CANCEL_REQUESTED_FILE = 'cancel-requested';
/** The signal that ended the job's script, as the executor that spawned it saw it (`SIGKILL`). */
export const KILLED_BY_FILE = 'killed-by';

export const LOST_PROCESS_REASON = "the job's process was lost (the agent or server stopped while it ran)";

const DEFAULT_TIME_COMMAND = '/usr/bin/time';
const DEFAULT_CANCEL_GRACE_MS = 5000;
const RESOURCE_USAGE_FORMAT = '%U %S %M';

/**
 * What a job inherits from the agent's environment: what tools need to run, and nothing else (the server's
 * database URL and secrets stay out of the jobs it runs).
 */

export interface LocalExecutorOptions {
  readonly settings?: ExecutorResourceSettings | undefined;
  /**
   * GNU time, which measures the job's CPU time and peak memory; null to measure nothing. By default
   * `/usr/bin/time` when it is installed.
   */
  readonly timeCommand?: string | null | undefined;
  /** How long a cancelled job has after SIGTERM before its process group is killed. */
  readonly cancelGraceMs?: number | undefined;
  /** Set in every job's environment (where the BLAST database is). */
  readonly jobVariables?: JobVariables | undefined;
}

/** A process as the `pid` file names it: the pid alone could be another process's by now. */
interface ProcessIdentity {
  readonly pid: number;
  /** Clock ticks after boot at which the process started (`/proc/<pid>/stat` field 22). */
  readonly startTime: string;
}

interface PidFile extends ProcessIdentity {
  readonly startedAt: string;
}

/** A job this executor spawned itself: its end is the child's `exit` event. */
interface OwnJob {
  readonly externalId: string;
  readonly process: ProcessIdentity;
  readonly startedAt: string;
  exit: { readonly signal: NodeJS.Signals | null; readonly at: string } | null;
}

interface ProcessStat {
  readonly state: string;
  readonly processGroup: number;
  readonly startTime: string;
}

/** The fields of `/proc/<pid>/stat` we need; the command name in parentheses may hold spaces and parentheses. */
function parseProcessStat(text: string): ProcessStat | null {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, processGroup, startTime] = [fields[0], fields[2], fields[19]];
  if (state === undefined || processGroup === undefined || startTime === undefined) return null;
  return { state, processGroup: Number(processGroup), startTime };
}

async function readProcessStat(pid: number): Promise<ProcessStat | null> {
  try {
    return parseProcessStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return null;
    throw error;
  }
}

/** Whether the process is still the one that was started (not a zombie, not a later process with its pid). */
async function isRunning(identity: ProcessIdentity): Promise<boolean> {
  const current = await readProcessStat(identity.pid);
  return (
    current !== null &&
    current.startTime === identity.startTime &&
    current.state !== 'Z' &&
    current.state !== 'X'
  );
}

async function readPidFile(workDir: string): Promise<PidFile | null> {
  let text: string;
  try {
    text = await readFile(path.join(workDir, PID_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const match = /^(\d+) (\d+) (\S+)\n?$/.exec(text);
  if (match === null) return null;
  return { pid: Number(match[1]), startTime: match[2]!, startedAt: match[3]! };
}

async function writePidFile(workDir: string, record: PidFile): Promise<void> {
  await writeFileAtomically(
    path.join(workDir, PID_FILE),
    `${record.pid} ${record.startTime} ${record.startedAt}\n`,
  );
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function modifiedAt(file: string): Promise<string | null> {
  try {
    return (await stat(file)).mtime.toISOString();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

interface ResourceUsage {
  readonly cpuSeconds: number | null;
  readonly peakMemoryBytes: number | null;
}

const NOT_MEASURED: ResourceUsage = { cpuSeconds: null, peakMemoryBytes: null };

/**
 * GNU time's report, written when the script has ended: CPU seconds (user + system) of the script and every
 * process it waited for, to the hundredth; and the peak resident memory of the largest single process among
 * them (the kernel's `ru_maxrss` of waited-for children), which for a job of one tool is the tool's peak but
 * does not add up processes that ran side by side. Null when time did not report (absent, or killed with the
 * job).
 */
async function readResourceUsage(workDir: string): Promise<ResourceUsage> {
  let text: string;
  try {
    text = await readFile(path.join(workDir, RESOURCE_USAGE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return NOT_MEASURED;
    throw error;
  }
  const last = text.trimEnd().split('\n').at(-1) ?? '';
  const match = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(last);
  if (match === null) return NOT_MEASURED;
  return {
    cpuSeconds: Math.round((Number(match[1]) + Number(match[2])) * 100) / 100,
    peakMemoryBytes: Number(match[3]) * 1024,
  };
}

function signalName(number: number): string | null {
  const entry = Object.entries(os.constants.signals).find(([, value]) => value === number);
  return entry === undefined ? null : entry[0];
}

/** Why a command that returned `exitCode` failed, when the status says more than the number. */
function exitReason(exitCode: number): string | null {
  const signal = exitCode > 128 ? signalName(exitCode - 128) : null;
  return signal === null
    ? null
    : `the command exited with status ${exitCode}, which the shell reports for a command killed by ${signal}`;
}

/** What ended a job, gathered from its work directory (and, for an own child, its exit event). */
interface Ending {
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  /**
   * The signal that killed the script itself, when this executor saw it exit; otherwise what the `killed-by`
   * file says (an adopted job's signal is seen by nobody).
   */
  readonly signal: NodeJS.Signals | null;
}

async function readKilledBy(workDir: string): Promise<NodeJS.Signals | null> {
  try {
    const text = (await readFile(path.join(workDir, KILLED_BY_FILE), 'utf8')).trim();
    return text in os.constants.signals ? (text as NodeJS.Signals) : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function concludeJob(workDir: string, ending: Ending): Promise<JobObservation> {
  const [exitCode, usage, cancelRequested, signal] = await Promise.all([
    readExitCode(workDir),
    readResourceUsage(workDir),
    fileExists(path.join(workDir, CANCEL_REQUESTED_FILE)),
    ending.signal ?? readKilledBy(workDir),
  ]);
  const common = {
    phase: 'ended' as const,
    exitCode,
    startedAt: ending.startedAt,
    endedAt: ending.endedAt,
    ...usage,
  };
  if (cancelRequested) {
    return { ...common, outcome: 'cancelled', schedulerState: 'CANCELLED', reason: 'cancelled on request' };
  }
  if (exitCode === 0) return { ...common, outcome: 'completed', schedulerState: 'COMPLETED', reason: null };
  if (exitCode !== null) {
    return { ...common, outcome: 'failed', schedulerState: 'FAILED', reason: exitReason(exitCode) };
  }
  if (signal !== null) {
    return { ...common, outcome: 'failed', schedulerState: 'FAILED', reason: `killed by ${signal}` };
  }
  return { ...common, outcome: 'failed', schedulerState: 'LOST', reason: LOST_PROCESS_REASON };
}

function externalIdOf(pid: number): string {
  return `local:${pid}`;
}

/**
 * A process started as this executor starts jobs, whose working directory is `workDir`, found by scanning
 * `/proc`: the job of an agent that died after spawning it but before writing its `pid` file.
 */
async function findJobProcess(workDir: string): Promise<ProcessIdentity | null> {
  const target = path.resolve(workDir);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if ((await readlink(`/proc/${pid}/cwd`)) !== target) continue;
      const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').slice(0, -1);
      if (argv.at(-2) !== 'bash' || argv.at(-1) !== JOB_SCRIPT) continue;
      const current = await readProcessStat(pid);
      if (current === null || current.processGroup !== pid || current.state === 'Z') continue;
      return { pid, startTime: current.startTime };
    } catch {
      // Gone since the directory was read, or another user's process: not our job.
      continue;
    }
  }
  return null;
}

/** The identity of a child just spawned, read synchronously (see `LocalExecutor.#start`). */
function spawnedProcess(pid: number): ProcessIdentity {
  const current = parseProcessStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (current === null) throw new Error(`Cannot read /proc/${pid}/stat`);
  return { pid, startTime: current.startTime };
}

async function detectTimeCommand(): Promise<string | null> {
  try {
    await access(DEFAULT_TIME_COMMAND, fsConstants.X_OK);
    return DEFAULT_TIME_COMMAND;
  } catch {
    return null;
  }
}

function jobEnvironment(jobId: string, variables: JobVariables): NodeJS.ProcessEnv {
  return { ...inheritedEnvironment(), ...variables, CAIRN_JOB_ID: jobId };
}

/**
 * Jobs as child processes of the agent's machine. Its own children are watched through their exit events;
 * any other job (one an earlier agent started) through its `pid` file and `/proc`.
 */
export class LocalExecutor implements Executor {
  readonly capacity: number;
  readonly #timeCommand: Promise<string | null>;
  readonly #cancelGraceMs: number;
  readonly #jobVariables: JobVariables;
  readonly #own = new Map<string, OwnJob>();
  readonly #listeners: ((jobId: string) => void)[] = [];
  #closed = false;

  constructor(options: LocalExecutorOptions = {}) {
    this.#jobVariables = options.jobVariables ?? {};
    this.capacity = options.settings?.maxConcurrent ?? os.availableParallelism();
    this.#timeCommand =
      options.timeCommand === undefined ? detectTimeCommand() : Promise.resolve(options.timeCommand);
    this.#cancelGraceMs = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
  }

  /** Starts the job's script; refuses a work directory whose job is still running. */
  async submit(job: ExecutorJob): Promise<SubmittedJob> {
    const recorded = await readPidFile(job.workDir);
    if (recorded !== null && (await isRunning(recorded))) {
      throw new Error(`Job ${job.jobId} is already running as ${externalIdOf(recorded.pid)}`);
    }
    // What an earlier run in this directory left would be read as this run's ending.
    for (const file of [
      EXIT_CODE_FILE,
      RESOURCE_USAGE_FILE,
      CANCEL_REQUESTED_FILE,
      KILLED_BY_FILE,
      PID_FILE,
    ]) {
      await rm(path.join(job.workDir, file), { force: true });
    }
    const timeCommand = await this.#timeCommand;
    const [command, args] =
      timeCommand === null
        ? ['bash', [JOB_SCRIPT]]
        : [timeCommand, ['-f', RESOURCE_USAGE_FORMAT, '-o', RESOURCE_USAGE_FILE, '--', 'bash', JOB_SCRIPT]];
    const stdout = await open(path.join(job.workDir, STDOUT_LOG), 'w');
    const stderr = await open(path.join(job.workDir, STDERR_LOG), 'w');
    let started: { own: OwnJob; pidFileWritten: () => void } | Promise<Error>;
    try {
      started = this.#start(job, command, args, [stdout.fd, stderr.fd]);
    } finally {
      await Promise.all([stdout.close(), stderr.close()]);
    }
    if (started instanceof Promise) throw await started;
    const { own, pidFileWritten } = started;
    try {
      await writePidFile(job.workDir, { ...own.process, startedAt: own.startedAt });
    } catch (error) {
      this.#signalGroup(own.process.pid, 'SIGKILL');
      throw error;
    } finally {
      pidFileWritten();
    }
    return { ...job, externalId: own.externalId };
  }

  /**
   * Spawns the job and records it without yielding to the event loop, so that neither its exit event nor its
   * /proc entry (the only record of its start time, gone once it is reaped) can pass unseen. Answers the
   * spawn's error instead when the program could not be started.
   */
  #start(
    job: ExecutorJob,
    command: string,
    args: string[],
    [stdout, stderr]: [number, number],
  ): { own: OwnJob; pidFileWritten: () => void } | Promise<Error> {
    const child = spawn(command, args, {
      cwd: job.workDir,
      detached: true,
      stdio: ['ignore', stdout, stderr],
      env: jobEnvironment(job.jobId, this.#jobVariables),
    });
    const failedToStart = new Promise<Error>((resolve) => child.once('error', resolve));
    if (child.pid === undefined) return failedToStart;
    const own: OwnJob = {
      externalId: externalIdOf(child.pid),
      process: spawnedProcess(child.pid),
      startedAt: new Date().toISOString(),
      exit: null,
    };
    let pidFileWritten = (): void => {};
    const announceable = new Promise<void>((resolve) => (pidFileWritten = resolve));
    child.once('exit', (_code, signal) => {
      own.exit = { signal, at: new Date().toISOString() };
      // Announced once the pid file (and the signal, for whoever observes the job after this executor) is
      // written, so that whoever looks finds the job whole.
      void announceable
        .then(async () => {
          if (signal !== null && !this.#closed) {
            await writeFile(path.join(job.workDir, KILLED_BY_FILE), `${signal}\n`);
          }
        })
        .catch(() => {
          // The work directory is gone: nobody will read it.
        })
        .finally(() => this.#announce(job.jobId));
    });
    child.unref();
    this.#own.set(job.jobId, own);
    return { own, pidFileWritten };
  }

  /** The job running (or ended) in the work directory, found by its `pid` file or, without one, in `/proc`. */
  async find(job: ExecutorJob): Promise<SubmittedJob | null> {
    const own = this.#own.get(job.jobId);
    if (own !== undefined) return { ...job, externalId: own.externalId };
    const recorded = await readPidFile(job.workDir);
    if (recorded !== null) {
      const known = (await isRunning(recorded)) || (await readExitCode(job.workDir)) !== null;
      return known ? { ...job, externalId: externalIdOf(recorded.pid) } : null;
    }
    const found = await findJobProcess(job.workDir);
    if (found === null) return null;
    // Now is only the latest the job can have started: the record of the agent that spawned it is lost.
    await writePidFile(job.workDir, { ...found, startedAt: new Date().toISOString() });
    return { ...job, externalId: externalIdOf(found.pid) };
  }

  async observe(jobs: readonly SubmittedJob[]): Promise<Map<string, JobObservation>> {
    const observations = await Promise.all(
      jobs.map(async (job) => [job.jobId, await this.#observeOne(job)] as const),
    );
    return new Map(observations);
  }

  async #observeOne(job: SubmittedJob): Promise<JobObservation> {
    const own = this.#own.get(job.jobId);
    if (own !== undefined && own.externalId === job.externalId) {
      if (own.exit !== null) {
        // The exit event's signal goes to the work directory too (`killed-by`), so the job is forgotten
        // here: a long-running agent does not keep every job it ever ran.
        this.#own.delete(job.jobId);
        return concludeJob(job.workDir, {
          startedAt: own.startedAt,
          endedAt: own.exit.at,
          signal: own.exit.signal,
        });
      }
      // A zombie is a child whose exit event is on its way. A process gone without one is never expected,
      // but should it happen the job is concluded from its work directory rather than left running forever.
      const current = await readProcessStat(own.process.pid);
      if (current !== null && current.startTime === own.process.startTime) return running(own.startedAt);
      this.#own.delete(job.jobId);
    }
    const recorded = await readPidFile(job.workDir);
    if (recorded === null || externalIdOf(recorded.pid) !== job.externalId) {
      return concludeJob(job.workDir, { startedAt: null, endedAt: new Date().toISOString(), signal: null });
    }
    if (await isRunning(recorded)) return running(recorded.startedAt);
    const endedAt = (await modifiedAt(path.join(job.workDir, EXIT_CODE_FILE))) ?? new Date().toISOString();
    return concludeJob(job.workDir, { startedAt: recorded.startedAt, endedAt, signal: null });
  }

  /**
   * SIGTERM to the job's process group, SIGKILL to what remains of it after the grace period. A job whose
   * command has already returned is left to end on its own.
   */
  async cancel(job: SubmittedJob): Promise<void> {
    const own = this.#own.get(job.jobId);
    const identity =
      own !== undefined && own.externalId === job.externalId ? own.process : await readPidFile(job.workDir);
    if (identity === null || externalIdOf(identity.pid) !== job.externalId) return;
    if (!(await isRunning(identity))) return;
    if ((await readExitCode(job.workDir)) !== null) return;
    await writeFile(path.join(job.workDir, CANCEL_REQUESTED_FILE), `${new Date().toISOString()}\n`);
    this.#signalGroup(identity.pid, 'SIGTERM');
    const escalation = setTimeout(() => {
      this.#killRemains(identity).catch(() => {
        // Not ours to signal (EPERM) or /proc unreadable: the job's ending is observed either way.
      });
    }, this.#cancelGraceMs);
    escalation.unref();
  }

  async #killRemains(identity: ProcessIdentity): Promise<void> {
    // While any member of the group lives, the kernel gives its id to no new process; so a process that has
    // the id now with another start time means the group is gone and the number belongs to someone else.
    const current = await readProcessStat(identity.pid);
    if (current !== null && current.startTime !== identity.startTime) return;
    this.#signalGroup(identity.pid, 'SIGKILL');
  }

  #signalGroup(processGroup: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-processGroup, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  onChange(listener: (jobId: string) => void): void {
    this.#listeners.push(listener);
  }

  #announce(jobId: string): void {
    if (this.#closed) return;
    for (const listener of this.#listeners) listener(jobId);
  }

  /**
   * Stops announcing and writing down what it sees; the jobs, detached in their own process groups, keep
   * running for the next agent to adopt.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.length = 0;
  }
}

function running(startedAt: string): JobObservation {
  return { phase: 'running', schedulerState: 'RUNNING', reason: null, startedAt };
}
