/**
 * Benchmark children: measurements that call Cairn's services in-process run in a fresh Node process each
 * (bench/*-child.ts through tsx), so that neither the runner's heap nor an earlier measurement's garbage
 * weighs on them. The child imports Cairn's modules from the compiled build (the server's build, see
 * cairn.ts) or from the sources through tsx, reads its input as JSON from argv[2], reports progress on
 * stderr and prints its result as the last line of stdout, as JSON.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CairnModules } from './cairn.js';
import { runNode, TSX } from './servers.js';

const MODULES_ENV = 'BENCH_CAIRN_MODULES';

/** Runs a child script with its input; returns what it printed last. Its stderr lines go to `log`. */
export async function runChild<T>(
  script: string,
  input: unknown,
  options: {
    modules: CairnModules;
    log: (message: string) => void;
    nodeArgs?: readonly string[];
  },
): Promise<T> {
  let pending = '';
  const { stdout } = await runNode(
    [...(options.nodeArgs ?? []), ...TSX, script, JSON.stringify(input)],
    { ...process.env, [MODULES_ENV]: options.modules.root, NODE_ENV: 'production' },
    {
      onStderr: (text) => {
        pending += text;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim() !== '') options.log(`  ${line}`);
      },
    },
  );
  const line = stdout.trim().split('\n').at(-1);
  if (line === undefined || line === '') throw new Error(`${path.basename(script)} printed no result`);
  return JSON.parse(line) as T;
}

// ---- the child's side ----

/** The input the runner gave (argv[2], JSON). */
export function childInput<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

/** Prints the result (the last line of stdout). */
export function childResult(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A progress line for the runner's log. */
export function childProgress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Imports one of Cairn's modules by its path under src/ written with `.js` (as the sources import each
 * other), from where the runner said; type it with `typeof import('../src/…')`.
 */
export async function cairnModule<M>(relative: string): Promise<M> {
  const root = process.env[MODULES_ENV];
  if (root === undefined || root === '')
    throw new Error(`${MODULES_ENV} is not set: run me through runChild`);
  return (await import(pathToFileURL(path.join(root, relative)).href)) as M;
}

/** CPU time (user + system) of this process so far, in seconds. */
export function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Percentile (nearest rank) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}
