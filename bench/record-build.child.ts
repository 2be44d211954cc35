/**
 * The measuring child of record-build, in a fresh process: a migrated SQLite database with one instrument and
 * one ended session over a tree of files, then Cairn's buildNextSession (compiled, in-process) building its
 * record: wall time, and the process's peak RSS (`process.resourceUsage().maxRSS`) before and after the build.
 */
import { cairnModule, childInput, childProgress, childResult } from './support/child.js';

type DatabaseModule = typeof import('../src/db/database.js');
type MigrateModule = typeof import('../src/db/migrate.js');
type InstrumentsRepositoryModule = typeof import('../src/modules/instruments/instruments.repository.js');
type BuilderModule = typeof import('../src/modules/records/record-builder.service.js');
type FileStoreModule = typeof import('../src/files/file-store.js');

export interface RecordBuildInput {
  /** The instrument data root; the session's files are under `folder` in it. */
  dataRoot: string;
  folder: string;
  sqliteFile: string;
  filesDir: string;
  /** The session's start and end (the files' mtimes lie between). */
  start: string;
  end: string;
}

export interface RecordBuildResult {
  status: string;
  files: number;
  ms: number;
  /** Peak RSS in MiB before the build (Node, modules, database) and over the whole process. */
  peakBeforeMiB: number;
  peakMiB: number;
}

const input = childInput<RecordBuildInput>();
const { connectDatabase } = await cairnModule<DatabaseModule>('db/database.js');
const { migrateToLatest } = await cairnModule<MigrateModule>('db/migrate.js');
const instruments = await cairnModule<InstrumentsRepositoryModule>(
  'modules/instruments/instruments.repository.js',
);
const { buildNextSession } = await cairnModule<BuilderModule>('modules/records/record-builder.service.js');
const { FileStore } = await cairnModule<FileStoreModule>('files/file-store.js');

const handle = connectDatabase({ dialect: 'sqlite', databaseUrl: null, sqlitePath: input.sqliteFile });
await migrateToLatest(handle);
await instruments.insertInstrument(handle.db, {
  instrument_pid: 'Bench-Quanta',
  api_url: 'https://facility.example.org/instruments/Bench-Quanta',
  calendar_name: 'Quanta',
  calendar_url: 'https://facility.example.org/calendar',
  location: 'Bldg 223',
  schema_name: 'FEI Quanta200 ESEM',
  property_tag: '633137',
  filestore_path: input.folder,
  computer_name: null,
  computer_ip: null,
  computer_mount: null,
  harvester: 'api',
  timezone: 'UTC',
});
const session = { session_identifier: 'bench-session', instrument: 'Bench-Quanta', user: 'bench' } as const;
await instruments.insertSessionLog(handle.db, [
  { ...session, timestamp: input.start, event_type: 'START', record_status: 'TO_BE_BUILT' },
  { ...session, timestamp: input.end, event_type: 'END', record_status: 'TO_BE_BUILT' },
]);

const mib = (kib: number) => kib / 1024;
const peakBeforeMiB = mib(process.resourceUsage().maxRSS);
childProgress(`building (peak RSS so far ${peakBeforeMiB.toFixed(0)} MiB)`);
const started = performance.now();
const outcome = await buildNextSession({
  db: handle.db,
  files: new FileStore(input.filesDir),
  dataRoot: input.dataRoot,
  noFilesDelayMs: 0,
  retryWaitingMs: 0,
  sensitivity: 1,
  extensions: 'all',
  ignore: [],
  maxPreviewBytes: 10_000_000,
  claimant: 'bench',
});
const ms = performance.now() - started;
const peakMiB = mib(process.resourceUsage().maxRSS);
await handle.destroy();
if (outcome?.status !== 'COMPLETED')
  throw new Error(`the build did not complete: ${JSON.stringify(outcome)}`);
const result: RecordBuildResult = {
  status: outcome.status,
  files: outcome.files,
  ms,
  peakBeforeMiB,
  peakMiB,
};
childResult(result);
