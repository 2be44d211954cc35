/**
 * A NEMO-compatible HTTP server for tests (`node:http`, loopback). It answers `tools/`, `users/`, `projects/`,
 * `usage_events/` and `reservations/` as NEMO 8.0 does (shared/notes/nemo-api.md): token auth with NEMO's
 * 401 bodies, 301 to the slashed path, a bare JSON array unless `page_size` is given (then DRF's
 * `{count, next, previous, results}` envelope, `next` an absolute URL with sorted parameters, 404 past the
 * end), newest-first events and reservations, `__in` as one comma list (empty means no filter), unknown
 * parameters ignored, 400 with field-keyed messages for bad datetimes, numbers and unknown foreign-key ids,
 * NEMO's boolean spellings, naive filter datetimes read in the server's zone, and datetimes written in the
 * server's zone with its offset (microseconds only when non-zero) or in a site `DATETIME_FORMAT`.
 * Knobs: faults on the Nth request (a status, a hang, a raw body, a change to the data), a pre-4.7 site that always paginates, and
 * every request recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTool {
  id: number;
  name: string;
}

export interface FakeUser {
  id: number;
  username: string;
  first_name: string;
  last_name: string;
  email?: string;
}

export interface FakeProject {
  id: number;
  name: string;
  application_identifier?: string;
}

/** Instants are any ISO-8601 string with an offset; the server writes them in its own zone. */
export interface FakeUsageEvent {
  id: number;
  start: string;
  end: string | null;
  user: number;
  operator?: number;
  project?: number | null;
  tool: number;
  run_data?: string | null;
  pre_run_data?: string | null;
}

export interface FakeReservation {
  id: number;
  start: string;
  end: string;
  user: number;
  creator?: number;
  tool: number;
  project?: number | null;
  cancelled?: boolean;
  question_data?: Record<string, unknown> | null;
  creation_time?: string;
}

export interface NemoData {
  tools: FakeTool[];
  users: FakeUser[];
  projects: FakeProject[];
  usageEvents: FakeUsageEvent[];
  reservations: FakeReservation[];
}

export type NemoFault =
  | { readonly kind: 'status'; readonly status: number; readonly body?: string }
  /** Never answers; the socket is held until the client gives up or the server closes. */
  | { readonly kind: 'hang' }
  /** Answers 200 with this text instead of the real body. */
  | { readonly kind: 'body'; readonly body: string; readonly contentType?: string }
  /** Not a fault: the data changes just before the request is answered (a write racing a harvest). */
  | { readonly kind: 'change'; readonly apply: (data: NemoData) => void };

export interface NemoServerOptions {
  readonly token?: string;
  /** The server's TIME_ZONE. */
  readonly timeZone?: string;
  /** A site `DATETIME_FORMAT` (strftime: %Y %m %d %H %M %S): datetimes are then written naive, local. */
  readonly datetimeFormat?: string;
  /** A site before 4.7 with a pagination class: the envelope even without `page_size`. */
  readonly alwaysPaginate?: boolean;
  /** Resources the token's user lacks the `view_<model>` permission for: 403. */
  readonly forbidden?: readonly string[];
  readonly data?: Partial<NemoData>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
}

export interface NemoTestServer {
  /** The API base, `http://127.0.0.1:<port>/api/`. */
  readonly address: string;
  readonly token: string;
  readonly data: NemoData;
  readonly requests: RecordedRequest[];
  /** Makes the Nth request from now (1 = the next one) fail this way. */
  injectFault(n: number, fault: NemoFault): void;
  close(): Promise<void>;
}

const DEFAULT_TOKEN = '0123456789abcdef0123456789abcdef01234567';
const DEFAULT_PAGE_SIZE = 1000;
const INVALID_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';

class BadRequest extends Error {
  constructor(readonly body: Record<string, string[]>) {
    super('bad request');
  }
}

/** The zone's offset at an instant as `±HH:MM`, read from Intl's `longOffset` name ("GMT-04:00", "GMT"). */
function offsetText(formatter: Intl.DateTimeFormat, instant: Date): string {
  const name = formatter.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' ? '+00:00' : name.slice(3);
}

function offsetMinutes(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1;
  return sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6)));
}

/** Writes and reads datetimes the way the NEMO server in `zone` does. */
function clock(zone: string, datetimeFormat: string | undefined) {
  const offsetFormatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');

  function local(instant: Date) {
    const offset = offsetText(offsetFormatter, instant);
    const shifted = new Date(instant.getTime() + offsetMinutes(offset) * 60_000);
    return { shifted, offset };
  }

  function write(iso: string | null | undefined): string | null {
    if (iso === null || iso === undefined) return null;
    const instant = new Date(iso);
    const { shifted, offset } = local(instant);
    const fields: Record<string, string> = {
      Y: pad(shifted.getUTCFullYear(), 4),
      m: pad(shifted.getUTCMonth() + 1),
      d: pad(shifted.getUTCDate()),
      H: pad(shifted.getUTCHours()),
      M: pad(shifted.getUTCMinutes()),
      S: pad(shifted.getUTCSeconds()),
    };
    if (datetimeFormat !== undefined)
      return datetimeFormat.replace(/%([YmdHMS])/g, (_, key: string) => fields[key] ?? '');
    const micros = instant.getUTCMilliseconds() === 0 ? '' : `.${pad(instant.getUTCMilliseconds(), 3)}000`;
    const suffix = zone === 'UTC' ? 'Z' : offset;
    return `${fields.Y}-${fields.m}-${fields.d}T${fields.H}:${fields.M}:${fields.S}${micros}${suffix}`;
  }

  /** A filter value: ISO with `T` or space, optional fraction and offset; naive is local to the server. */
  function read(text: string): number | null {
    const match =
      /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(
        text,
      );
    if (match === null) return null;
    const [, y, mo, d, h, mi, s, f, offset] = match;
    const wall =
      Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)) +
      Math.floor(Number(`0.${f ?? '0'}`) * 1000);
    if (Number.isNaN(wall)) return null;
    if (offset !== undefined) return wall - (offset === 'Z' ? 0 : offsetMinutes(offset)) * 60_000;
    // Naive: the offset in force at the wall time (two steps settle it except inside a transition).
    let guess = wall - offsetMinutes(offsetText(offsetFormatter, new Date(wall))) * 60_000;
    guess = wall - offsetMinutes(offsetText(offsetFormatter, new Date(guess))) * 60_000;
    return guess;
  }

  return { write, read };
}

type Row = Record<string, unknown>;
type Filter = (row: Row) => boolean;

interface ResourceSpec {
  rows: () => Row[];
  /** Ordering: a compare function over the raw rows. */
  order: (a: Row, b: Row) => number;
  /** Filter name → the row field it reads and its kind. */
  fields: Record<
    string,
    { field: string; kind: 'id' | 'fk' | 'datetime' | 'bool' | 'string'; fkOf?: () => Row[] }
  >;
  render: (row: Row) => Row;
}

function parseBool(text: string): boolean | null {
  if (text === 'true' || text === 'True' || text === '2') return true;
  if (text === 'false' || text === 'False' || text === '3') return false;
  return null; // anything else is "unknown": django-filter skips the filter
}

function buildFilters(
  spec: ResourceSpec,
  query: URLSearchParams,
  readTime: (text: string) => number | null,
): Filter[] {
  const filters: Filter[] = [];
  const errors: Record<string, string[]> = {};
  // A repeated parameter counts once, with its last value.
  for (const param of new Set(query.keys())) {
    const value = query.getAll(param).at(-1) ?? '';
    const [name = '', lookup = 'exact'] = param.split('__');
    const field = spec.fields[name];
    if (field === undefined) continue; // unknown parameters are ignored
    const get = (row: Row) => row[field.field];
    if (field.kind === 'id' || field.kind === 'fk') {
      if (lookup !== 'exact' && lookup !== 'in' && lookup !== 'isnull') continue;
      if (lookup === 'isnull') {
        const flag = parseBool(value) ?? (value === 'true' || value === '1');
        filters.push((row) => (get(row) === null || get(row) === undefined) === flag);
        continue;
      }
      if (value === '') continue;
      const parts = lookup === 'in' ? value.split(',') : [value];
      if (parts.some((part) => !/^-?\d+$/.test(part.trim()))) {
        errors[param] = ['Enter a number.'];
        continue;
      }
      const ids = new Set(parts.map((part) => Number(part)));
      if (field.kind === 'fk' && field.fkOf !== undefined) {
        const known = new Set(field.fkOf().map((row) => row.id));
        if ([...ids].some((id) => !known.has(id))) {
          errors[param] = [INVALID_CHOICE];
          continue;
        }
      }
      filters.push((row) => ids.has(get(row) as number));
    } else if (field.kind === 'datetime') {
      if (lookup === 'isnull') {
        const flag = parseBool(value);
        if (flag !== null) filters.push((row) => (get(row) === null) === flag);
        continue;
      }
      if (!['exact', 'gte', 'gt', 'lte', 'lt'].includes(lookup)) continue;
      const bound = readTime(value);
      if (bound === null) {
        errors[param] = ['Enter a valid date/time.'];
        continue;
      }
      const compare: Record<string, (a: number) => boolean> = {
        exact: (a) => a === bound,
        gte: (a) => a >= bound,
        gt: (a) => a > bound,
        lte: (a) => a <= bound,
        lt: (a) => a < bound,
      };
      const test = compare[lookup] ?? (() => true);
      // SQL comparisons are false for NULL.
      filters.push(
        (row) => get(row) !== null && get(row) !== undefined && test(Date.parse(get(row) as string)),
      );
    } else if (field.kind === 'bool') {
      const flag = parseBool(value);
      if (flag !== null) filters.push((row) => Boolean(get(row)) === flag);
    } else {
      if (lookup === 'exact') filters.push((row) => get(row) === value);
      else if (lookup === 'iexact')
        filters.push((row) => String(get(row)).toLowerCase() === value.toLowerCase());
      else if (lookup === 'in' && value !== '') {
        const values = new Set(value.split(','));
        filters.push((row) => values.has(String(get(row))));
      }
    }
  }
  if (Object.keys(errors).length > 0) throw new BadRequest(errors);
  return filters;
}

/** Starts a NEMO-compatible server on a free loopback port. */
export async function startNemoServer(options: NemoServerOptions = {}): Promise<NemoTestServer> {
  const token = options.token ?? DEFAULT_TOKEN;
  const zone = options.timeZone ?? 'America/New_York';
  const time = clock(zone, options.datetimeFormat);
  const data: NemoData = {
    tools: [],
    users: [],
    projects: [],
    usageEvents: [],
    reservations: [],
    ...options.data,
  };
  const requests: RecordedRequest[] = [];
  const faults = new Map<number, NemoFault>();
  let served = 0;

  const newestFirst = (a: Row, b: Row) => Date.parse(b.start as string) - Date.parse(a.start as string);
  const byText = (key: string) => (a: Row, b: Row) => String(a[key]).localeCompare(String(b[key]));
  const rowsOf = (rows: object[]) => rows as unknown as Row[];

  const resources: Record<string, ResourceSpec> = {
    tools: {
      rows: () => rowsOf(data.tools),
      order: byText('name'),
      fields: { id: { field: 'id', kind: 'id' }, name: { field: 'name', kind: 'string' } },
      render: (tool) => ({
        id: tool.id,
        name: tool.name,
        visible: true,
        _description: null,
        _serial: null,
        _image: null,
        _tool_calendar_color: '#33ad33',
        _category: 'Microscopy',
        _operational: true,
        _properties: null,
        _location: 'Bldg 217',
        _reservation_horizon: 14,
        parent_tool: null,
        _primary_owner: 1,
        _backup_owners: [],
        _superusers: [],
      }),
    },
    users: {
      rows: () => rowsOf(data.users),
      order: byText('first_name'),
      fields: {
        id: { field: 'id', kind: 'id' },
        username: { field: 'username', kind: 'string' },
        email: { field: 'email', kind: 'string' },
      },
      render: (user) => ({
        id: user.id,
        user_documents: [],
        username: user.username,
        first_name: user.first_name,
        last_name: user.last_name,
        email: user.email ?? `${String(user.username)}@example.org`,
        domain: '',
        notes: null,
        badge_number: null,
        access_expiration: null,
        is_active: true,
        is_staff: false,
        is_superuser: false,
        training_required: false,
        date_joined: time.write('2023-01-09T15:12:44.318201Z'),
        last_login: null,
        type: null,
        groups: [],
        qualifications: [],
        projects: [],
      }),
    },
    projects: {
      rows: () => rowsOf(data.projects),
      order: byText('name'),
      fields: { id: { field: 'id', kind: 'id' }, name: { field: 'name', kind: 'string' } },
      render: (project) => ({
        id: project.id,
        principal_investigators: [],
        users: [],
        name: project.name,
        application_identifier: project.application_identifier ?? '',
        start_date: null,
        active: true,
        allow_consumable_withdrawals: true,
        allow_staff_charges: true,
        account: 1,
        discipline: null,
        project_types: [],
        only_allow_tools: [],
      }),
    },
    usage_events: {
      rows: () => rowsOf(data.usageEvents),
      order: newestFirst,
      fields: {
        id: { field: 'id', kind: 'id' },
        start: { field: 'start', kind: 'datetime' },
        end: { field: 'end', kind: 'datetime' },
        tool: { field: 'tool', kind: 'fk', fkOf: () => rowsOf(data.tools) },
        tool_id: { field: 'tool', kind: 'fk', fkOf: () => rowsOf(data.tools) },
        user: { field: 'user', kind: 'fk', fkOf: () => rowsOf(data.users) },
        user_id: { field: 'user', kind: 'fk', fkOf: () => rowsOf(data.users) },
        project_id: { field: 'project', kind: 'fk', fkOf: () => rowsOf(data.projects) },
      },
      render: (event) => ({
        id: event.id,
        start: time.write(event.start as string),
        end: time.write(event.end as string | null),
        has_ended: event.end === null ? 0 : event.id,
        note: null,
        validated: false,
        remote_work: false,
        training: false,
        pre_run_data: event.pre_run_data ?? null,
        run_data: event.end === null ? null : (event.run_data ?? null),
        waived: false,
        waived_on: null,
        user: event.user,
        operator: event.operator ?? event.user,
        project: event.project ?? null,
        tool: event.tool,
        staff_charge: null,
        validated_by: null,
        waived_by: null,
      }),
    },
    reservations: {
      rows: () => rowsOf(data.reservations),
      order: newestFirst,
      fields: {
        id: { field: 'id', kind: 'id' },
        start: { field: 'start', kind: 'datetime' },
        end: { field: 'end', kind: 'datetime' },
        tool: { field: 'tool', kind: 'fk', fkOf: () => rowsOf(data.tools) },
        tool_id: { field: 'tool', kind: 'fk', fkOf: () => rowsOf(data.tools) },
        user_id: { field: 'user', kind: 'fk', fkOf: () => rowsOf(data.users) },
        cancelled: { field: 'cancelled', kind: 'bool' },
      },
      render: (reservation) => ({
        id: reservation.id,
        question_data: reservation.question_data ?? null,
        configuration_options: [],
        creation_time: time.write(
          (reservation.creation_time as string | undefined) ?? (reservation.start as string),
        ),
        start: time.write(reservation.start as string),
        end: time.write(reservation.end as string),
        short_notice: false,
        cancelled: reservation.cancelled ?? false,
        cancellation_time: null,
        missed: false,
        shortened: false,
        additional_information: null,
        self_configuration: false,
        title: '',
        note: null,
        validated: false,
        waived: false,
        waived_on: null,
        user: reservation.user,
        creator: reservation.creator ?? reservation.user,
        tool: reservation.tool,
        area: null,
        project: reservation.project ?? null,
        cancelled_by: null,
        descendant: null,
        validated_by: null,
        waived_by: null,
      }),
    },
  };

  function send(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    response.writeHead(status, { 'content-type': 'application/json', vary: 'Accept, Cookie', ...headers });
    response.end(JSON.stringify(body));
  }

  function answer(request: IncomingMessage, response: ServerResponse, url: URL) {
    const authorization = request.headers.authorization;
    const match = /^token\s+(\S+)$/i.exec(authorization ?? '');
    if (match === null) {
      send(
        response,
        401,
        { detail: 'Authentication credentials were not provided.' },
        { 'www-authenticate': 'Token' },
      );
      return;
    }
    if (match[1] !== token) {
      send(response, 401, { detail: 'Invalid token.' }, { 'www-authenticate': 'Token' });
      return;
    }
    if (url.pathname === '/api/') {
      send(
        response,
        200,
        Object.fromEntries(Object.keys(resources).map((name) => [name, `${url.origin}/api/${name}/`])),
      );
      return;
    }
    const name = /^\/api\/([a-z_]+)\/$/.exec(url.pathname)?.[1];
    const spec = name === undefined ? undefined : resources[name];
    if (name === undefined || spec === undefined) {
      send(response, 404, { detail: 'Not found.' });
      return;
    }
    if (options.forbidden?.includes(name)) {
      send(response, 403, { detail: 'You do not have permission to perform this action.' });
      return;
    }
    let filters: Filter[];
    try {
      filters = buildFilters(spec, url.searchParams, time.read);
    } catch (error) {
      if (error instanceof BadRequest) {
        send(response, 400, error.body);
        return;
      }
      throw error;
    }
    const rows = spec
      .rows()
      .filter((row) => filters.every((filter) => filter(row)))
      .sort(spec.order);
    const pageSizeParam = url.searchParams.get('page_size');
    if (pageSizeParam === null && !options.alwaysPaginate) {
      send(response, 200, rows.map(spec.render));
      return;
    }
    const asked = Number(pageSizeParam);
    const pageSize = Number.isInteger(asked) && asked > 0 ? asked : DEFAULT_PAGE_SIZE;
    const pageParam = url.searchParams.get('page') ?? '1';
    const page = pageParam === 'last' ? Math.max(1, Math.ceil(rows.length / pageSize)) : Number(pageParam);
    const pages = Math.max(1, Math.ceil(rows.length / pageSize));
    if (!Number.isInteger(page) || page < 1 || page > pages) {
      send(response, 404, { detail: 'Invalid page.' });
      return;
    }
    const link = (target: number | null) => {
      if (target === null) return null;
      const params = new URLSearchParams(url.searchParams);
      if (target === 1) params.delete('page');
      else params.set('page', String(target));
      params.sort();
      return `${url.origin}${url.pathname}?${params.toString()}`;
    };
    send(response, 200, {
      count: rows.length,
      next: link(page < pages ? page + 1 : null),
      previous: link(page > 1 ? page - 1 : null),
      results: rows.slice((page - 1) * pageSize, page * pageSize).map(spec.render),
    });
  }

  const server = createServer((request, response) => {
    served += 1;
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorization: request.headers.authorization,
    });
    const fault = faults.get(served);
    faults.delete(served);
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'change') fault.apply(data);
    if (fault?.kind === 'status') {
      response.writeHead(fault.status, { 'content-type': 'text/html' });
      response.end(fault.body ?? `<html><body><h1>${fault.status}</h1></body></html>`);
      return;
    }
    if (fault?.kind === 'body') {
      response.writeHead(200, { 'content-type': fault.contentType ?? 'application/json' });
      response.end(fault.body);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, { detail: `Method "${request.method}" not allowed.` });
      return;
    }
    if (!url.pathname.endsWith('/')) {
      response.writeHead(301, { location: `${url.pathname}/${url.search}` });
      response.end();
      return;
    }
    answer(request, response, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    address: `http://127.0.0.1:${port}/api/`,
    token,
    data,
    requests,
    injectFault(n, fault) {
      faults.set(served + n, fault);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
