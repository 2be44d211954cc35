/**
 * The `cairn` command as users run it: `node bin/cairn.js`, which runs the compiled server in dist/. The
 * suite's global setup compiles it once (`buildServerIfStale`), so no test compiles TypeScript in a child.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { runProcess, type ProcessResult, type RunOptions } from './run-process.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const srcDir = path.join(repoRoot, 'src');
const distDir = path.join(repoRoot, 'dist');
export const CAIRN_BIN = path.join(repoRoot, 'bin', 'cairn.js');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return file.endsWith('.ts') && !file.endsWith('.d.ts') ? [file] : [];
  });
}

function mtimeOrZero(file: string): number {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

/** Whether every source file has a compiled file at least as new as it and as the compiler settings. */
function isDistFresh(): boolean {
  const settingsChanged = Math.max(
    ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((name) =>
      mtimeOrZero(path.join(repoRoot, name)),
    ),
  );
  return sourceFiles(srcDir).every((source) => {
    const compiled = path.join(distDir, path.relative(srcDir, source)).replace(/\.ts$/, '.js');
    return mtimeOrZero(compiled) >= Math.max(mtimeOrZero(source), settingsChanged);
  });
}

/** Compiles src/ into dist/ (`npm run build:server`) unless dist/ is already newer than every source. */
export async function buildServerIfStale(): Promise<void> {
  if (isDistFresh()) return;
  const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');
  const result = await runProcess(tsc, ['-p', 'tsconfig.build.json'], { cwd: repoRoot, timeoutMs: 300_000 });
  if (result.status !== 0)
    throw new Error(`tsc -p tsconfig.build.json failed:\n${result.stdout}${result.stderr}`);
}

/** Runs `cairn <args>` in a child process to its end. */
export function runCairn(args: string[], options: RunOptions = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [CAIRN_BIN, ...args], { env: process.env, ...options });
}

/** A `cairn` process left running (a server, an agent), with what it has printed so far. */
export interface RunningCairn {
  readonly child: ChildProcess & { stdout: Readable; stderr: Readable };
  output(): string;
  /** Ends it with `signal` and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `cairn <args>` in the background; the caller ends it with `kill`. */
export function startCairn(args: string[], env: NodeJS.ProcessEnv = process.env): RunningCairn {
  const child = spawn(process.execPath, [CAIRN_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let printed = '';
  child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => printed,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface ServeProcess {
  /** Where it listens (`http://127.0.0.1:<port>`). */
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Stops it with SIGTERM (a clean shutdown) and waits for its exit; SIGKILL if it outlives `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/**
 * Starts `cairn serve` on a free port of 127.0.0.1 with `env` added to the test's environment, and resolves
 * once it logs that it is serving (with its address); fails with its output if it exits or takes too long.
 */
export function startCairnServe(
  env: NodeJS.ProcessEnv,
  { timeoutMs = 120_000 }: { timeoutMs?: number } = {},
): Promise<ServeProcess> {
  const running = startCairn(['serve'], {
    ...process.env,
    CAIRN_PORT: '0',
    CAIRN_HOST: '127.0.0.1',
    CAIRN_LOG_LEVEL: 'info',
    ...env,
  });
  const { child } = running;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cairn serve did not start within ${timeoutMs} ms:\n${running.output()}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`cairn serve exited (${code}) before serving:\n${running.output()}`));
    };
    child.once('exit', onExit);
    const onData = () => {
      const line = running
        .output()
        .split('\n')
        .find((text) => text.includes('"cairn is serving"'));
      if (line === undefined) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout.off('data', onData);
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        output: () => running.output(),
        async stop(stopTimeoutMs = 60_000) {
          if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
          const code = await exited;
          clearTimeout(killer);
          return code;
        },
      });
    };
    child.stdout.on('data', onData);
  });
}
