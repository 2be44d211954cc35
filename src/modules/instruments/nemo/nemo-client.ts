/**
 * A client of one NEMO server's REST API: the reads a usage harvester needs (ended usage events of some tools,
 * a tool's reservations around a time, and users, projects and tools by id). It speaks to NEMO as the note on
 * its API describes: `Authorization: Token …`, comma-separated `__in` filters, UTC filter datetimes, both
 * answer shapes (the bare array NEMO ≥ 4.7 returns, and the `{count, next, results}` envelope it returns with
 * `page_size` or that older sites configured, followed page by page). 5xx, 429, timeouts and dropped
 * connections are retried with bounded exponential backoff; GETs are safe to repeat, and rows are kept once by
 * id, so a retry or a page boundary shifting under a concurrent write neither loses nor repeats a row.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  readProject,
  readReservation,
  readTool,
  readUsageEvent,
  readUser,
  RowReader,
  type NemoProject,
  type NemoReservation,
  type NemoTool,
  type EndedUsageEvent,
  type NemoUsageEvent,
  type NemoUser,
} from './nemo-answers.js';
import { NemoAnswerMalformed, NemoRequestFailed } from './nemo-errors.js';
import { assertTimeZone, compileDateFormat } from './nemo-time.js';
import { normalizeNemoAddress } from './tool-ids.js';

export interface NemoClientOptions {
  /** The API base, e.g. `https://nemo.example.org/api/`. */
  readonly address: string;
  readonly token: string;
  /** The server's IANA zone: naive datetimes in its answers are read in it. */
  readonly timezone: string;
  /** The site's `DATETIME_FORMAT` as a `strptime` format, when it overrides ISO 8601. */
  readonly dateFormat?: string;
  /** Per attempt, from sending the request to the last byte of the answer. */
  readonly timeoutMs: number;
  /** Retries after the first attempt for 5xx, 429, timeouts and dropped connections. */
  readonly retries: number;
  /** The first retry's delay; each next one doubles, up to `maxBackoffMs`. Default 500 ms. */
  readonly backoffMs?: number;
  /** Default 30 s. */
  readonly maxBackoffMs?: number;
  /**
   * Rows per page asked with `page_size` (default 1000, NEMO's own); null asks for NEMO ≥ 4.7's unpaginated
   * array. Pages bound the size of one answer and what a retry repeats.
   */
  readonly pageSize?: number | null;
  /** Ids per `__in` filter, keeping URLs short. Default 100. */
  readonly idsPerRequest?: number;
}

type Query = Record<string, string>;

function chunks<T>(values: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < values.length; index += size) result.push(values.slice(index, index + size));
  return result;
}

function uniqueIds(ids: Iterable<number>): number[] {
  return [...new Set(ids)].filter((id) => Number.isSafeInteger(id)).sort((a, b) => a - b);
}

function instant(value: Date | string, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${name} is not a time: ${String(value)}`);
  return ms;
}

/** What a refusal says: NEMO's `{"detail": …}` or field-keyed `{"param": ["message"]}`, else the raw text. */
function refusalDetail(status: number, text: string): string {
  const shortText = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'object' && body !== null) {
      const detail = (body as { detail?: unknown }).detail;
      if (typeof detail === 'string') return `${status} ${detail}`;
      return `${status} ${JSON.stringify(body)}`;
    }
  } catch {
    // not JSON: keep the text
  }
  return `${status} ${shortText}`;
}

/** Why no answer came: fetch wraps the socket's error (ECONNREFUSED, ECONNRESET…) as its `cause`. */
function transportFailure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return `connection failed (${String(error)})`;
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = error.cause instanceof Error ? error.cause.message : error.message;
  return `connection failed (${cause})`;
}

function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

export class NemoClient {
  /** The normalised API base: what `session_identifier`s and instruments' `api_url`s start with. */
  readonly address: string;
  readonly timezone: string;
  private readonly options: NemoClientOptions;
  private readonly pageSize: number | null;
  private readonly idsPerRequest: number;

  constructor(options: NemoClientOptions) {
    this.address = normalizeNemoAddress(options.address);
    assertTimeZone(options.timezone);
    if (options.dateFormat !== undefined) compileDateFormat(options.dateFormat);
    if (!(options.timeoutMs > 0)) throw new Error('timeoutMs must be positive');
    if (!Number.isInteger(options.retries) || options.retries < 0) {
      throw new Error('retries must be a whole number ≥ 0');
    }
    this.timezone = options.timezone;
    this.options = options;
    this.pageSize = options.pageSize === undefined ? 1000 : options.pageSize;
    this.idsPerRequest = options.idsPerRequest ?? 100;
  }

  /**
   * The usage events of these tools that ended in [since, until] (no upper bound when `until` is not given),
   * oldest end first, then by id: a stable order for a harvest to walk. Open events are never returned. No tool asks nothing: NEMO reads an empty `tool_id__in` as "all
   * tools". Rows are also checked here against the filters, since NEMO silently ignores a filter it does not
   * know (older versions) and would answer with everything.
   */
  async listEndedUsageEvents(
    toolIds: readonly number[],
    since: Date | string,
    until?: Date | string,
  ): Promise<EndedUsageEvent[]> {
    const tools = uniqueIds(toolIds);
    if (tools.length === 0) return [];
    const from = instant(since, 'since');
    const to = until === undefined ? null : instant(until, 'until');
    const events: NemoUsageEvent[] = [];
    for (const batch of chunks(tools, this.idsPerRequest)) {
      const query: Query = { tool_id__in: batch.join(','), end__gte: new Date(from).toISOString() };
      if (to !== null) query.end__lte = new Date(to).toISOString();
      events.push(...(await this.list('usage_events', query, readUsageEvent)));
    }
    const wanted = new Set(tools);
    return events
      .filter((event): event is EndedUsageEvent => {
        if (event.end === null || !wanted.has(event.tool)) return false;
        const end = Date.parse(event.end);
        return end >= from && (to === null || end <= to);
      })
      .sort((a, b) => Date.parse(a.end) - Date.parse(b.end) || a.id - b.id);
  }

  /**
   * The tool's reservations that are not cancelled and overlap [from, to], newest first. Overlap, not
   * NexusLIMS's "entirely inside": a block booking longer than the window still matches a session in it.
   */
  async listReservations(toolId: number, from: Date | string, to: Date | string): Promise<NemoReservation[]> {
    const start = instant(from, 'from');
    const end = instant(to, 'to');
    const rows = await this.list(
      'reservations',
      {
        tool_id: String(toolId),
        start__lt: new Date(end).toISOString(),
        end__gt: new Date(start).toISOString(),
        cancelled: 'False',
      },
      readReservation,
    );
    return rows.filter(
      (row) =>
        row.tool === toolId && !row.cancelled && Date.parse(row.start) < end && Date.parse(row.end) > start,
    );
  }

  /** Users by id; ids NEMO does not know are absent from the map. */
  getUsers(ids: Iterable<number>): Promise<Map<number, NemoUser>> {
    return this.byIds('users', ids, readUser);
  }

  getProjects(ids: Iterable<number>): Promise<Map<number, NemoProject>> {
    return this.byIds('projects', ids, readProject);
  }

  getTools(ids: Iterable<number>): Promise<Map<number, NemoTool>> {
    return this.byIds('tools', ids, readTool);
  }

  private async byIds<T extends { readonly id: number }>(
    resource: string,
    ids: Iterable<number>,
    read: (row: RowReader) => T,
  ): Promise<Map<number, T>> {
    const wanted = uniqueIds(ids);
    const found = new Map<number, T>();
    for (const batch of chunks(wanted, this.idsPerRequest)) {
      for (const row of await this.list(resource, { id__in: batch.join(',') }, read)) {
        if (batch.includes(row.id)) found.set(row.id, row);
      }
    }
    return found;
  }

  /** Every row of a list, page after page, each row once. */
  private async list<T extends { readonly id: number }>(
    resource: string,
    query: Query,
    read: (row: RowReader) => T,
  ): Promise<T[]> {
    const url = new URL(`${resource}/`, this.address);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    if (this.pageSize !== null) url.searchParams.set('page_size', String(this.pageSize));
    const rows = new Map<number, T>();
    const asked = new Set<string>();
    const queryKey = (search: URLSearchParams) => {
      const sorted = new URLSearchParams(search);
      sorted.sort();
      return sorted.toString();
    };
    for (;;) {
      asked.add(queryKey(url.searchParams));
      const body = await this.getJson(url.href);
      let page: unknown[];
      let next: string | null = null;
      if (Array.isArray(body)) {
        page = body;
      } else if (
        typeof body === 'object' &&
        body !== null &&
        Array.isArray((body as { results?: unknown }).results)
      ) {
        const envelope = body as { results: unknown[]; next?: unknown };
        page = envelope.results;
        if (envelope.next !== null && envelope.next !== undefined) {
          if (typeof envelope.next !== 'string') {
            throw new NemoAnswerMalformed(url.href, '"next" should be a URL or null');
          }
          next = envelope.next;
        }
      } else {
        throw new NemoAnswerMalformed(
          url.href,
          'expected a JSON array or a page {"results": [...], "next": ...}',
        );
      }
      const dates = { timezone: this.timezone, dateFormat: this.options.dateFormat };
      page.forEach((row, index) => {
        const parsed = read(new RowReader(url.href, index, row, dates));
        if (!rows.has(parsed.id)) rows.set(parsed.id, parsed);
      });
      if (next === null) return [...rows.values()];
      // Only the next page's query is taken: behind a proxy NEMO may name itself by another host or scheme,
      // and the token goes only to the configured address.
      let nextUrl: URL;
      try {
        nextUrl = new URL(next, url);
      } catch {
        throw new NemoAnswerMalformed(url.href, `"next" is not a URL: ${next}`);
      }
      if (asked.has(queryKey(nextUrl.searchParams))) {
        throw new NemoAnswerMalformed(url.href, `"next" points back to a page already read: ${next}`);
      }
      url.search = nextUrl.search;
    }
  }

  /** One GET, retried on 5xx, 429, timeouts and dropped connections; a 4xx refusal is final. */
  private async getJson(url: string): Promise<unknown> {
    const { retries, timeoutMs } = this.options;
    const backoff = this.options.backoffMs ?? 500;
    const maxBackoff = this.options.maxBackoffMs ?? 30_000;
    let lastStatus: number | null = null;
    let lastReason = '';
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      if (attempt > 0) await sleep(Math.min(maxBackoff, backoff * 2 ** (attempt - 1)));
      let status: number;
      let text: string;
      try {
        const response = await fetch(url, {
          headers: { authorization: `Token ${this.options.token}`, accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        lastStatus = null;
        lastReason = transportFailure(error, timeoutMs);
        continue;
      }
      if (isRetryableStatus(status)) {
        lastStatus = status;
        lastReason = refusalDetail(status, text);
        continue;
      }
      if (status < 200 || status >= 300)
        throw new NemoRequestFailed(url, status, attempt + 1, refusalDetail(status, text));
      try {
        return JSON.parse(text) as unknown;
      } catch {
        const start = text.slice(0, 80).replace(/\s+/g, ' ');
        throw new NemoAnswerMalformed(url, `not JSON (starts with ${JSON.stringify(start)})`);
      }
    }
    throw new NemoRequestFailed(url, lastStatus, retries + 1, `gave up: ${lastReason}`);
  }
}
