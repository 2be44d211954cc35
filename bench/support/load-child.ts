/**
 * The load generator's own process: runs autocannon with the options given as JSON in argv[2] and prints
 * the summary as one JSON line on stdout. Kept out of the benchmark runner so that the runner's event loop
 * and the load generator's never compete.
 */
import autocannon from 'autocannon';
import type { LoadOptions, LoadResult } from './load.js';

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;

const result = await autocannon({
  url: options.url,
  method: options.method ?? 'GET',
  headers: options.headers ?? {},
  connections: options.connections,
  duration: options.durationSeconds,
});

const summary: LoadResult = {
  url: options.url,
  connections: options.connections,
  durationSeconds: result.duration,
  requestsPerSecond: result.requests.average,
  requests: result.requests.total,
  latencyMs: {
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.mean,
    max: result.latency.max,
  },
  status2xx: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  bytesPerSecond: result.throughput.average,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
