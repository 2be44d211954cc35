/**
 * The local executor with real processes: jobs that complete, fail and are killed; arguments that reach the
 * program literally; cancel of a whole process group; the capacity it reports; CPU time and peak memory from
 * GNU time; and an agent's restart, after which running jobs are adopted, lost ones are failed, and a job whose
 * pid file was never written is still found.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ExecutorJob,
  JobObservation,
  SubmittedJob,
} from '../../src/modules/compute/executors/executor.js';
import { prepareJobDirectory, readToolVersions } from '../../src/modules/compute/executors/job-directory.js';
import type { JobSpec } from '../../src/modules/compute/executors/job-spec.js';
import {
  CANCEL_REQUESTED_FILE,
  LOST_PROCESS_REASON,
  LocalExecutor,
  PID_FILE,
} from '../../src/modules/compute/executors/local-executor.js';
import { uniqueName } from '../support/factories.js';
import { runProcess } from '../support/run-process.js';
import { waitFor } from '../support/wait-for.js';

const ENDS_WITHIN = { timeout: 30_000 };
const hasGnuTime = existsSync('/usr/bin/time');
const COMPILED_EXECUTOR = path.resolve(
  import.meta.dirname,
  '../../dist/modules/compute/executors/local-executor.js',
);

let root: string;
/** Process groups the tests started, killed at the end whatever happened. */
const startedGroups = new Set<number>();

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cairn-local-executor-'));
});

afterAll(async () => {
  for (const group of startedGroups) signalGroup(group, 'SIGKILL');
  await rm(root, { recursive: true, force: true });
});

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // Already gone.
  }
}

function buildSpec(overrides: Partial<JobSpec> = {}): JobSpec {
  const jobId = overrides.jobId ?? uniqueName('job');
  return {
    jobId,
    analysisId: uniqueName('analysis'),
    attempt: 1,
    type: { name: 'test', version: '1' },
    params: {},
    argv: ['true'],
    stdoutTo: null,
    toolVersions: {},
    inputs: [],
    outputs: [],
    resources: { cpus: 1, memory: '100M', time: '00:10:00' },
    ...overrides,
  };
}

/** A prepared work directory for a job running `argv`. */
async function buildJob(overrides: Partial<JobSpec> = {}): Promise<ExecutorJob> {
  const spec = buildSpec(overrides);
  const workDir = path.join(root, spec.jobId);
  await prepareJobDirectory(workDir, spec);
  return { jobId: spec.jobId, workDir, resources: spec.resources };
}

function pidOf(job: SubmittedJob): number {
  const match = /^local:(\d+)$/.exec(job.externalId);
  if (match === null) throw new Error(`Not a local external id: ${job.externalId}`);
  return Number(match[1]);
}

async function submit(executor: LocalExecutor, job: ExecutorJob): Promise<SubmittedJob> {
  const submitted = await executor.submit(job);
  startedGroups.add(pidOf(submitted));
  return submitted;
}

async function observeOne(executor: LocalExecutor, job: SubmittedJob): Promise<JobObservation> {
  const observation = (await executor.observe([job])).get(job.jobId);
  if (observation === undefined) throw new Error(`No observation of ${job.jobId}`);
  return observation;
}

async function observeEnd(
  executor: LocalExecutor,
  job: SubmittedJob,
): Promise<Extract<JobObservation, { phase: 'ended' }>> {
  let last: JobObservation | undefined;
  await waitFor(
    `the end of ${job.jobId}`,
    async () => (last = await observeOne(executor, job)).phase === 'ended',
    ENDS_WITHIN,
  );
  if (last?.phase !== 'ended') throw new Error('unreachable');
  return last;
}

/** The state letter of a process (`S`, `R`, `Z`, …), or null when there is no such process. */
async function processState(pid: number): Promise<string | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

/** Whether a process is gone (a zombie waiting for init to reap it has stopped running too). */
async function processGone(pid: number): Promise<boolean> {
  const state = await processState(pid);
  return state === null || state === 'Z';
}

/** The live processes of a process group, read from /proc. */
async function groupMembers(group: number): Promise<number[]> {
  const members: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = await readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === group && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // Ended while we looked.
    }
  }
  return members;
}

/** A job that runs until `flag` exists, then exits with `status`. */
function waitForFlag(flag: string, status = 0): string[] {
  return [
    'bash',
    '-c',
    'until [ -e "$1" ]; do sleep 0.05; done; exit "$2"',
    'wait-for-flag',
    flag,
    String(status),
  ];
}

describe('the local executor', () => {
  it('runs a job to completion: its output, tool versions, logs, exit code 0 and times', async () => {
    const executor = new LocalExecutor();
    const changed: string[] = [];
    executor.onChange((jobId) => changed.push(jobId));
    const job = await buildJob({
      argv: ['bash', '-c', 'printf "hello\\n"; echo "a warning" >&2'],
      stdoutTo: 'outputs/greeting.txt',
      toolVersions: { bash: ['bash', '--version'] },
    });

    const submitted = await submit(executor, job);
    expect(submitted).toEqual({ ...job, externalId: expect.stringMatching(/^local:\d+$/) as unknown });
    await waitFor('the change announced', () => changed.includes(job.jobId), ENDS_WITHIN);
    const ended = await observeEnd(executor, submitted);

    expect(ended).toMatchObject({
      outcome: 'completed',
      schedulerState: 'COMPLETED',
      exitCode: 0,
      reason: null,
    });
    expect(Date.parse(ended.startedAt!)).toBeLessThanOrEqual(Date.parse(ended.endedAt!));
    expect(await readFile(path.join(job.workDir, 'outputs/greeting.txt'), 'utf8')).toBe('hello\n');
    expect(await readFile(path.join(job.workDir, 'stderr.log'), 'utf8')).toBe('a warning\n');
    expect((await readToolVersions(job.workDir)).bash).toMatch(/^GNU bash, version /);
    const pidFile = await readFile(path.join(job.workDir, PID_FILE), 'utf8');
    expect(pidFile).toMatch(new RegExp(`^${pidOf(submitted)} \\d+ ${ended.startedAt}\\n$`));
    await executor.close();
  });

  it('sees the end of every job of a stream of jobs that exit at once, and announces each', async () => {
    const executor = new LocalExecutor();
    const announced = new Set<string>();
    executor.onChange((jobId) => announced.add(jobId));
    const jobs = await Promise.all(Array.from({ length: 200 }, () => buildJob({ argv: ['true'] })));
    // Eight submitters, each submitting its next job as soon as the last one is accepted: an agent
    // filling its free slots.
    const submitted: SubmittedJob[] = [];
    let next = 0;
    const submitter = async (): Promise<void> => {
      for (let job = jobs[next++]; job !== undefined; job = jobs[next++]) {
        submitted.push(await submit(executor, job));
      }
    };
    await Promise.all(Array.from({ length: 8 }, submitter));
    await waitFor('every end announced', () => announced.size === jobs.length, ENDS_WITHIN).catch(
      (error: unknown) => {
        throw new Error(`${jobs.length - announced.size} ends were not announced`, { cause: error });
      },
    );
    const observed = await executor.observe(submitted);
    expect([...observed.values()].filter((o) => o.phase !== 'ended' || o.outcome !== 'completed')).toEqual(
      [],
    );
    await executor.close();
  });

  it('fails a job whose command exits 3, with exit code 3 and its standard error', async () => {
    const executor = new LocalExecutor();
    const job = await buildJob({ argv: ['bash', '-c', 'echo "no such sample" >&2; exit 3'] });
    const ended = await observeEnd(executor, await submit(executor, job));
    expect(ended).toMatchObject({ outcome: 'failed', schedulerState: 'FAILED', exitCode: 3, reason: null });
    expect(await readFile(path.join(job.workDir, 'stderr.log'), 'utf8')).toBe('no such sample\n');
    await executor.close();
  });

  it('hands every argument to the program as one literal argument', async () => {
    const values = [
      '; rm -rf / #',
      '$(id)',
      '`id`',
      'a b',
      '*',
      "'quoted'",
      '"double"',
      'line one\nline two',
      '',
      '$HOME',
      '\\n',
      '-n',
      '> outputs/elsewhere',
      'µ ü 試料',
    ];
    const executor = new LocalExecutor();
    // NUL after each argument: the output shows exactly where each one begins and ends.
    const job = await buildJob({ argv: ['printf', '%s\\0', ...values], stdoutTo: 'outputs/arguments' });
    const ended = await observeEnd(executor, await submit(executor, job));
    expect(ended.outcome).toBe('completed');
    const printed = await readFile(path.join(job.workDir, 'outputs/arguments'), 'utf8');
    expect(printed.split('\0').slice(0, -1)).toEqual(values);
    expect(await readdir(path.join(job.workDir, 'outputs'))).toEqual(['arguments']);
    await executor.close();
  });

  it("gives the job what tools need from the agent's environment, and not the server's secrets", async () => {
    process.env.CAIRN_TEST_SECRET = 'postgres://cairn:secret@db/cairn';
    try {
      const executor = new LocalExecutor();
      const job = await buildJob({ argv: ['env', '-0'], stdoutTo: 'outputs/environment' });
      expect((await observeEnd(executor, await submit(executor, job))).outcome).toBe('completed');
      const printed = await readFile(path.join(job.workDir, 'outputs/environment'), 'utf8');
      const names = printed
        .split('\0')
        .slice(0, -1)
        .map((entry) => entry.slice(0, entry.indexOf('=')));
      expect(names).toContain('PATH');
      expect(names).toContain('CAIRN_JOB_ID');
      expect(names).not.toContain('CAIRN_TEST_SECRET');
      await executor.close();
    } finally {
      delete process.env.CAIRN_TEST_SECRET;
    }
  });

  it('cancel ends the whole process group, grandchildren included, and the job is cancelled', async () => {
    const executor = new LocalExecutor();
    const job = await buildJob({ argv: ['bash', '-c', 'sleep 300 & sleep 300; wait'] });
    const submitted = await submit(executor, job);
    const group = pidOf(submitted);
    let members: number[] = [];
    // The job's script, the command's shell and its two sleeps (and GNU time, when it wraps the script).
    await waitFor('both sleeps started', async () => (members = await groupMembers(group)).length >= 4);
    expect(await observeOne(executor, submitted)).toMatchObject({
      phase: 'running',
      schedulerState: 'RUNNING',
    });

    await executor.cancel(submitted);
    const ended = await observeEnd(executor, submitted);
    expect(ended).toMatchObject({ outcome: 'cancelled', schedulerState: 'CANCELLED', exitCode: null });
    await waitFor('every process of the group gone', async () => {
      const gone = await Promise.all(members.map(processGone));
      return gone.every(Boolean);
    });
    expect(await groupMembers(group)).toEqual([]);
    await executor.close();
  });

  it('kills what ignores SIGTERM once the grace period is over', async () => {
    const executor = new LocalExecutor({ cancelGraceMs: 300 });
    const job = await buildJob({ argv: ['bash', '-c', "trap '' TERM; sleep 300 & sleep 300; wait"] });
    const submitted = await submit(executor, job);
    const group = pidOf(submitted);
    await waitFor('both sleeps started', async () => (await groupMembers(group)).length >= 4);

    await executor.cancel(submitted);
    expect((await observeEnd(executor, submitted)).outcome).toBe('cancelled');
    await waitFor('the group killed', async () => (await groupMembers(group)).length === 0, ENDS_WITHIN);
    await executor.close();
  });

  it('fails a job killed by a signal with the signal as its reason, also when observed again or by the next agent', async () => {
    const executor = new LocalExecutor();
    const announced: string[] = [];
    executor.onChange((jobId) => announced.push(jobId));
    const job = await buildJob({ argv: ['sleep', '300'] });
    const submitted = await submit(executor, job);
    signalGroup(pidOf(submitted), 'SIGKILL');
    const killed = {
      outcome: 'failed',
      schedulerState: 'FAILED',
      exitCode: null,
      reason: 'killed by SIGKILL',
    };
    await waitFor('the end announced', () => announced.includes(job.jobId));
    expect(await observeEnd(executor, submitted)).toMatchObject(killed);
    expect(await observeOne(executor, submitted)).toMatchObject(killed);
    await executor.close();
    expect(await observeOne(new LocalExecutor(), submitted)).toMatchObject(killed);
  });

  it('reports the resource’s maxConcurrent as its capacity, by default the machine’s CPUs, and runs that many at once', async () => {
    expect(new LocalExecutor().capacity).toBe(os.availableParallelism());
    expect(new LocalExecutor({ settings: {} }).capacity).toBe(os.availableParallelism());
    const executor = new LocalExecutor({ settings: { maxConcurrent: 3 } });
    expect(executor.capacity).toBe(3);

    const flag = path.join(root, uniqueName('flag'));
    const jobs: SubmittedJob[] = [];
    for (let i = 0; i < executor.capacity; i += 1) {
      jobs.push(await submit(executor, await buildJob({ argv: waitForFlag(flag) })));
    }
    await waitFor('all of them running together', async () => {
      const observations = [...(await executor.observe(jobs)).values()];
      return observations.length === 3 && observations.every((o) => o.phase === 'running');
    });
    await writeFile(flag, '');
    for (const job of jobs) expect((await observeEnd(executor, job)).outcome).toBe('completed');
    await executor.close();
  });

  it('refuses to start a job again in a work directory where it is still running', async () => {
    const executor = new LocalExecutor();
    const flag = path.join(root, uniqueName('flag'));
    const job = await buildJob({ argv: waitForFlag(flag) });
    const submitted = await submit(executor, job);
    await expect(executor.submit(job)).rejects.toThrow(/already running/);
    await writeFile(flag, '');
    expect((await observeEnd(executor, submitted)).outcome).toBe('completed');
    await executor.close();
  });

  it('fails to submit when the program that runs jobs cannot be started', async () => {
    const executor = new LocalExecutor({ timeCommand: '/nonexistent/time' });
    await expect(executor.submit(await buildJob())).rejects.toThrow(/ENOENT/);
    await executor.close();
  });

  describe.skipIf(!hasGnuTime && !process.env.CI)('resource use (GNU time)', () => {
    it('measures CPU time and the peak memory of the job’s processes', async () => {
      const executor = new LocalExecutor();
      // The command's shell holds a 40 MB string: the peak belongs to the command, not to job.sh.
      const job = await buildJob({
        argv: ['bash', '-c', 'x=$(head -c 40000000 /dev/zero | tr "\\0" a); echo "${#x}"'],
      });
      const ended = await observeEnd(executor, await submit(executor, job));
      expect(ended.outcome).toBe('completed');
      expect(ended.cpuSeconds).toBeGreaterThanOrEqual(0);
      expect(ended.peakMemoryBytes).toBeGreaterThanOrEqual(40_000_000);
      await executor.close();
    });
  });

  it('reports no CPU time or peak memory when nothing measured them', async () => {
    const executor = new LocalExecutor({ timeCommand: null });
    const ended = await observeEnd(executor, await submit(executor, await buildJob()));
    expect(ended).toMatchObject({ outcome: 'completed', cpuSeconds: null, peakMemoryBytes: null });
    await executor.close();
  });

  describe('after a restart (a second executor, the first one closed)', () => {
    it('adopts a running job and observes it to its end, fails a lost one, and cancels an adopted one', async () => {
      const first = new LocalExecutor();
      const announcedByFirst: string[] = [];
      first.onChange((jobId) => announcedByFirst.push(jobId));
      const flag = path.join(root, uniqueName('flag'));
      const survivor = await submit(first, await buildJob({ argv: waitForFlag(flag, 3) }));
      const lost = await submit(first, await buildJob({ argv: ['sleep', '300'] }));
      const cancelled = await submit(first, await buildJob({ argv: ['sleep', '300'] }));
      const startedAt = await observeOne(first, survivor);
      await first.close();

      const second = new LocalExecutor();
      const announcedBySecond: string[] = [];
      second.onChange((jobId) => announcedBySecond.push(jobId));
      for (const job of [survivor, lost, cancelled]) {
        const { externalId: _, ...asGiven } = job;
        expect(await second.find(asGiven)).toEqual(job);
      }
      const observed = await second.observe([survivor, lost, cancelled]);
      for (const job of [survivor, lost, cancelled]) {
        expect(observed.get(job.jobId)).toMatchObject({ phase: 'running' });
      }
      expect(observed.get(survivor.jobId)?.startedAt).toBe(startedAt.startedAt);

      // Killed with its whole group while nobody watched it: no exit code was ever written.
      signalGroup(pidOf(lost), 'SIGKILL');
      expect(await observeEnd(second, lost)).toMatchObject({
        outcome: 'failed',
        exitCode: null,
        reason: LOST_PROCESS_REASON,
      });
      expect(await second.find(lost)).toBeNull();

      await second.cancel(cancelled);
      expect(existsSync(path.join(cancelled.workDir, CANCEL_REQUESTED_FILE))).toBe(true);
      expect(await observeEnd(second, cancelled)).toMatchObject({ outcome: 'cancelled', exitCode: null });

      await writeFile(flag, '');
      const ended = await observeEnd(second, survivor);
      const exitCodeWritten = (await stat(path.join(survivor.workDir, 'exit-code'))).mtime.toISOString();
      expect(ended).toMatchObject({
        outcome: 'failed',
        exitCode: 3,
        startedAt: startedAt.startedAt,
        endedAt: exitCodeWritten,
      });
      expect(await second.find(survivor)).toEqual(survivor);
      // Neither announces an adopted job's end: the first is closed, the second did not spawn it.
      expect(announcedByFirst).toEqual([]);
      expect(announcedBySecond).toEqual([]);
      await second.close();
    });

    it('keeps a job running and writing its logs when the agent process is killed, for the next agent to adopt', async () => {
      const flag = path.join(root, uniqueName('flag'));
      const job = await buildJob({
        argv: ['bash', '-c', 'echo before; until [ -e "$1" ]; do sleep 0.05; done; echo after', 'job', flag],
      });
      // An agent in a process of its own (the compiled executor the suite's setup builds), killed with
      // SIGKILL once it has submitted the job.
      const agent = `
        import { LocalExecutor } from ${JSON.stringify(COMPILED_EXECUTOR)};
        const submitted = await new LocalExecutor().submit(${JSON.stringify(job)});
        console.log(JSON.stringify(submitted));
        setInterval(() => {}, 1000);
      `;
      let submitted: SubmittedJob | undefined;
      const result = await runProcess(process.execPath, ['--input-type=module', '-e', agent], {
        timeoutMs: 60_000,
        onOutput: ({ stdout }, child) => {
          if (submitted !== undefined || !stdout.includes('\n')) return;
          submitted = JSON.parse(stdout) as SubmittedJob;
          child.kill('SIGKILL');
        },
      });
      expect(result.signal, result.stderr).toBe('SIGKILL');
      if (submitted === undefined) throw new Error('The agent did not submit the job');
      startedGroups.add(pidOf(submitted));

      const next = new LocalExecutor();
      expect(await observeOne(next, submitted)).toMatchObject({ phase: 'running' });
      await writeFile(flag, '');
      expect(await observeEnd(next, submitted)).toMatchObject({ outcome: 'completed', exitCode: 0 });
      expect(await readFile(path.join(job.workDir, 'stdout.log'), 'utf8')).toBe('before\nafter\n');
      await next.close();
    });

    it('finds a job whose pid file was never written by its process in /proc, and nothing for a job never started', async () => {
      const first = new LocalExecutor();
      const flag = path.join(root, uniqueName('flag'));
      const job = await buildJob({ argv: waitForFlag(flag) });
      const submitted = await submit(first, job);
      await first.close();
      // As if the agent had died between spawning the job and writing its pid file.
      await rm(path.join(job.workDir, PID_FILE));

      const second = new LocalExecutor();
      expect(await second.find(job)).toEqual(submitted);
      expect(existsSync(path.join(job.workDir, PID_FILE))).toBe(true);
      expect(await second.find(await buildJob())).toBeNull();
      await writeFile(flag, '');
      expect((await observeEnd(second, submitted)).outcome).toBe('completed');
      await second.close();
    });
  });
});
