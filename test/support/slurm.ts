/**
 * The one-node Slurm of this machine for tests (`scripts/slurm-cluster.sh`): installed and started once, then
 * held by one test file at a time. The cluster is global (one slurm.conf, fixed ports), and files that restart
 * its controller or count its jobs would disturb each other; the hold is a lock file naming the holding
 * process, taken over when that process is gone. Locally, files are skipped where Slurm cannot run; under CI
 * that is a failure.
 */
import { open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runProcess } from './run-process.js';

export const CLUSTER_SCRIPT = path.resolve(import.meta.dirname, '../../scripts/slurm-cluster.sh');
const LOCK = path.join(os.tmpdir(), 'cairn-test-slurm.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function takeLock(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(LOCK, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(LOCK, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
      await rm(LOCK, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`the test Slurm cluster stayed held by process ${holder}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Installs and starts the cluster if needed and holds it for this test file. Returns why Slurm cannot be used
 * here (null when it can); throws under CI instead.
 */
export async function holdSlurmCluster(waitMs = 480_000): Promise<string | null> {
  let unavailable: string | null = null;
  if (process.getuid?.() !== 0) {
    unavailable = 'Slurm for tests needs root';
  } else {
    await takeLock(waitMs);
    for (const command of ['install', 'start']) {
      const result = await runProcess('bash', [CLUSTER_SCRIPT, command], { timeoutMs: 600_000 });
      if (result.status !== 0) {
        unavailable = `slurm-cluster.sh ${command} failed: ${result.stderr.trim()}`;
        break;
      }
    }
  }
  if (unavailable !== null && process.env.CI) throw new Error(`${unavailable}, and CI needs Slurm`);
  return unavailable;
}

/** Lets the next test file have the cluster. */
export async function releaseSlurmCluster(): Promise<void> {
  const holder = Number((await readFile(LOCK, 'utf8').catch(() => '')).trim());
  if (holder === process.pid) await rm(LOCK, { force: true });
}

/** Runs a Slurm command (squeue, sacct, …) and gives its output; fails if it exits non-zero. */
export async function slurm(command: string, args: string[]): Promise<string> {
  const result = await runProcess(command, args, { timeoutMs: 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
