/**
 * `cairn import nexuslims`: a NexusLIMS database file made with NexusLIMS's own table definitions is imported
 * as it is on both databases, a second import adds nothing, and a file of another shape (or with a row Cairn's
 * checks refuse) is refused with a clear message and nothing written. The command itself runs once, for real.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { importNexusLims } from '../../src/modules/instruments/nexuslims-import.service.js';
import { NotANexusLimsFile, readNexusLimsFile } from '../../src/modules/instruments/nexuslims-file.js';
import { runCairn } from '../support/cairn-cli.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { actorOfUser } from '../support/factories.js';
import { useTestApp } from '../support/test-app.js';

/** NexusLIMS's creation script (NIST v1.4.1), as its docs give the tables. */
const NEXUSLIMS_SCHEMA = `
CREATE TABLE instruments (
  instrument_pid VARCHAR(100) NOT NULL PRIMARY KEY UNIQUE,
  api_url TEXT NOT NULL UNIQUE, calendar_name TEXT NOT NULL, calendar_url TEXT NOT NULL,
  location VARCHAR(100) NOT NULL, schema_name TEXT NOT NULL, property_tag VARCHAR(20) NOT NULL,
  filestore_path TEXT NOT NULL, computer_name TEXT UNIQUE, computer_ip VARCHAR(15) UNIQUE, computer_mount TEXT,
  harvester TEXT, timezone TEXT NOT NULL DEFAULT 'America/New_York');
CREATE TABLE session_log (
  id_session_log INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT UNIQUE,
  session_identifier VARCHAR(36) NOT NULL,
  instrument VARCHAR(100) NOT NULL REFERENCES instruments(instrument_pid) ON DELETE CASCADE ON UPDATE CASCADE,
  timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now', 'localtime')),
  event_type TEXT NOT NULL CHECK (event_type IN ('START', 'END', 'RECORD_GENERATION')),
  record_status TEXT NOT NULL DEFAULT 'WAITING_FOR_END'
    CHECK (record_status IN ('COMPLETED', 'WAITING_FOR_END', 'TO_BE_BUILT', 'ERROR', 'NO_FILES_FOUND', 'NO_CONSENT', 'NO_RESERVATION', 'BUILT_NOT_EXPORTED')),
  user VARCHAR(50));
`;

function makeNexusLimsFile(file: string, extraRows: string[] = []): void {
  const db = new SqliteDatabase(file);
  db.exec(NEXUSLIMS_SCHEMA);
  db.exec(`
    INSERT INTO instruments VALUES ('FEI-Titan-TEM-635816', 'https://nemo.example.org/api/tools/?id=1',
      'FEI Titan TEM', 'https://nemo.example.org/calendar/1', 'Bldg 217 F113', 'FEI Titan TEM', '635816',
      './Titan', NULL, NULL, NULL, 'nemo', 'America/New_York');
    INSERT INTO instruments VALUES ('FEI-Quanta-ESEM-633137', 'https://sharepoint.example.org/quanta',
      'FEI Quanta200', 'https://sharepoint.example.org/quanta/cal', 'Bldg 223 B115', 'FEI Quanta200 ESEM',
      '633137', './Quanta', 'quanta-pc', '10.0.0.12', 'M:/', 'sharepoint_calendar', 'America/New_York');
    INSERT INTO session_log (session_identifier, instrument, timestamp, event_type, record_status, user) VALUES
      ('https://nemo.example.org/api/usage_events/?id=1001', 'FEI-Titan-TEM-635816', '2021-08-02T09:00:00-04:00', 'START', 'COMPLETED', 'alice'),
      ('https://nemo.example.org/api/usage_events/?id=1001', 'FEI-Titan-TEM-635816', '2021-08-02T11:30:00-04:00', 'END', 'COMPLETED', 'alice'),
      ('https://nemo.example.org/api/usage_events/?id=1001', 'FEI-Titan-TEM-635816', '2021-08-03T01:00:00-04:00', 'RECORD_GENERATION', 'COMPLETED', 'nexuslims'),
      ('5a8e0ba6-8c6e-4cd8-9ad2-9e58c9ab3e0b', 'FEI-Quanta-ESEM-633137', '2021-08-04T13:00:00.000', 'START', 'TO_BE_BUILT', 'bob'),
      ('5a8e0ba6-8c6e-4cd8-9ad2-9e58c9ab3e0b', 'FEI-Quanta-ESEM-633137', '2021-08-04T15:00:00.000', 'END', 'TO_BE_BUILT', 'bob'),
      ('f00dfeed-0000-4000-8000-000000000001', 'FEI-Quanta-ESEM-633137', '2021-08-05T10:00:00.000', 'START', 'BUILT_NOT_EXPORTED', 'bob');
    ${extraRows.join('\n')}
  `);
  db.close();
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-nexuslims-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe.each(dialects)('NexusLIMS import on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { staff: 'staff', user: 'user' } });

    const counts = async () => ({
      instruments: (await t.database.db.selectFrom('instruments').select('instrument_pid').execute()).length,
      rows: (await t.database.db.selectFrom('session_log').select('id_session_log').execute()).length,
    });

    it('imports instruments and session_log as they are, once', async () => {
      const file = path.join(dir, `${dialect}-good.sqlite`);
      makeNexusLimsFile(file);
      const contents = readNexusLimsFile(file);
      const actor = actorOfUser(t.users.staff.user);
      const first = await inTransaction(t.database.db, (trx) =>
        importNexusLims(trx, actor, contents, t.config.instrumentDataDir),
      );
      expect(first).toMatchObject({ instrumentsAdded: 2, instrumentsKept: 0, rowsAdded: 6, rowsKept: 0 });
      expect(first.notes.sort()).toEqual([
        'harvester sharepoint_calendar imported as none',
        'record status BUILT_NOT_EXPORTED imported as COMPLETED',
      ]);
      const titan = await t.database.db
        .selectFrom('session_log')
        .selectAll()
        .where('session_identifier', '=', 'https://nemo.example.org/api/usage_events/?id=1001')
        .orderBy('id_session_log')
        .execute();
      expect(titan.map((row) => [row.event_type, row.timestamp, row.record_status, row.user])).toEqual([
        ['START', '2021-08-02T09:00:00-04:00', 'COMPLETED', 'alice'],
        ['END', '2021-08-02T11:30:00-04:00', 'COMPLETED', 'alice'],
        ['RECORD_GENERATION', '2021-08-03T01:00:00-04:00', 'COMPLETED', 'nexuslims'],
      ]);
      const before = await counts();
      const second = await inTransaction(t.database.db, (trx) =>
        importNexusLims(trx, actor, contents, t.config.instrumentDataDir),
      );
      expect(second).toMatchObject({ instrumentsAdded: 0, instrumentsKept: 2, rowsAdded: 0, rowsKept: 6 });
      expect(await counts()).toEqual(before);
    });

    it('refuses a file of another shape, a row that does not fit, and a non-staff user, writing nothing', async () => {
      const before = await counts();
      const other = path.join(dir, `${dialect}-other.sqlite`);
      const db = new SqliteDatabase(other);
      db.exec('create table instruments (name text); create table samples (id integer)');
      db.close();
      expect(() => readNexusLimsFile(other)).toThrow(NotANexusLimsFile);
      expect(() => readNexusLimsFile(other)).toThrow(/no table session_log/);
      const text = path.join(dir, `${dialect}-text.sqlite`);
      await writeFile(text, 'this is not a database');
      expect(() => readNexusLimsFile(text)).toThrow(NotANexusLimsFile);

      const outside = path.join(dir, `${dialect}-outside.sqlite`);
      makeNexusLimsFile(outside, [
        `INSERT INTO instruments VALUES ('Escapee', 'https://x.example.org/escape', 'x', 'x', 'x', 'x', '1', '../../etc', NULL, NULL, NULL, 'nemo', 'UTC');`,
      ]);
      const refused = inTransaction(t.database.db, (trx) =>
        importNexusLims(
          trx,
          actorOfUser(t.users.staff.user),
          readNexusLimsFile(outside),
          t.config.instrumentDataDir,
        ),
      );
      await expect(refused).rejects.toThrow(/instruments\[Escapee\]\.filestore_path lies outside/);
      const asUser = inTransaction(t.database.db, (trx) =>
        importNexusLims(
          trx,
          actorOfUser(t.users.user.user),
          readNexusLimsFile(outside),
          t.config.instrumentDataDir,
        ),
      );
      await expect(asUser).rejects.toThrow(/Only staff/);
      expect(await counts()).toEqual(before);
    });
  });
});

describe('cairn import nexuslims', () => {
  it('imports a file from the command line and says what it added', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cairn-cli-nexus-'));
    try {
      const file = path.join(dataDir, 'nexuslims.sqlite');
      makeNexusLimsFile(file);
      const env = {
        ...process.env,
        CAIRN_DATA_DIR: dataDir,
        CAIRN_ADMIN_PASSWORD: 'admin-password-1',
        CAIRN_LOG_LEVEL: 'warn',
      };
      const made = await runCairn(
        ['user', 'create', '--username', 'facility', '--email', 'facility@example.org', '--role', 'staff'],
        { env, input: 'a long enough password\n' },
      );
      expect(made.status, made.stderr).toBe(0);
      const result = await runCairn(['import', 'nexuslims', file, '--as', 'facility'], { env });
      expect(result.stdout, result.stderr).toContain(
        '2 instruments added (0 already here), 6 session_log rows added (0 already here)',
      );
      const again = await runCairn(['import', 'nexuslims', file, '--as', 'facility'], { env });
      expect(again.stdout).toContain(
        '0 instruments added (2 already here), 0 session_log rows added (6 already here)',
      );
      const dryRun = await runCairn(['records', 'build', '--dry-run', '--as', 'facility'], { env });
      expect(dryRun.stdout, dryRun.stderr).toContain(
        '5a8e0ba6-8c6e-4cd8-9ad2-9e58c9ab3e0b\tFEI-Quanta-ESEM-633137',
      );
      expect(dryRun.stdout).toContain('its data folder cannot be read');
      expect(dryRun.stdout).toContain('dry run: 1 sessions would be built; nothing was changed');
      const outside = await runCairn(['records', 'build', '--from', '2099-01-01', '--as', 'facility'], {
        env,
      });
      expect(outside.stdout, outside.stderr).toContain('records build: nothing to build');
      const badDate = await runCairn(['records', 'build', '--from', 'yesterday-ish', '--as', 'facility'], {
        env,
      });
      expect(badDate.status).not.toBe(0);
      expect(badDate.stderr).toContain('a date or time');
      const built = await runCairn(['records', 'build', '--as', 'facility'], { env });
      expect(built.stdout, built.stderr).toContain('records build: 1 ERROR');
      const other = path.join(dataDir, 'other.sqlite');
      const db = new SqliteDatabase(other);
      db.exec('create table experiments (id integer)');
      db.close();
      const wrong = await runCairn(['import', 'nexuslims', other, '--as', 'facility'], { env });
      expect(wrong.status).toBe(1);
      expect(wrong.stderr).toContain('is not a NexusLIMS database: it has no table instruments');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
