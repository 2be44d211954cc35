/**
 * A Server-Sent Events client for tests, as a browser's EventSource reads a stream: a GET over a real socket
 * of its own, frames parsed as they arrive (`id`, `event`, `data`; comments and `retry` skipped). Tests wait
 * for the frame they expect; a frame that would come too late is a hang, bounded by `timeout`.
 *
 * It uses node:http rather than fetch: when a fetch is aborted, Node's fetch opens a spare connection to the
 * server at once, which then keeps a closing server waiting for it until it times out.
 */
import http from 'node:http';

export interface EventFrame {
  readonly id: string | null;
  readonly event: string;
  readonly data: string;
}

/** A frame's data as the live event it carries. */
export interface LiveEventData {
  id: number;
  occurredAt: string;
  action: string;
  entityType: string;
  entityId: string;
  projectId: string | null;
  actor: { id: string; username: string } | null;
  after: Record<string, unknown> | null;
}

export class EventStreamClient {
  /** Every frame so far, in the order received. */
  readonly frames: EventFrame[] = [];
  /** Why the stream broke, if it did not end cleanly. */
  failure: unknown = null;
  /** Resolves when the server ends the stream (or it is closed here); never rejects. */
  readonly ended: Promise<void>;
  readonly #response: http.IncomingMessage;
  #waiters: Array<() => void> = [];
  #done = false;
  #closedHere = false;

  private constructor(response: http.IncomingMessage) {
    this.#response = response;
    this.ended = this.#read();
  }

  /** Opens a stream; fails with the answer's status and body unless it is a 200 event stream. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(url, { headers, agent: false }, resolve).once('error', reject),
    );
    const type = response.headers['content-type'] ?? '';
    if (response.statusCode !== 200 || !type.startsWith('text/event-stream')) {
      let text = '';
      for await (const chunk of response) text += String(chunk);
      throw new Error(`GET ${url} answered ${response.statusCode} ${type}: ${text}`);
    }
    return new EventStreamClient(response);
  }

  /** The live events received so far (frames with data). */
  get events(): LiveEventData[] {
    return this.frames.map((frame) => JSON.parse(frame.data) as LiveEventData);
  }

  /** Resolves with the first event (received before or later) that `matches`; fails if the stream ends first. */
  async waitForEvent(
    what: string,
    matches: (event: LiveEventData) => boolean,
    { timeout = 60_000 }: { timeout?: number } = {},
  ): Promise<LiveEventData> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = this.events.find(matches);
      if (found !== undefined) return found;
      if (this.#done) throw new Error(`the stream ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} did not arrive within ${timeout} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Hangs up, as a browser does when a page closes its EventSource. */
  close(): void {
    this.#closedHere = true;
    this.#response.destroy();
  }

  async #read(): Promise<void> {
    let buffered = '';
    try {
      for await (const chunk of this.#response.setEncoding('utf8')) {
        buffered += String(chunk);
        let end = buffered.indexOf('\n\n');
        while (end !== -1) {
          this.#take(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
          end = buffered.indexOf('\n\n');
        }
        this.#wakeWaiters();
      }
    } catch (error) {
      // A connection cut by the server is an end like any other; waiters fail with "the stream ended".
      if (!this.#closedHere) this.failure = error;
    } finally {
      this.#done = true;
      this.#wakeWaiters();
    }
  }

  #take(block: string): void {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) this.frames.push({ id, event, data: data.join('\n') });
  }

  #wakeWaiters(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
