/**
 * A Cairn route under HTTP load against the bare Fastify route answering the same body (bare-server.ts), as
 * project-read measures it: the bare server in its own process, autocannon in a third (load.ts), a warm-up
 * each, then alternating rounds bare → Cairn, with each server's CPU time per request from /proc. Any non-2xx
 * answer or connection error fails the benchmark.
 */
import path from 'node:path';
import { BenchmarkFailure, type Comparison } from './benchmark.js';
import { fmt, mean } from './common.js';
import { runLoad, type LoadResult } from './load.js';
import { cpuSecondsOf, freePort, REPO_ROOT, startServer, TSX, type ServerProcess } from './servers.js';

export interface RouteLoadOptions {
  /** The running Cairn server and the path (with query) to load, with its headers (the bearer token). */
  readonly cairn: ServerProcess;
  readonly path: string;
  readonly headers: Record<string, string>;
  /** What Cairn answered (the bare route answers the same bytes). */
  readonly body: string;
  readonly durationSeconds: number;
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  /** Where the bare server's log goes. */
  readonly logDir: string;
  readonly log: (message: string) => void;
}

export interface RouteLoadOutcome {
  readonly results: Record<'bare' | 'cairn', LoadResult[]>;
  /** Server CPU microseconds per request, per round (empty when /proc cannot be read). */
  readonly cpuMicros: Record<'bare' | 'cairn', number[]>;
  /** Requests Cairn answered, warm-up included. */
  readonly cairnRequests: number;
  readonly comparisons: Comparison[];
  /** "Cairn/bare req/s" of each round. */
  readonly perRound: string;
}

function checkClean(label: string, result: LoadResult): void {
  if (result.non2xx > 0 || result.errors > 0 || result.status2xx === 0) {
    throw new BenchmarkFailure(
      `${label} answered ${result.non2xx} non-2xx responses and ${result.errors} connection errors ` +
        `(${result.status2xx} 2xx) — the figure would not be a measurement of successful reads`,
    );
  }
}

/** Loads the bare route and Cairn's alternately; returns the comparisons (INFO unless `target` is given). */
export async function loadRouteAgainstBare(
  options: RouteLoadOptions,
  labels: { figure: string; target: number | null },
): Promise<RouteLoadOutcome> {
  const barePort = await freePort();
  const bare = await startServer({
    name: 'bare fastify',
    nodeArgs: [...TSX, path.join(REPO_ROOT, 'bench', 'support', 'bare-server.ts')],
    env: { ...process.env, BENCH_PORT: String(barePort), BENCH_PATH: '/bare', BENCH_BODY: options.body },
    port: barePort,
    readyPath: '/bare',
    logFile: path.join(options.logDir, 'bare.log'),
  });
  try {
    const { connections, durationSeconds, warmupSeconds, rounds } = options;
    const targets = {
      bare: { url: `${bare.origin}/bare`, headers: {}, pid: bare.pid },
      cairn: {
        url: `${options.cairn.origin}${options.path}`,
        headers: options.headers,
        pid: options.cairn.pid,
      },
    } as const;
    options.log(`warm-up: ${warmupSeconds} s each`);
    let cairnRequests = 0;
    for (const name of ['bare', 'cairn'] as const) {
      const { url, headers } = targets[name];
      const warmup = await runLoad({ url, headers, connections, durationSeconds: warmupSeconds });
      checkClean(`${name} (warm-up)`, warmup);
      if (name === 'cairn') cairnRequests += warmup.requests;
    }
    const results: Record<'bare' | 'cairn', LoadResult[]> = { bare: [], cairn: [] };
    const cpuMicros: Record<'bare' | 'cairn', number[]> = { bare: [], cairn: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const name of ['bare', 'cairn'] as const) {
        const { url, headers, pid } = targets[name];
        options.log(`round ${round}/${rounds}: ${name}, ${durationSeconds} s, ${connections} connections`);
        const cpuBefore = cpuSecondsOf(pid);
        const result = await runLoad({ url, headers, connections, durationSeconds });
        const cpuAfter = cpuSecondsOf(pid);
        checkClean(name, result);
        results[name].push(result);
        if (cpuBefore !== null && cpuAfter !== null)
          cpuMicros[name].push(((cpuAfter - cpuBefore) * 1e6) / result.requests);
        if (name === 'cairn') cairnRequests += result.requests;
        options.log(
          `  ${fmt(result.requestsPerSecond)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms` +
            (cpuMicros[name].length === round
              ? `, server CPU ${fmt(cpuMicros[name].at(-1) ?? 0)} µs/request`
              : ''),
        );
      }
    }

    const summary = (name: 'bare' | 'cairn') => ({
      requestsPerSecond: mean(results[name].map((r) => r.requestsPerSecond)),
      p50: mean(results[name].map((r) => r.latencyMs.p50)),
      p99: mean(results[name].map((r) => r.latencyMs.p99)),
    });
    const c = summary('cairn');
    const b = summary('bare');
    const baselineLabel = 'bare Fastify, constant JSON';
    const figureLabel = labels.figure;
    const comparisons: Comparison[] = [
      {
        metric: 'throughput',
        unit: 'req/s',
        figureLabel,
        figure: c.requestsPerSecond,
        baselineLabel,
        baseline: b.requestsPerSecond,
        better: 'higher',
        target: labels.target,
      },
      {
        metric: 'latency p50',
        unit: 'ms',
        figureLabel,
        figure: c.p50,
        baselineLabel,
        baseline: b.p50,
        better: 'lower',
        target: null,
      },
      {
        metric: 'latency p99',
        unit: 'ms',
        figureLabel,
        figure: c.p99,
        baselineLabel,
        baseline: b.p99,
        better: 'lower',
        target: null,
      },
    ];
    if (cpuMicros.cairn.length === rounds && cpuMicros.bare.length === rounds) {
      comparisons.push({
        metric: 'server CPU/request',
        unit: 'µs',
        figureLabel,
        figure: mean(cpuMicros.cairn),
        baselineLabel,
        baseline: mean(cpuMicros.bare),
        better: 'lower',
        target: null,
      });
    }
    const perRound = results.cairn
      .map((r, i) => {
        const bareRound = results.bare[i] as LoadResult;
        return `${fmt(r.requestsPerSecond)}/${fmt(bareRound.requestsPerSecond)} = ${fmt(r.requestsPerSecond / bareRound.requestsPerSecond, 2)}`;
      })
      .join('; ');
    return { results, cpuMicros, cairnRequests, comparisons, perRound };
  } finally {
    await bare.stop();
  }
}
