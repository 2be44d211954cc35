import { describe, expect, it } from 'vitest';
import { runProcess } from '../support/run-process.js';

/**
 * Runs a script in a fresh process with the logger of src/http/logger.ts (as compiled into dist/ by the
 * suite's global setup) on its standard output, and returns the JSON lines it wrote (the batched output is
 * written out when the process exits).
 */
async function linesFrom(script: string, expectedStatus = 0): Promise<Record<string, unknown>[]> {
  const result = await runProcess(process.execPath, ['--input-type=module', '-e', script], {
    timeoutMs: 60_000,
  });
  expect(result.status, result.stderr).toBe(expectedStatus);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const LOGGER = JSON.stringify(new URL('../../dist/http/logger.js', import.meta.url).href);

describe('logger', () => {
  it('writes the access line exactly as pino would, and honours the level', async () => {
    const hostileUrl = '/api/items?q="quoted"\\\u0001ü';
    const [direct, viaPino, ...rest] = await linesFrom(`
      const { createLogger, accessLogWriter } = await import(${LOGGER});
      const line = { reqId: 'req-1', method: 'GET', url: ${JSON.stringify(hostileUrl)}, status: 200, ms: 1.5 };
      const log = createLogger({ logLevel: 'info' });
      accessLogWriter(log)(line);
      log.info(line, 'request');
      const quiet = createLogger({ logLevel: 'warn' });
      accessLogWriter(quiet)(line);
    `);
    expect(rest).toEqual([]);
    expect(direct).toBeDefined();
    expect(Object.keys(direct ?? {})).toEqual(Object.keys(viaPino ?? {}));
    expect({ ...direct, time: 0 }).toEqual({ ...viaPino, time: 0 });
    expect(direct).toMatchObject({ level: 30, msg: 'request', url: hostileUrl, status: 200, ms: 1.5 });
  });

  it('loses no batched line when the process ends, also on an uncaught error', async () => {
    const script = (ending: string) => `
      const { createLogger } = await import(${LOGGER});
      const log = createLogger({ logLevel: 'info' });
      for (let i = 0; i < 5000; i++) log.info({ i }, 'line');
      ${ending}
    `;
    const all = Array.from({ length: 5000 }, (_, i) => i);
    expect((await linesFrom(script(''))).map((line) => line.i)).toEqual(all);
    expect((await linesFrom(script("throw new Error('crash');"), 1)).map((line) => line.i)).toEqual(all);
  });
});
