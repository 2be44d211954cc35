/**
 * The measuring child of nemo-harvest, in a fresh process: a migrated SQLite database with one NEMO-harvested
 * instrument per tool of the test server, then (1) the baseline: Cairn's NemoClient only listing the ended
 * usage events (no writes), (2) Cairn's harvestNemo writing them as sessions, (3) the baseline again, so that
 * the baseline brackets the harvest.
 */
import { cairnModule, childInput, childProgress, childResult } from './support/child.js';

type DatabaseModule = typeof import('../src/db/database.js');
type MigrateModule = typeof import('../src/db/migrate.js');
type InstrumentsRepositoryModule = typeof import('../src/modules/instruments/instruments.repository.js');
type HarvestModule = typeof import('../src/modules/instruments/nemo-harvest.service.js');
type ClientModule = typeof import('../src/modules/instruments/nemo/nemo-client.js');
type ToolIdsModule = typeof import('../src/modules/instruments/nemo/tool-ids.js');
type TasksModule = typeof import('../src/modules/instruments/instruments.tasks.js');

export interface NemoHarvestInput {
  address: string;
  token: string;
  timezone: string;
  toolIds: number[];
  sqliteFile: string;
  /** How far back the first harvest looks (all the server's events). */
  firstHarvestMs: number;
}

export interface NemoHarvestResult {
  listMs: number[];
  listed: number;
  harvestMs: number;
  written: number;
  sessionRows: number;
}

const input = childInput<NemoHarvestInput>();
const { connectDatabase } = await cairnModule<DatabaseModule>('db/database.js');
const { migrateToLatest } = await cairnModule<MigrateModule>('db/migrate.js');
const instruments = await cairnModule<InstrumentsRepositoryModule>(
  'modules/instruments/instruments.repository.js',
);
const { harvestNemo } = await cairnModule<HarvestModule>('modules/instruments/nemo-harvest.service.js');
const { NemoClient } = await cairnModule<ClientModule>('modules/instruments/nemo/nemo-client.js');
const { nemoToolUrl } = await cairnModule<ToolIdsModule>('modules/instruments/nemo/tool-ids.js');
const { harvestOptionsFrom } = await cairnModule<TasksModule>('modules/instruments/instruments.tasks.js');

const handle = connectDatabase({ dialect: 'sqlite', databaseUrl: null, sqlitePath: input.sqliteFile });
await migrateToLatest(handle);
for (const id of input.toolIds) {
  await instruments.insertInstrument(handle.db, {
    instrument_pid: `Bench-Tool-${id}`,
    api_url: nemoToolUrl(input.address, id),
    calendar_name: `Tool ${id}`,
    calendar_url: `${input.address}calendar/${id}`,
    location: 'B1',
    schema_name: 'FEI Titan',
    property_tag: String(id),
    filestore_path: `./Tool-${id}`,
    computer_name: null,
    computer_ip: null,
    computer_mount: null,
    harvester: 'nemo',
    timezone: input.timezone,
  });
}
const options = {
  ...harvestOptionsFrom({ nemoWithoutReservation: 'NO_RESERVATION', nemoConsent: 'opt-in' }),
  firstHarvestMs: input.firstHarvestMs,
};
const server = { address: input.address, token: input.token, timezone: input.timezone };

async function listOnly(): Promise<{ ms: number; listed: number }> {
  const client = new NemoClient({ ...server, timeoutMs: options.timeoutMs, retries: options.retries });
  const started = performance.now();
  const events = await client.listEndedUsageEvents(
    input.toolIds,
    new Date(Date.now() - input.firstHarvestMs),
  );
  return { ms: performance.now() - started, listed: events.length };
}

childProgress('baseline: listing the events');
const first = await listOnly();
childProgress(`listed ${first.listed} events in ${first.ms.toFixed(0)} ms; harvesting`);
const started = performance.now();
const report = await harvestNemo(handle.db, [server], options);
const harvestMs = performance.now() - started;
const outcome = report.servers[0];
if (!outcome || outcome.error !== null) throw new Error(`the harvest failed: ${JSON.stringify(report)}`);
childProgress(`harvested ${outcome.written} sessions in ${harvestMs.toFixed(0)} ms; baseline again`);
const second = await listOnly();
const rows = await handle.db
  .selectFrom('session_log')
  .select((eb) => eb.fn.countAll<number>().as('count'))
  .executeTakeFirstOrThrow();
await handle.destroy();
const result: NemoHarvestResult = {
  listMs: [first.ms, second.ms],
  listed: first.listed,
  harvestMs,
  written: outcome.written,
  sessionRows: Number(rows.count),
};
childResult(result);
