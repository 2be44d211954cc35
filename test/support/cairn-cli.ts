/**
 * The `cairn` command as users run it: `node bin/cairn.js`, which runs the compiled server in dist/. The
 * suite's global setup compiles it once (`buildServerIfStale`), so no test compiles TypeScript in a child.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
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
  readonly child: ChildProcess;
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
