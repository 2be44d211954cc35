/**
 * Server-Sent Events replies (text/event-stream): the frames (`id:`, `event:`, `data:` lines, comments), a
 * keep-alive comment at an interval (proxies and browsers drop connections that stay silent), and the end of
 * the stream when the client goes away, when it reads too slowly, or when the server closes.
 */
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** How long the browser waits before it reconnects, sent once at the start. */
const RECONNECT_MS = 3_000;
/** A client this far behind is cut off; it reconnects and resumes from its Last-Event-ID. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface ServerSentEvent {
  readonly id: number | string;
  readonly event: string;
  readonly data: unknown;
}

export interface EventStreamReply {
  send(event: ServerSentEvent): void;
  /** Ends the stream (the client's EventSource reconnects unless it was closed on its side). */
  end(): void;
  readonly ended: boolean;
}

export interface EventStreamOptions {
  /** Interval of the `: keep-alive` comment. */
  readonly keepAliveMs: number;
  /** Called at each keep-alive (to check that the reader may still read). */
  readonly onKeepAlive?: () => void;
  /** Called once when the stream ends, whoever ended it. */
  readonly onEnd: () => void;
}

/** Starts an event stream as the reply: the headers go out at once, frames follow as they are sent. */
export function replyWithEventStream(reply: FastifyReply, options: EventStreamOptions): EventStreamReply {
  const body = new PassThrough();
  let ended = false;
  const keepAlive = setInterval(() => {
    write(': keep-alive\n\n');
    options.onKeepAlive?.();
  }, options.keepAliveMs);
  const finish = () => {
    if (ended) return;
    ended = true;
    clearInterval(keepAlive);
    body.end();
    options.onEnd();
  };
  const write = (text: string) => {
    if (ended) return;
    body.write(text);
    if (body.writableLength > MAX_BUFFERED_BYTES) finish();
  };
  // The client went away (or Fastify destroyed the body): nothing more to send.
  reply.raw.once('close', finish);
  body.once('close', finish);

  void reply
    .type('text/event-stream; charset=utf-8')
    .header('cache-control', 'no-store')
    // Reverse proxies (nginx) would otherwise buffer the stream.
    .header('x-accel-buffering', 'no')
    // Its connection is done with when the stream ends (a closing server must not wait for it to idle out).
    .header('connection', 'close')
    .send(body);
  write(`retry: ${RECONNECT_MS}\n\n`);
  // The client may have gone before the stream began.
  if (reply.raw.closed) finish();

  return {
    send(event) {
      write(`id: ${event.id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
    },
    end: finish,
    get ended() {
      return ended;
    },
  };
}
