/**
 * Slurm for the slurm-submit and slurm-latency benchmarks: whether the one-node cluster answers (the
 * benchmarks skip when it does not), the plain `sbatch` submission the baselines make with the very arguments
 * of Cairn's Slurm executor, the queue as `squeue` shows it, and cleaning up the benchmark's own jobs (by id:
 * the cluster is shared with other users' jobs, which are left alone). Every command is spawned asynchronously.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { JOB_SCRIPT, STDERR_LOG, STDOUT_LOG } from '../../src/modules/compute/executors/job-directory.js';
import type { JobResources } from '../../src/modules/compute/executors/job-spec.js';
import { BenchmarkFailure } from './benchmark.js';

export interface CommandOutcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command (no shell) to its end; never rejects for a non-zero status, only when it cannot start. */
export function runCommand(command: string, args: readonly string[]): Promise<CommandOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      env: { ...process.env, TZ: 'UTC', SLURM_TIME_FORMAT: 'standard' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Why Slurm cannot be used for a benchmark (commands missing, controller down, node not up), or null. */
export async function slurmUnavailable(): Promise<string | null> {
  const howToStart = 'start the one-node cluster with `scripts/slurm-cluster.sh start` (as root)';
  let ping: CommandOutcome;
  try {
    ping = await runCommand('scontrol', ['ping']);
  } catch {
    return `Slurm's commands are not installed (no scontrol on PATH): ${howToStart}`;
  }
  if (ping.status !== 0 || !/\bUP\b/.test(ping.stdout)) {
    return `the Slurm controller does not answer (scontrol ping: ${(ping.stdout + ping.stderr).trim() || ping.status}): ${howToStart}`;
  }
  const nodes = await runCommand('sinfo', ['--noheader', '--format=%T']);
  const states = nodes.stdout.split('\n').map((line) => line.trim().replace(/[*~#!%$@^-]+$/, ''));
  if (!states.some((state) => ['idle', 'mixed', 'allocated', 'completing'].includes(state))) {
    return `no Slurm node is up (sinfo: ${nodes.stdout.trim() || nodes.stderr.trim()}): ${howToStart}`;
  }
  return null;
}

/**
 * The arguments Cairn's Slurm executor gives `sbatch` for a job (slurm-executor.ts `submit`, no partition or
 * account set): the baselines submit the same job scripts the same way.
 */
export function sbatchArguments(jobName: string, workDir: string, resources: JobResources): string[] {
  return [
    '--parsable',
    `--job-name=${jobName}`,
    `--chdir=${workDir}`,
    `--output=${path.join(workDir, STDOUT_LOG)}`,
    `--error=${path.join(workDir, STDERR_LOG)}`,
    `--cpus-per-task=${resources.cpus}`,
    `--mem=${resources.memory}`,
    `--time=${resources.time}`,
    path.join(workDir, JOB_SCRIPT),
  ];
}

/** `sbatch --parsable …`: the job id. */
export async function sbatch(args: readonly string[]): Promise<string> {
  const result = await runCommand('sbatch', args);
  const id = /^(\d+)/.exec(result.stdout.trim())?.[1];
  if (result.status !== 0 || id === undefined) {
    throw new BenchmarkFailure(
      `sbatch failed (${result.status}): ${(result.stderr || result.stdout).trim()}`,
    );
  }
  return id;
}

/** Job states that end a job in Slurm's words (squeue's long form). */
export const FINAL_STATES = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'NODE_FAIL',
  'PREEMPTED',
  'BOOT_FAIL',
  'DEADLINE',
]);

/** Job name → state of the named jobs Slurm still lists (finished ones too, for MinJobAge). */
export async function queueStatesByName(names: readonly string[]): Promise<Map<string, string>> {
  const result = await runCommand('squeue', [
    '--noheader',
    '--states=all',
    '--format=%j|%T',
    `--name=${names.join(',')}`,
  ]);
  if (result.status !== 0) throw new BenchmarkFailure(`squeue failed: ${result.stderr.trim()}`);
  const states = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const [name, state] = line.trim().split('|');
    if (name !== undefined && state !== undefined && name !== '') states.set(name, state);
  }
  return states;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The jobs among `ids` that Slurm still has pending or running. */
async function activeJobs(ids: readonly string[]): Promise<string[]> {
  const active: string[] = [];
  for (const group of chunks(ids, 200)) {
    const result = await runCommand('squeue', ['--noheader', '--format=%i', `--jobs=${group.join(',')}`]);
    if (result.status !== 0) {
      if (/Invalid job id/i.test(result.stderr)) continue;
      throw new BenchmarkFailure(`squeue failed: ${result.stderr.trim()}`);
    }
    active.push(...result.stdout.split('\n').filter((line) => line.trim() !== ''));
  }
  return active;
}

/**
 * Cancels the benchmark's jobs that have not ended (by id, never by user: the cluster may be shared) and waits
 * until Slurm holds none of them, so that the next phase starts on a quiet queue.
 */
export async function clearJobs(ids: readonly string[], timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let active = await activeJobs(ids);
  for (const group of chunks(active, 200)) await runCommand('scancel', group);
  while (active.length > 0) {
    if (Date.now() > deadline) {
      throw new BenchmarkFailure(`${active.length} benchmark jobs were still in Slurm's queue after scancel`);
    }
    await sleep(250);
    active = await activeJobs(active);
  }
}

/**
 * Fails unless Slurm's controller has room for `needed` more jobs. It keeps finished jobs for MinJobAge seconds
 * (an hour on the test cluster) and refuses submissions once it holds MaxJobCount jobs ("Resource temporarily
 * unavailable"), so a benchmark that submits thousands checks before it starts rather than failing halfway.
 */
export async function requireJobRoom(needed: number): Promise<void> {
  const config = await runCommand('scontrol', ['show', 'config']);
  const setting = (name: string) =>
    Number(new RegExp(`^${name}\\s*=\\s*(\\d+)`, 'm').exec(config.stdout)?.[1]);
  const maxJobs = setting('MaxJobCount');
  const minJobAge = setting('MinJobAge');
  const held = await runCommand('squeue', ['--noheader', '--states=all', '--format=%i']);
  const count = held.stdout.split('\n').filter((line) => line.trim() !== '').length;
  if (Number.isFinite(maxJobs) && count + needed > maxJobs) {
    throw new BenchmarkFailure(
      `Slurm's controller holds ${count} jobs of its MaxJobCount ${maxJobs} (finished ones stay for MinJobAge, ` +
        `${Number.isFinite(minJobAge) ? `${minJobAge} s` : 'unknown'}); this benchmark submits ${needed}: ` +
        'run it again once older jobs have aged out',
    );
  }
}
