/**
 * The Slurm executor against a real one-node Slurm (`scripts/slurm-cluster.sh start`, shared by every test
 * file on the machine): prepared job directories submitted with sbatch and polled with `observe` until they
 * end — completed with their output and usage, a non-zero exit, a launch failure, a cancellation, a job over
 * its time limit, a job the scheduler never had, final states read from the jobcomp file where there is no
 * slurmdbd, a controller restart in the middle of a job — one squeue a poll, the partition setting, a refused
 * submission, and `find` answering for a job whose id was never recorded. Locally the file is skipped where
 * Slurm cannot be installed or started (not root, no packages); under CI that is a failure.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type {
  ExecutorJob,
  JobObservation,
  SubmittedJob,
} from '../../src/modules/compute/executors/executor.js';
import { prepareJobDirectory } from '../../src/modules/compute/executors/job-directory.js';
import type { JobResources, JobSpec } from '../../src/modules/compute/executors/job-spec.js';
import { SlurmExecutor, SlurmUnavailableError } from '../../src/modules/compute/executors/slurm-executor.js';
import { runProcess, type ProcessResult } from '../support/run-process.js';
import { CLUSTER_SCRIPT, holdSlurmCluster, releaseSlurmCluster } from '../support/slurm.js';

const RESOURCES: JobResources = { cpus: 1, memory: '200M', time: '5' };

type Ended = Extract<JobObservation, { phase: 'ended' }>;

let unavailable: string | null = null;
let root = '';

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cairn-slurm-'));
  // slurmd runs job steps as the submitting user, here root; the directories only need to be reachable.
  await chmod(root, 0o755);
  unavailable = await holdSlurmCluster();
}, 660_000);

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
  await releaseSlurmCluster();
});

function needSlurm(context: TestContext): void {
  if (unavailable !== null) context.skip(unavailable);
}

function specFor(jobId: string, argv: string[], resources: JobResources): JobSpec {
  return {
    jobId,
    analysisId: randomUUID(),
    attempt: 1,
    type: { name: 'test', version: '1' },
    params: {},
    argv,
    stdoutTo: null,
    toolVersions: {},
    inputs: [],
    outputs: [],
    resources,
  };
}

/** A job with its work directory prepared, as the agent hands it to the executor. */
async function prepareJob(argv: string[], resources: JobResources = RESOURCES): Promise<ExecutorJob> {
  const jobId = randomUUID();
  const workDir = path.join(root, jobId);
  await prepareJobDirectory(workDir, specFor(jobId, argv, resources));
  return { jobId, workDir, resources };
}

/**
 * Polls `observe` as the agent does until the job ends; the phases it saw on the way are returned too. A poll
 * that finds Slurm unavailable (the controller restarting) concludes nothing and is tried again, as the agent
 * would.
 */
async function observeUntilEnded(
  executor: SlurmExecutor,
  job: SubmittedJob,
  { timeoutMs = 60_000, onRunning }: { timeoutMs?: number; onRunning?: () => Promise<void> } = {},
): Promise<{ ended: Ended; phases: string[] }> {
  const deadline = Date.now() + timeoutMs;
  const phases: string[] = [];
  let runningSeen = false;
  for (;;) {
    let observation: JobObservation | undefined;
    try {
      observation = (await executor.observe([job])).get(job.jobId);
    } catch (error) {
      if (!(error instanceof SlurmUnavailableError)) throw error;
    }
    if (observation !== undefined) {
      if (phases.at(-1) !== observation.phase) phases.push(observation.phase);
      if (observation.phase === 'ended') return { ended: observation, phases };
      if (observation.phase === 'running' && !runningSeen) {
        runningSeen = true;
        await onRunning?.();
      }
    }
    if (Date.now() > deadline) throw new Error(`job ${job.externalId} did not end within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('the Slurm executor', () => {
  describe.concurrent('jobs from submission to their end', () => {
    const executor = new SlurmExecutor({});

    it('runs a job to completion: exit 0, its output written, times, CPU time and peak memory from accounting', async (context) => {
      needSlurm(context);
      // Holds about 60 MB for two seconds, long enough for accounting to sample it.
      const job = await prepareJob([
        'bash',
        '-c',
        'x=$(head -c 60000000 /dev/zero | tr "\\0" a); sleep 2; echo hi > outputs/x.txt; echo to stdout',
      ]);
      const submitted = await executor.submit(job);
      expect(submitted.externalId).toMatch(/^\d+$/);
      const { ended, phases } = await observeUntilEnded(executor, submitted);

      expect(ended).toMatchObject({
        phase: 'ended',
        outcome: 'completed',
        schedulerState: 'COMPLETED',
        exitCode: 0,
        reason: null,
      });
      expect(phases).toContain('running');
      expect(await readFile(path.join(job.workDir, 'outputs/x.txt'), 'utf8')).toBe('hi\n');
      expect(await readFile(path.join(job.workDir, 'stdout.log'), 'utf8')).toBe('to stdout\n');
      expect(await readFile(path.join(job.workDir, 'exit-code'), 'utf8')).toBe('0\n');
      expect(ended.startedAt).toMatch(ISO_UTC);
      expect(ended.endedAt).toMatch(ISO_UTC);
      expect(Date.parse(ended.endedAt ?? '') - Date.parse(ended.startedAt ?? '')).toBeGreaterThanOrEqual(
        1000,
      );
      expect(ended.cpuSeconds).toBeGreaterThan(0);
      expect(ended.peakMemoryBytes).toBeGreaterThan(50_000_000);
    });

    it('reports a non-zero exit as failed with its exit code', async (context) => {
      needSlurm(context);
      const job = await prepareJob(['sh', '-c', 'echo failing >&2; exit 3']);
      const { ended } = await observeUntilEnded(executor, await executor.submit(job));
      expect(ended).toMatchObject({
        outcome: 'failed',
        schedulerState: 'FAILED',
        exitCode: 3,
        reason: 'NonZeroExitCode',
      });
      expect(await readFile(path.join(job.workDir, 'stderr.log'), 'utf8')).toBe('failing\n');
    });

    it("reports a job Slurm could not launch as failed with the scheduler's reason", async (context) => {
      needSlurm(context);
      const job = await prepareJob(['true']);
      // slurmstepd cannot open a directory as the job's standard output, so the launch fails.
      await mkdir(path.join(job.workDir, 'stdout.log'));
      const { ended } = await observeUntilEnded(executor, await executor.submit(job));
      expect(ended).toMatchObject({
        outcome: 'failed',
        schedulerState: 'FAILED',
        exitCode: null,
        reason: 'JobLaunchFailure',
      });
    });

    it('cancels a running job, which then ends cancelled', async (context) => {
      needSlurm(context);
      const job = await prepareJob(['sleep', '300']);
      const submitted = await executor.submit(job);
      const { ended } = await observeUntilEnded(executor, submitted, {
        onRunning: () => executor.cancel(submitted),
      });
      expect(ended).toMatchObject({ outcome: 'cancelled', schedulerState: 'CANCELLED', exitCode: null });
      expect(ended.reason).toMatch(/cancelled/);
      expect(ended.endedAt).toMatch(ISO_UTC);
    });

    it('reports a job over its time limit as failed, TIMEOUT kept', async (context) => {
      needSlurm(context);
      // One minute is the shortest limit sbatch takes, and slurmctld looks for jobs over their limit every
      // 30 s: this job ends 60 to 90 s after it starts.
      const job = await prepareJob(['sleep', '300'], { ...RESOURCES, time: '1' });
      const { ended } = await observeUntilEnded(executor, await executor.submit(job), {
        timeoutMs: 180_000,
      });
      expect(ended).toMatchObject({ outcome: 'failed', schedulerState: 'TIMEOUT', exitCode: null });
      expect(ended.reason).toMatch(/time limit/);
    }, 240_000);

    it('finds a submitted job by its name, for an agent that never recorded the id', async (context) => {
      needSlurm(context);
      const job = await prepareJob(['sleep', '1']);
      const submitted = await executor.submit(job);
      const restarted = new SlurmExecutor({});
      expect(await restarted.find(job)).toEqual(submitted);
      expect(await restarted.find({ ...job, jobId: randomUUID() })).toBeNull();
      const { ended } = await observeUntilEnded(restarted, submitted);
      expect(ended.outcome).toBe('completed');
      // Still found once it has ended.
      expect(await restarted.find(job)).toEqual(submitted);
    });

    it("passes the resource's partition to sbatch, and a job Slurm refuses fails to submit with its reason", async (context) => {
      needSlurm(context);
      const inDebug = new SlurmExecutor({ partition: 'debug', maxConcurrent: 3 });
      expect(inDebug.capacity).toBe(3);
      expect(executor.capacity).toBeGreaterThanOrEqual(100);
      const { ended } = await observeUntilEnded(inDebug, await inDebug.submit(await prepareJob(['true'])));
      expect(ended.outcome).toBe('completed');

      const nowhere = new SlurmExecutor({ partition: 'no-such-partition' });
      await expect(nowhere.submit(await prepareJob(['true']))).rejects.toThrow(/Invalid partition/);
    });

    it('reads final states from the jobcomp file on a cluster without slurmdbd', async (context) => {
      needSlurm(context);
      // sacct as a cluster without slurmdbd answers it (the message is Slurm's own); `sacct --completion`
      // still reads the real cluster's jobcomp file.
      const withoutDbd = path.join(root, `sacct-${randomUUID()}.sh`);
      await writeFile(
        withoutDbd,
        `#!/bin/sh\necho "$*" >> '${withoutDbd}.log'\n` +
          `case " $* " in *" --completion "*) exec sacct "$@" ;; esac\n` +
          `echo 'Slurm accounting storage is disabled' >&2\nexit 1\n`,
        { mode: 0o755 },
      );
      const jobcomp = new SlurmExecutor({}, { commands: { sacct: withoutDbd } });
      const [failing, succeeding] = await Promise.all([
        prepareJob(['sh', '-c', 'exit 4']),
        prepareJob(['true']),
      ]);
      const failed = await observeUntilEnded(jobcomp, await jobcomp.submit(failing));
      expect(failed.ended).toMatchObject({ outcome: 'failed', schedulerState: 'FAILED', exitCode: 4 });
      const completed = await observeUntilEnded(jobcomp, await jobcomp.submit(succeeding));
      expect(completed.ended).toMatchObject({
        outcome: 'completed',
        schedulerState: 'COMPLETED',
        exitCode: 0,
        cpuSeconds: null,
        peakMemoryBytes: null,
      });
      expect(completed.ended.endedAt).toMatch(ISO_UTC);
      const calls = (await readFile(`${withoutDbd}.log`, 'utf8')).trim().split('\n');
      expect(calls.filter((call) => call.includes('--completion')).length).toBeGreaterThanOrEqual(2);
      // Once told that there is no slurmdbd, the executor stops asking it.
      expect(calls.filter((call) => !call.includes('--completion'))).toHaveLength(1);
    });

    it('never takes a job Slurm does not know for a success', async (context) => {
      needSlurm(context);
      const job = await prepareJob(['true']);
      const impatient = new SlurmExecutor({}, { accountingWaitMs: 1000 });
      const observations = await impatient.observe([{ ...job, externalId: '987654321' }]);
      expect(observations.get(job.jobId)).toMatchObject({
        phase: 'ended',
        outcome: 'failed',
        schedulerState: 'UNKNOWN',
        exitCode: null,
      });
      const observation = observations.get(job.jobId);
      expect(observation?.phase === 'ended' && observation.reason).toMatch(/no longer knows job 987654321/);
    });

    it('asks squeue once per poll for all jobs, and concludes nothing when Slurm cannot be asked', async (context) => {
      needSlurm(context);
      const log = path.join(root, `squeue-${randomUUID()}.log`);
      const wrapper = path.join(root, `squeue-${randomUUID()}.sh`);
      await writeFile(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec squeue "$@"\n`, { mode: 0o755 });
      const counting = new SlurmExecutor({}, { commands: { squeue: wrapper } });
      const jobs = await Promise.all([1, 2, 3].map(() => prepareJob(['sleep', '2'])));
      const submitted = await Promise.all(jobs.map((job) => counting.submit(job)));

      const observations = await counting.observe(submitted);
      expect([...observations.keys()].sort()).toEqual(jobs.map((job) => job.jobId).sort());
      const calls = (await readFile(log, 'utf8')).trim().split('\n');
      expect(calls).toHaveLength(1);
      expect(calls[0]).toContain(`--jobs ${submitted.map((job) => job.externalId).join(',')}`);

      const broken = new SlurmExecutor({}, { commands: { squeue: 'false' } });
      await expect(broken.observe(submitted)).rejects.toBeInstanceOf(SlurmUnavailableError);
      for (const job of submitted) await counting.cancel(job);
    });
  });

  describe('the test cluster script', () => {
    it('starts safely from two test files at once, and says the cluster runs', async (context) => {
      needSlurm(context);
      const starts = await Promise.all([1, 2].map(() => runProcess('bash', [CLUSTER_SCRIPT, 'start'])));
      for (const start of starts) expect(start.status, start.stderr).toBe(0);
      const status = await runProcess('bash', [CLUSTER_SCRIPT, 'status']);
      expect(status.status, status.stdout).toBe(0);
      expect(status.stdout).toMatch(/slurmctld: running/);
      expect(status.stdout).toMatch(/node: (idle|mixed|allocated)/);
    });
  });

  describe('a controller restart', () => {
    it('leaves a running job running: polls meanwhile conclude nothing, and it ends with its right final state', async (context) => {
      needSlurm(context);
      const executor = new SlurmExecutor({});
      const job = await prepareJob(['bash', '-c', 'sleep 6; echo done > outputs/x.txt']);
      const submitted = await executor.submit(job);
      let restart: Promise<ProcessResult> | undefined;
      const { ended } = await observeUntilEnded(executor, submitted, {
        // Not awaited: the job is polled while slurmctld goes down and comes back.
        onRunning: async () => {
          restart = runProcess('bash', [CLUSTER_SCRIPT, 'restart-controller']);
        },
      });
      const restarted = await restart;
      expect(restarted?.status, restarted?.stderr).toBe(0);
      expect(ended).toMatchObject({ outcome: 'completed', schedulerState: 'COMPLETED', exitCode: 0 });
      expect(await readFile(path.join(job.workDir, 'outputs/x.txt'), 'utf8')).toBe('done\n');
    });
  });
});
