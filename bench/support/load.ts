/**
 * HTTP load from a separate process: autocannon in a child (bench/support/load-child.ts), so the client
 * never shares an event loop with the runner or the server. On a 2-core machine the client takes about one
 * core, the server the other; absolute figures are ceilings for the box, ratios are what carry.
 */
import path from 'node:path';
import { REPO_ROOT, runNode, TSX } from './servers.js';

export interface LoadOptions {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly connections: number;
  readonly durationSeconds: number;
}

export interface LoadResult {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  /** autocannon's mean of per-second request counts. */
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p99: number;
    readonly mean: number;
    readonly max: number;
  };
  readonly status2xx: number;
  readonly non2xx: number;
  /** Connection errors, timeouts included. */
  readonly errors: number;
  readonly timeouts: number;
  readonly bytesPerSecond: number;
}

const CHILD = path.join(REPO_ROOT, 'bench', 'support', 'load-child.ts');

/** Loads `url` for the given time from a child process and returns autocannon's summary. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { stdout } = await runNode([...TSX, CHILD, JSON.stringify(options)], process.env);
  const line = stdout.trim().split('\n').at(-1);
  if (line === undefined || line === '')
    throw new Error(`the load generator printed nothing for ${options.url}`);
  return JSON.parse(line) as LoadResult;
}
