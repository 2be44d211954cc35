/** Structured JSON logs (pino), one logger for the process; requests get children carrying the request id. */
import { pino, type Logger as PinoLogger } from 'pino';
import type { Config } from '../config/config.js';

export type Logger = PinoLogger;

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
