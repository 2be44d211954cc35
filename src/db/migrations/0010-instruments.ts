/**
 * Instruments and their sessions (seed: NexusLIMS's `instruments` and `session_log`, column for column, with the
 * seed's names, types, defaults and checks). Where Cairn departs from the seed, it says so:
 * - `session_identifier` is text: a NEMO usage event's URL, used as one, is longer than 36 characters.
 * - `record_status` also allows NO_RESERVATION and NO_CONSENT (the reservation checks NexusLIMS's code writes).
 * - `harvester` is `nemo` or `api` (sessions logged through Cairn's API), instead of NexusLIMS's
 *   `sharepoint_calendar`.
 * - `timestamp` defaults to the current time in UTC (ISO-8601 with `Z`), as every Cairn timestamp, rather than
 *   the server's local time; Cairn always writes it explicitly.
 * - One START and one END per session: a unique index on (session_identifier, event_type) for those two.
 * Beside them: what a reservation said of a session (project, title, purpose, samples, consent), kept per session;
 * how far each NEMO server has been harvested; and the answers of session requests made with an
 * `Idempotency-Key`, so that a retried request logs once.
 */
import { sql } from 'kysely';
import type { Migration } from '../migrate.js';

export const instruments: Migration = {
  name: '0010-instruments',
  async up(db, dialect) {
    const serialId = dialect === 'postgres' ? 'bigserial' : 'integer';
    const nowUtc =
      dialect === 'postgres'
        ? sql`(to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`
        : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

    await db.schema
      .createTable('instruments')
      .addColumn('instrument_pid', 'varchar(100)', (c) => c.primaryKey())
      .addColumn('api_url', 'text', (c) => c.notNull().unique())
      .addColumn('calendar_name', 'text', (c) => c.notNull())
      .addColumn('calendar_url', 'text', (c) => c.notNull())
      .addColumn('location', 'varchar(100)', (c) => c.notNull())
      .addColumn('schema_name', 'text', (c) => c.notNull())
      .addColumn('property_tag', 'varchar(20)', (c) => c.notNull())
      .addColumn('filestore_path', 'text', (c) => c.notNull())
      .addColumn('computer_name', 'text', (c) => c.unique())
      .addColumn('computer_ip', 'varchar(15)', (c) => c.unique())
      .addColumn('computer_mount', 'text')
      .addColumn('harvester', 'text', (c) => c.check(sql`harvester in ('nemo', 'api')`))
      .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('America/New_York'))
      .execute();

    await db.schema
      .createTable('session_log')
      .addColumn('id_session_log', serialId, (c) =>
        c
          .primaryKey()
          .notNull()
          .$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)),
      )
      .addColumn('session_identifier', 'text', (c) => c.notNull())
      .addColumn('instrument', 'varchar(100)', (c) =>
        c.notNull().references('instruments.instrument_pid').onDelete('cascade').onUpdate('cascade'),
      )
      .addColumn('timestamp', 'text', (c) => c.notNull().defaultTo(nowUtc))
      .addColumn('event_type', 'text', (c) =>
        c.notNull().check(sql`event_type in ('START', 'END', 'RECORD_GENERATION')`),
      )
      .addColumn('record_status', 'text', (c) =>
        c
          .notNull()
          .defaultTo('WAITING_FOR_END')
          .check(
            sql`record_status in ('COMPLETED', 'WAITING_FOR_END', 'TO_BE_BUILT', 'ERROR', 'NO_FILES_FOUND', 'NO_RESERVATION', 'NO_CONSENT')`,
          ),
      )
      .addColumn('user', 'varchar(50)')
      .execute();
    await db.schema
      .createIndex('session_log_fk_instrument_idx')
      .on('session_log')
      .column('instrument')
      .execute();
    await db.schema
      .createIndex('session_log_session_identifier_idx')
      .on('session_log')
      .columns(['session_identifier', 'event_type'])
      .execute();
    // One START and one END per session, whoever writes them (two harvests at once, a retried request).
    await db.schema
      .createIndex('session_log_one_start_end')
      .unique()
      .on('session_log')
      .columns(['session_identifier', 'event_type'])
      .where(sql.ref('event_type'), 'in', ['START', 'END'])
      .execute();
    await db.schema
      .createIndex('session_log_status_idx')
      .on('session_log')
      .columns(['record_status', 'event_type', 'id_session_log'])
      .execute();

    await db.schema
      .createTable('session_reservations')
      .addColumn('session_identifier', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('nemo_harvests')
      .addColumn('address', 'text', (c) => c.primaryKey())
      .addColumn('harvested_until', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('session_requests')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('idempotency_key', 'text', (c) => c.notNull())
      .addColumn('request', 'text', (c) => c.notNull())
      .addColumn('response', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('session_requests_pk', ['user_id', 'idempotency_key'])
      .execute();
  },
};
