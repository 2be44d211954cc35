/**
 * Reads an existing NexusLIMS database file (one SQLite file with `instruments` and `session_log`), read-only,
 * checking its shape first: a file without those tables or columns is refused with a message naming what is
 * missing, before anything is read.
 */
import SqliteDatabase from 'better-sqlite3';
import { Invalid } from '../../errors/catalogue.js';

export const INSTRUMENT_COLUMNS = [
  'instrument_pid',
  'api_url',
  'calendar_name',
  'calendar_url',
  'location',
  'schema_name',
  'property_tag',
  'filestore_path',
  'computer_name',
  'computer_ip',
  'computer_mount',
  'harvester',
  'timezone',
] as const;
export const SESSION_LOG_COLUMNS = [
  'id_session_log',
  'session_identifier',
  'instrument',
  'timestamp',
  'event_type',
  'record_status',
  'user',
] as const;

export type NexusInstrumentRow = Record<(typeof INSTRUMENT_COLUMNS)[number], string | null>;
export type NexusSessionLogRow = Omit<
  Record<(typeof SESSION_LOG_COLUMNS)[number], string | null>,
  'id_session_log'
> & {
  id_session_log: number;
};

export interface NexusLimsContents {
  instruments: NexusInstrumentRow[];
  sessionLog: NexusSessionLogRow[];
}

/** A file that is not a NexusLIMS database: refused before anything is read from it, let alone written. */
export class NotANexusLimsFile extends Invalid {
  constructor(detail: string) {
    super(detail, [{ field: 'file', message: 'is not a NexusLIMS database' }]);
  }
}

/** The instruments and session_log of a NexusLIMS database file, session rows in id order. */
export function readNexusLimsFile(file: string): NexusLimsContents {
  let db: SqliteDatabase.Database;
  try {
    db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new NotANexusLimsFile(
      `${file} cannot be opened as an SQLite database: ${(error as Error).message}`,
    );
  }
  try {
    const columnsOf = (table: string): string[] => {
      try {
        return (db.prepare(`select name from pragma_table_info(?)`).all(table) as { name: string }[]).map(
          (row) => row.name,
        );
      } catch (error) {
        throw new NotANexusLimsFile(`${file} is not an SQLite database: ${(error as Error).message}`);
      }
    };
    const problems: string[] = [];
    for (const [table, wanted] of [
      ['instruments', INSTRUMENT_COLUMNS],
      ['session_log', SESSION_LOG_COLUMNS],
    ] as const) {
      const present = columnsOf(table);
      if (present.length === 0) {
        problems.push(`it has no table ${table}`);
        continue;
      }
      const missing = wanted.filter(
        (column) => column !== 'harvester' && column !== 'timezone' && !present.includes(column),
      );
      if (missing.length > 0) problems.push(`its ${table} table lacks ${missing.join(', ')}`);
    }
    if (problems.length > 0) {
      throw new NotANexusLimsFile(`${file} is not a NexusLIMS database: ${problems.join('; ')}`);
    }
    const instrumentColumns = columnsOf('instruments');
    const select = INSTRUMENT_COLUMNS.map((column) =>
      instrumentColumns.includes(column) ? `"${column}"` : `null as "${column}"`,
    ).join(', ');
    const instruments = db
      .prepare(`select ${select} from instruments order by instrument_pid`)
      .all() as NexusInstrumentRow[];
    const sessionLog = db
      .prepare(
        `select ${SESSION_LOG_COLUMNS.map((column) => `"${column}"`).join(', ')} from session_log order by id_session_log`,
      )
      .all() as NexusSessionLogRow[];
    return { instruments, sessionLog };
  } finally {
    db.close();
  }
}
