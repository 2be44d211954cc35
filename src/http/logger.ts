/**
 * Structured JSON logs (pino), one logger for the process; requests get children carrying the request id.
 *
 * Lines go to standard output in batches, not with one write per line: on a busy server the per-line system
 * call cost more than everything else logging does. Lines are gathered here and written 16 KiB at a time,
 * synchronously (pino's writer, sonic-boom, as pino writes standard output by default); a timer writes out
 * what has gathered at least every 200 ms. Gathering in sonic-boom itself (its `minLength`) makes as few
 * system calls but costs more time: it measures the UTF-8 length of its whole pending buffer again on every
 * line (bench/README.md, Decisions). Synchronous batches keep the lines in order when the process exits (a
 * clean stop, an uncaught error), where an asynchronous write still in flight could land after the last
 * batch; only a SIGKILL loses the last fraction of a second.
 */
import {
  destination as pinoDestination,
  pino,
  type Bindings,
  type ChildLoggerOptions,
  type Logger as PinoLogger,
} from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.js';

export type Logger = PinoLogger;

const FLUSH_EVERY_MS = 200;
const BATCH_CHARS = 16_384;

type Destination = ReturnType<typeof pinoDestination>;

/** What pino writes lines to: gathers them and writes them out in batches (see the module header). */
class BatchedLines {
  readonly #target: Destination;
  #pending: string[] = [];
  #chars = 0;

  constructor(target: Destination) {
    this.#target = target;
  }

  write(line: string): boolean {
    this.#pending.push(line);
    this.#chars += line.length;
    if (this.#chars >= BATCH_CHARS) this.#writeOut();
    return true;
  }

  #writeOut(): void {
    if (this.#pending.length === 0) return;
    const batch = this.#pending.join('');
    this.#pending = [];
    this.#chars = 0;
    this.#target.write(batch);
  }

  /** Writes out what has gathered. */
  flush(callback?: (error?: Error) => void): void {
    this.#writeOut();
    callback?.();
  }

  /** The same, for pino's exit handling: the writes are synchronous already. */
  flushSync(): void {
    this.#writeOut();
  }
}

let standardOutput: BatchedLines | null = null;

/** The process's one batched standard output for logs (every logger of the process writes through it). */
function bufferedStandardOutput(): BatchedLines {
  if (standardOutput !== null) return standardOutput;
  const lines = new BatchedLines(pinoDestination({ dest: 1, sync: true }));
  const timer = setInterval(() => {
    try {
      lines.flush();
    } catch {
      clearInterval(timer); // the stream was closed (process exit): nothing more to write
    }
  }, FLUSH_EVERY_MS).unref();
  process.on('exit', () => {
    try {
      lines.flushSync();
    } catch {
      // standard output is gone (a closed pipe): nothing can be written anywhere
    }
  });
  standardOutput = lines;
  return lines;
}

/** The output each logger made by createLogger writes to (for the access line's direct path). */
const outputOf = new WeakMap<Logger, BatchedLines>();

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  const output = bufferedStandardOutput();
  const log = pino(
    {
      level: config.logLevel,
      base: { pid: process.pid },
      // pino's own default, milliseconds since the epoch: an ISO date is costly to format on every access
      // line (bench/README.md, Decisions; `npx pino-pretty` shows them as dates).
      timestamp: pino.stdTimeFunctions.epochTime,
    },
    output,
  );
  outputOf.set(log, output);
  return log;
}

/** What the access line of a request says (besides level, time, pid and the message "request"). */
export interface AccessLine {
  reqId: string;
  method: string;
  url: string;
  status: number;
  ms: number;
}

/**
 * A writer of access lines, the one line every request logs, at level info. For a logger made by
 * createLogger it writes the line itself, exactly as pino would (same fields in the same order), straight to
 * the output, without pino's general serializer (walking the object, escaping each string, adding the
 * bindings). Other loggers get `log.info`.
 */
export function accessLogWriter(log: Logger): (line: AccessLine) => void {
  const output = outputOf.get(log);
  if (output === undefined) return (line) => log.info(line, 'request');
  const afterTime = `,"pid":${process.pid},"reqId":`;
  return (line) => {
    if (!log.isLevelEnabled('info')) return;
    output.write(
      `{"level":30,"time":${Date.now()}${afterTime}${JSON.stringify(line.reqId)},"method":${JSON.stringify(line.method)},"url":${JSON.stringify(line.url)},"status":${line.status},"ms":${line.ms},"msg":"request"}\n`,
    );
  };
}

type LogArguments = Parameters<Logger['info']>;

/**
 * A request's logger (Fastify's `request.log`) that becomes a pino child carrying the request id only when
 * something logs through it: most requests log only their access line, which the application writes
 * through the process logger with the id as a field, so building a child for every request was wasted work.
 */
class LazyChildLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: Logger | null = null;

  constructor(parent: Logger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): Logger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options));
  }
  get level(): string {
    return this.#child?.level ?? this.#parent.level;
  }
  set level(level: string) {
    this.#real().level = level;
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.#real().child(bindings, options);
  }
  silent(): void {}
  #log(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', args: LogArguments): void {
    // A route may give its requests a level of their own; then the child decides.
    const decides = this.#child !== null || this.#options.level !== undefined ? this.#real() : this.#parent;
    if (decides.isLevelEnabled(level)) this.#real()[level](...args);
  }
  fatal(...args: LogArguments): void {
    this.#log('fatal', args);
  }
  error(...args: LogArguments): void {
    this.#log('error', args);
  }
  warn(...args: LogArguments): void {
    this.#log('warn', args);
  }
  info(...args: LogArguments): void {
    this.#log('info', args);
  }
  debug(...args: LogArguments): void {
    this.#log('debug', args);
  }
  trace(...args: LogArguments): void {
    this.#log('trace', args);
  }
}

/** Fastify's `childLoggerFactory`: request loggers that cost nothing until used. */
export function lazyRequestLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  // Fastify's logger type is pino's minus a few members; the process logger it hands over is pino's own.
  const pinoParent = parent as Logger;
  return new LazyChildLogger(pinoParent, bindings, options);
}
