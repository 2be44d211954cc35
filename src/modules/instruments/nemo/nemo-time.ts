/**
 * NEMO's datetimes as UTC instants. NEMO writes ISO 8601 with the server zone's offset (microseconds only
 * when non-zero); a site may override the format, and then values are naive wall-clock times in the server's
 * zone. A naive value is placed in the configured IANA zone with `Intl` alone (no date library): the offset
 * is read at the candidate instants on either side of a transition, so a time in the autumn's repeated hour
 * takes the earlier instant and one in the spring gap moves forward, as Python and Temporal do by default.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** Formats an instant as "11/14/2023, GMT-05:00": the offset alone, the cheapest thing Intl writes. */
function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = zoneFormatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    zoneFormatters.set(zone, formatter);
  }
  return formatter;
}

/** Refuses a name that is not an IANA time zone this runtime knows, naming it. */
export function assertTimeZone(zone: string): void {
  try {
    zoneFormatter(zone);
  } catch {
    throw new Error(`"${zone}" is not an IANA time zone`);
  }
}

const LONG_OFFSET = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The zone's offset from UTC (ms, east positive) at a UTC instant. */
export function zoneOffsetMs(zone: string, utcMs: number): number {
  const match = LONG_OFFSET.exec(zoneFormatter(zone).format(utcMs));
  if (match === null) throw new Error(`no UTC offset for ${zone} at ${new Date(utcMs).toISOString()}`);
  const [, sign, hours, minutes, seconds] = match;
  if (sign === undefined) return 0;
  const magnitude = (Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds ?? 0)) * 1000;
  return sign === '-' ? -magnitude : magnitude;
}

/**
 * The UTC instant of a wall-clock time in a zone, the wall clock given as if it were UTC (`Date.UTC(...)`).
 * Real zones change offset at most once within a day, so the offsets a day before and after are the only
 * candidates.
 */
export function wallTimeToUtc(zone: string, wallMs: number): number {
  const before = zoneOffsetMs(zone, wallMs - DAY);
  const after = zoneOffsetMs(zone, wallMs + DAY);
  const valid = [before, after].filter((offset) => zoneOffsetMs(zone, wallMs - offset) === offset);
  if (valid.length === 0) return wallMs - before; // in the spring gap: forward by the gap's length
  return wallMs - Math.max(...valid); // in the autumn overlap: the earlier of the two instants
}

interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
  /** Minutes east of UTC when the text carried an offset, else null (naive). */
  offsetMinutes: number | null;
}

function toInstant(fields: WallFields, zone: string): number | null {
  const { year, month, day, hour, minute, second } = fields;
  const millis = Math.floor(Number(`0.${fields.fraction || '0'}`) * 1000);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(wall);
  // Date.UTC rolls over (Feb 30 → Mar 2); a value that does not round-trip is not a real date.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    return null;
  }
  return fields.offsetMinutes === null ? wallTimeToUtc(zone, wall) : wall - fields.offsetMinutes * MINUTE;
}

function parseOffset(text: string): number {
  if (text === 'Z' || text === 'z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;

function parseIso(text: string): WallFields | null {
  const match = ISO_DATETIME.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    fraction: fraction ?? '',
    offsetMinutes: offset === undefined ? null : parseOffset(offset),
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

type Directive = 'Y' | 'y' | 'm' | 'd' | 'H' | 'I' | 'M' | 'S' | 'f' | 'p' | 'z' | 'b';

const DIRECTIVE_PATTERNS: Record<Directive, string> = {
  Y: '(\\d{4})',
  y: '(\\d{2})',
  m: '(\\d{1,2})',
  d: '(\\d{1,2})',
  H: '(\\d{1,2})',
  I: '(\\d{1,2})',
  M: '(\\d{1,2})',
  S: '(\\d{1,2})',
  f: '(\\d{1,9})',
  p: '(AM|PM|am|pm)',
  z: '(Z|[+-]\\d{2}:?\\d{2})',
  b: '([A-Za-z]{3})',
};

/** A compiled `strptime` format: the regular expression and which directive each group holds. */
interface CompiledFormat {
  readonly pattern: RegExp;
  readonly groups: readonly Directive[];
}

const compiledFormats = new Map<string, CompiledFormat>();

/**
 * Compiles the subset of Python's `strptime` that NEMO sites use for `DATETIME_FORMAT` (%Y %y %m %d %H %I %M
 * %S %f %p %z %b %%). `.%f` is optional, as NexusLIMS retries without microseconds: Django leaves them out
 * when they are zero.
 */
export function compileDateFormat(format: string): CompiledFormat {
  const known = compiledFormats.get(format);
  if (known !== undefined) return known;
  let source = '^';
  const groups: Directive[] = [];
  for (let index = 0; index < format.length; index += 1) {
    const char = format[index] ?? '';
    if (char !== '%') {
      if (char === '.' && format.slice(index + 1, index + 3) === '%f') {
        source += `(?:\\.${DIRECTIVE_PATTERNS.f})?`;
        groups.push('f');
        index += 2;
      } else {
        source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      continue;
    }
    const directive = format[index + 1] ?? '';
    index += 1;
    if (directive === '%') {
      source += '%';
    } else if (directive in DIRECTIVE_PATTERNS) {
      source += DIRECTIVE_PATTERNS[directive as Directive];
      groups.push(directive as Directive);
    } else {
      throw new Error(`date format "${format}": %${directive} is not supported`);
    }
  }
  const compiled = { pattern: new RegExp(`${source}$`), groups };
  compiledFormats.set(format, compiled);
  return compiled;
}

function parseWithFormat(text: string, format: CompiledFormat): WallFields | null {
  const match = format.pattern.exec(text);
  if (match === null) return null;
  const fields: WallFields = {
    year: 1900,
    month: 1,
    day: 1,
    hour: 0,
    minute: 0,
    second: 0,
    fraction: '',
    offsetMinutes: null,
  };
  let pm: boolean | null = null;
  format.groups.forEach((directive, index) => {
    const value = match[index + 1];
    if (value === undefined) return;
    switch (directive) {
      case 'Y':
        fields.year = Number(value);
        break;
      case 'y':
        fields.year = Number(value) + (Number(value) < 69 ? 2000 : 1900);
        break;
      case 'm':
        fields.month = Number(value);
        break;
      case 'b':
        fields.month = MONTHS.indexOf(value.toLowerCase()) + 1;
        break;
      case 'd':
        fields.day = Number(value);
        break;
      case 'H':
      case 'I':
        fields.hour = Number(value);
        break;
      case 'M':
        fields.minute = Number(value);
        break;
      case 'S':
        fields.second = Number(value);
        break;
      case 'f':
        fields.fraction = value;
        break;
      case 'p':
        pm = value.toLowerCase() === 'pm';
        break;
      case 'z':
        fields.offsetMinutes = parseOffset(value);
        break;
    }
  });
  if (pm !== null) {
    if (fields.hour < 1 || fields.hour > 12) return null;
    fields.hour = (fields.hour % 12) + (pm ? 12 : 0);
  }
  return fields;
}

/**
 * A NEMO datetime as an ISO-8601 UTC string (Cairn's timestamp form), or null when the text is not one.
 * Without a format, ISO 8601 (NEMO's default); with one, that `strptime` format. A value carrying an offset
 * is exact; a naive one is read in `zone`.
 */
export function parseNemoDateTime(text: string, zone: string, format?: string): string | null {
  const fields = format === undefined ? parseIso(text) : parseWithFormat(text, compileDateFormat(format));
  if (fields === null) return null;
  const instant = toInstant(fields, zone);
  return instant === null ? null : new Date(instant).toISOString();
}
