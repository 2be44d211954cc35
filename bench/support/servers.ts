/**
 * Child processes for benchmarks: servers under test (each in its own process, so the load generator and
 * the benchmark runner never share its event loop) and one-shot commands. Every child started here is
 * stopped when the runner exits, even on Ctrl-C.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Node arguments that run a TypeScript file through tsx (transpiled once, at start-up). */
export const TSX = ['--import', 'tsx'];

const running = new Set<ChildProcess>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the child to bind). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** Stops the process (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  readonly name: string;
  /** Arguments to `node` (the current executable). */
  readonly nodeArgs: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly port: number;
  /** A path answered with 2xx once the server is ready, e.g. /api/health. */
  readonly readyPath: string;
  /** Where the child's stdout and stderr go (its log). */
  readonly logFile: string;
  readonly startTimeoutMs?: number;
}

function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** Starts a server in a child process and waits until `readyPath` answers 2xx. */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  installCleanup();
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const out = fs.openSync(options.logFile, 'w');
  const child = spawn(process.execPath, [...options.nodeArgs], {
    cwd: REPO_ROOT,
    env: options.env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  running.add(child);
  const state: { exited: { code: number | null; signal: NodeJS.Signals | null } | null } = { exited: null };
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      state.exited = { code, signal };
      running.delete(child);
      resolve();
    });
  });
  const origin = `http://127.0.0.1:${options.port}`;
  const stop = async (): Promise<void> => {
    if (state.exited !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (state.exited !== null) {
      const { code, signal } = state.exited;
      throw new Error(
        `${options.name} exited during start-up (code ${code}, signal ${signal}):\n${tail(options.logFile)}`,
      );
    }
    try {
      const response = await fetch(`${origin}${options.readyPath}`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `${options.name} did not become ready within ${options.startTimeoutMs ?? 60_000} ms:\n${tail(options.logFile)}`,
      );
    }
    await sleep(100);
  }
  if (child.pid === undefined) throw new Error(`${options.name} has no pid`);
  return { name: options.name, pid: child.pid, origin, stop };
}

export interface BackgroundProcess {
  readonly pid: number;
  /** What it has written so far (stdout and stderr go to its log file). */
  output(): string;
  /** Whether it has exited (and how), or null while it runs. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Stops it (SIGTERM, then SIGKILL after a grace period) and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Runs `node <args>` in the background, its stdout and stderr to `logFile`: a process under test that answers
 * no HTTP (an agent), stopped like the servers when the runner exits.
 */
export function startBackground(options: {
  readonly nodeArgs: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
}): BackgroundProcess {
  installCleanup();
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const out = fs.openSync(options.logFile, 'w');
  const child = spawn(process.execPath, [...options.nodeArgs], {
    cwd: REPO_ROOT,
    env: options.env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  running.add(child);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      resolve();
    });
  });
  if (child.pid === undefined) throw new Error(`node ${options.nodeArgs.join(' ')} could not be started`);
  return {
    pid: child.pid,
    output: () => tail(options.logFile, 1_000_000),
    exited: () => exited,
    stop: async () => {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node <args>` to completion; rejects with its output when it fails. `onStderr` hears the child's
 * standard error as it comes (progress of long children), which is still collected too.
 */
export async function runNode(
  nodeArgs: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { onStderr?: (text: string) => void } = {},
): Promise<CommandResult> {
  installCleanup();
  const child = spawn(process.execPath, [...nodeArgs], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    options.onStderr?.(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  });
  running.delete(child);
  if (code !== 0) {
    throw new Error(`node ${nodeArgs.join(' ')} failed (exit ${code}):\n${stderr.trim() || stdout.trim()}`);
  }
  return { stdout, stderr };
}

let clockTicks: number | null = null;

/**
 * CPU time (user + system, seconds) a process has used so far, from /proc (Linux); null elsewhere. On a shared
 * machine, CPU per request varies much less than requests per second, which also depend on what else runs.
 */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at "state"; utime and stime are fields 14, 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return null;
  }
}
