/**
 * Structured JSON logs (pino), one logger for the process; requests get children carrying the request id.
 *
 * Lines go to standard output through a buffer written out when it holds 4 KiB, and at least every 200 ms, not
 * with one write per line: on a busy server the per-line system call cost more than everything else logging
 * does. pino flushes the buffer when the process exits (a clean stop, an uncaught error); only a SIGKILL loses
 * the last fraction of a second.
 */
import { destination as pinoDestination, pino, type Logger as PinoLogger } from 'pino';
import type { Config } from '../config/config.js';

export type Logger = PinoLogger;

const FLUSH_EVERY_MS = 200;

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  const destination = pinoDestination({ dest: 1, sync: false, minLength: 4096 });
  const timer = setInterval(() => {
    try {
      destination.flush();
    } catch {
      clearInterval(timer); // the stream was closed (process exit): nothing more to write
    }
  }, FLUSH_EVERY_MS).unref();
  return pino(
    {
      level: config.logLevel,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
