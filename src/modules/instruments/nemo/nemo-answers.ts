/**
 * The rows of NEMO's REST API that a harvester reads (tools, users, projects, usage events, reservations),
 * typed, and the checks that turn one JSON row into one of them. Only the fields Cairn uses are kept and
 * unknown keys are ignored (NEMO keeps adding them); a row missing a field we rely on, or with a value of
 * the wrong type, is refused with `NemoAnswerMalformed` naming the row and the field. Datetimes become
 * ISO-8601 UTC strings. Fields that older NEMO versions lack (`pre_run_data` before 5.3, `question_data`
 * before 3.11) read as null.
 */
import { NemoAnswerMalformed } from './nemo-errors.js';
import { parseNemoDateTime } from './nemo-time.js';

export interface NemoTool {
  readonly id: number;
  readonly name: string;
}

export interface NemoUser {
  readonly id: number;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
}

export interface NemoProject {
  readonly id: number;
  readonly name: string;
  readonly applicationIdentifier: string | null;
}

export interface NemoUsageEvent {
  readonly id: number;
  /** ISO-8601 UTC. */
  readonly start: string;
  /** ISO-8601 UTC, null while the tool is still in use. */
  readonly end: string | null;
  /** The customer who is charged. */
  readonly user: number;
  /** Who ran the tool (staff working for the customer, or the customer). */
  readonly operator: number | null;
  readonly project: number | null;
  readonly tool: number;
  /** The pre-use questions' answers as NEMO stores them: JSON text, `""` or null. */
  readonly preRunData: string | null;
  /** The post-use questions' answers: JSON text, `""` or null. */
  readonly runData: string | null;
}

/** A usage event whose tool has been released: what becomes a session. */
export type EndedUsageEvent = NemoUsageEvent & { readonly end: string };

export interface NemoReservation {
  readonly id: number;
  readonly start: string;
  readonly end: string;
  readonly user: number;
  readonly creator: number | null;
  /** Null for an area reservation. */
  readonly tool: number | null;
  readonly project: number | null;
  readonly cancelled: boolean;
  /** The reservation questions' answers: name → the question's definition plus `user_input`. */
  readonly questionData: Readonly<Record<string, unknown>> | null;
}

/** How datetimes in answers are written: the server's zone for naive values, and a site format if any. */
export interface NemoDateReading {
  readonly timezone: string;
  readonly dateFormat?: string;
}

/** Reads one row of one answer, refusing with the URL, the row and the field when it is not NEMO's shape. */
export class RowReader {
  private readonly row: Record<string, unknown>;

  constructor(
    private readonly url: string,
    private readonly index: number,
    row: unknown,
    private readonly dates: NemoDateReading,
  ) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new NemoAnswerMalformed(url, `row ${index} is not an object`);
    }
    this.row = row as Record<string, unknown>;
  }

  private refuse(key: string, expected: string): never {
    const id = typeof this.row.id === 'number' ? ` (id ${this.row.id})` : '';
    const value = JSON.stringify(this.row[key]) ?? 'nothing';
    throw new NemoAnswerMalformed(
      this.url,
      `row ${this.index}${id}: "${key}" should be ${expected}, got ${value}`,
    );
  }

  id(key: string): number {
    const value = this.row[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return this.refuse(key, 'an integer id');
    return value;
  }

  idOrNull(key: string): number | null {
    return this.row[key] === null || this.row[key] === undefined ? null : this.id(key);
  }

  text(key: string): string {
    const value = this.row[key];
    if (typeof value !== 'string') return this.refuse(key, 'a string');
    return value;
  }

  textOrNull(key: string): string | null {
    return this.row[key] === null || this.row[key] === undefined ? null : this.text(key);
  }

  flag(key: string): boolean {
    const value = this.row[key];
    if (typeof value !== 'boolean') return this.refuse(key, 'true or false');
    return value;
  }

  dateTime(key: string): string {
    const value = this.row[key];
    const parsed =
      typeof value === 'string' ? parseNemoDateTime(value, this.dates.timezone, this.dates.dateFormat) : null;
    if (parsed === null) {
      return this.refuse(
        key,
        `a datetime${this.dates.dateFormat ? ` in the form ${this.dates.dateFormat}` : ''}`,
      );
    }
    return parsed;
  }

  /** Present and null (an open usage event's `end`) is fine; absent is not. */
  dateTimeOrNull(key: string): string | null {
    if (!(key in this.row)) return this.refuse(key, 'a datetime or null');
    return this.row[key] === null ? null : this.dateTime(key);
  }

  objectOrNull(key: string): Readonly<Record<string, unknown>> | null {
    const value = this.row[key];
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object' || Array.isArray(value)) return this.refuse(key, 'an object or null');
    return value as Record<string, unknown>;
  }
}

export function readTool(row: RowReader): NemoTool {
  return { id: row.id('id'), name: row.text('name') };
}

export function readUser(row: RowReader): NemoUser {
  return {
    id: row.id('id'),
    username: row.text('username'),
    firstName: row.textOrNull('first_name') ?? '',
    lastName: row.textOrNull('last_name') ?? '',
    email: row.textOrNull('email'),
  };
}

export function readProject(row: RowReader): NemoProject {
  return {
    id: row.id('id'),
    name: row.text('name'),
    applicationIdentifier: row.textOrNull('application_identifier'),
  };
}

export function readUsageEvent(row: RowReader): NemoUsageEvent {
  return {
    id: row.id('id'),
    start: row.dateTime('start'),
    end: row.dateTimeOrNull('end'),
    user: row.id('user'),
    operator: row.idOrNull('operator'),
    project: row.idOrNull('project'),
    tool: row.id('tool'),
    preRunData: row.textOrNull('pre_run_data'),
    runData: row.textOrNull('run_data'),
  };
}

export function readReservation(row: RowReader): NemoReservation {
  return {
    id: row.id('id'),
    start: row.dateTime('start'),
    end: row.dateTime('end'),
    user: row.id('user'),
    creator: row.idOrNull('creator'),
    tool: row.idOrNull('tool'),
    project: row.idOrNull('project'),
    cancelled: row.flag('cancelled'),
    questionData: row.objectOrNull('question_data'),
  };
}
