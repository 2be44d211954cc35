/**
 * Kysely table types of the instruments module (seed: NexusLIMS `instruments` and `session_log`, their names
 * kept), the reservation details kept per session, and the answers of idempotent session requests.
 */
import type { Generated } from 'kysely';

export type Harvester = 'nemo' | 'api';
export type EventType = 'START' | 'END' | 'RECORD_GENERATION';
export type RecordStatus =
  | 'COMPLETED'
  | 'WAITING_FOR_END'
  | 'TO_BE_BUILT'
  | 'ERROR'
  | 'NO_FILES_FOUND'
  | 'NO_RESERVATION'
  | 'NO_CONSENT';

export interface InstrumentsTable {
  instrument_pid: string;
  api_url: string;
  calendar_name: string;
  calendar_url: string;
  location: string;
  /** The instrument's name as records show it. */
  schema_name: string;
  property_tag: string;
  /** Where the instrument writes its data, relative to CAIRN_INSTRUMENT_DATA_DIR. */
  filestore_path: string;
  computer_name: string | null;
  computer_ip: string | null;
  computer_mount: string | null;
  harvester: Harvester | null;
  /** IANA time zone of the instrument. */
  timezone: Generated<string>;
}

/** One timestamped event of a session: its START, its END, and each RECORD_GENERATION. */
export interface SessionLogTable {
  id_session_log: Generated<number>;
  session_identifier: string;
  instrument: string;
  /** ISO-8601 with an offset (UTC `Z` for what Cairn writes). */
  timestamp: string;
  event_type: EventType;
  record_status: Generated<RecordStatus>;
  user: string | null;
}

/** What the reservation behind a session said (NEMO harvesting): JSON text. */
export interface SessionReservationsTable {
  session_identifier: string;
  source: string;
  details: string;
  recorded_at: string;
}

export interface SessionRequestsTable {
  user_id: string;
  idempotency_key: string;
  /** What was asked (method, path, body), so that a key reused for another request is refused. */
  request: string;
  response: string;
  created_at: string;
}

/** How far a NEMO server's usage events have been harvested. */
export interface NemoHarvestsTable {
  address: string;
  harvested_until: string;
  updated_at: string;
}

/** A session a record builder holds while it builds it, until its lease runs out. */
export interface SessionBuildsTable {
  session_identifier: string;
  claimed_by: string;
  lease_until: string;
}

export interface InstrumentsTables {
  session_builds: SessionBuildsTable;
  nemo_harvests: NemoHarvestsTable;
  instruments: InstrumentsTable;
  session_log: SessionLogTable;
  session_reservations: SessionReservationsTable;
  session_requests: SessionRequestsTable;
}
