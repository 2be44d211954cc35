/**
 * Process roles. `serve`: migrate, then HTTP API + web UI + embedded task worker + the embedded agents of the
 * local HPC resources; `worker`: the task worker alone (scale-out on PostgreSQL). Both stop gracefully on
 * SIGINT/SIGTERM: no new requests or claims, in-flight work finishes, the database closes. (`cairn agent`, the
 * agent beside a cluster, is in `cli/commands/agent.ts`.)
 */
import type { Config } from './config/config.js';
import { connectDatabase, type DatabaseHandle } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { FileStore } from './files/file-store.js';
import { clearAbandonedUploads } from './files/files.tasks.js';
import { buildApp } from './http/app.js';
import type { App } from './http/app-context.js';
import { createLogger, type Logger } from './http/logger.js';
import { inTransaction } from './db/transaction.js';
import { uniqueViolation } from './db/constraint-errors.js';
import { ensureAdmin } from './modules/accounts/accounts.service.js';
import {
  BUILTIN_ANALYSIS_TYPES_DIR,
  loadDefinitionFiles,
  type DefinitionDirectory,
} from './modules/compute/analysis-types.service.js';
import { keepSearchIndexCurrent, rebuildIndex } from './modules/search/search-upkeep.js';
import { createTaskRegistry } from './tasks/task-catalog.js';
import { TaskWorker } from './tasks/task-worker.js';
import type { AgentLog } from './modules/compute/agent/agent.js';
import { startEmbeddedAgents, type EmbeddedAgents } from './modules/compute/agent/embedded-agents.js';

/** Migrations that change what the text index holds without going through the services that keep it. */
const REINDEXING_MIGRATIONS = ['0012-search', '0015-dna-sequences'];

export interface Runtime {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly log: Logger;
}

/**
 * Connects, migrates (under the migration lock, so concurrent starts are safe), registers the analysis types
 * of the definition files that are not registered yet, and keeps the search index current with every change.
 */
export async function openRuntime(config: Config, log: Logger = createLogger(config)): Promise<Runtime> {
  keepSearchIndexCurrent();
  const database = connectDatabase(config, (error) =>
    log.warn({ err: error }, 'idle database connection lost'),
  );
  const applied = await migrateToLatest(database);
  if (applied.length > 0) log.info({ applied }, 'migrations applied');
  if (applied.some((name) => REINDEXING_MIGRATIONS.includes(name))) {
    // A database from before the text index, or whose sequences were text: index it once from what is there.
    const written = await inTransaction(database.db, (trx) => rebuildIndex(trx));
    log.info({ written }, 'search index built');
  }
  await loadAnalysisTypes(database, config, log);
  return { config, database, log };
}

/**
 * Registers the built-in analysis types and the lab's own (`CAIRN_ANALYSIS_TYPES_DIR`). A file that is not a
 * valid definition, or that changes a registered version, is logged and skipped: it does not stop the start.
 */
async function loadAnalysisTypes(database: DatabaseHandle, config: Config, log: Logger): Promise<void> {
  const directories: DefinitionDirectory[] = [
    { directory: BUILTIN_ANALYSIS_TYPES_DIR, origin: 'builtin' },
    ...(config.analysisTypesDir === null
      ? []
      : [{ directory: config.analysisTypesDir, origin: 'file' as const }]),
  ];
  const { registered, problems } = await inTransaction(database.db, (trx) =>
    loadDefinitionFiles(trx, directories),
  );
  if (registered.length > 0) log.info({ registered }, 'analysis types registered');
  for (const problem of problems) {
    log.error({ file: problem.file, errors: problem.errors }, `analysis type file ${problem.message}`);
  }
}

/** Makes sure the admin account exists; prints a generated password once. */
export async function ensureAdminAccount(runtime: Runtime): Promise<void> {
  const result = await inTransaction(runtime.database.db, (trx) =>
    ensureAdmin(trx, runtime.config.adminPassword),
  ).catch((error: unknown) => {
    // Two processes starting together on a fresh database both found no admin; the other one made it.
    if (uniqueViolation(error) === null) throw error;
    return { created: false, generatedPassword: null };
  });
  if (result.generatedPassword !== null) {
    process.stdout.write(
      `\n  Created the admin account. Username: admin  Password: ${result.generatedPassword}\n  (shown once; set CAIRN_ADMIN_PASSWORD to choose it)\n\n`,
    );
  } else if (result.created) {
    runtime.log.info('created the admin account with the password from CAIRN_ADMIN_PASSWORD');
  }
}

export interface RunningServer {
  readonly app: App;
  readonly worker: TaskWorker;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startServer(
  runtime: Runtime,
  options: { withWorker?: boolean; withAgents?: boolean } = {},
): Promise<RunningServer> {
  const { config, log, database } = runtime;
  await ensureAdminAccount(runtime);
  const files = new FileStore(config.filesDir);
  await clearAbandonedUploads(files, config, log);
  let agents: EmbeddedAgents | null = null;
  const app = await buildApp({
    config,
    database,
    log,
    files,
    wakeAgents: (resourceIds) => agents?.wake(resourceIds),
  });
  const worker = new TaskWorker(database.db, createTaskRegistry(), config, log.child({ role: 'worker' }));
  const url = await app.listen({ port: config.port, host: config.host });
  if (options.withWorker !== false) worker.start();
  if (options.withAgents !== false) {
    agents = await startEmbeddedAgents({ db: database.db, files, config, log: agentLog(log) });
  }
  log.info({ url, database: database.dialect }, 'cairn is serving');
  log.flush();
  let stopping: Promise<void> | null = null;
  return {
    app,
    worker,
    url,
    stop: () =>
      (stopping ??= (async () => {
        await app.close();
        await agents?.stop();
        await worker.stop();
        await database.destroy();
      })()),
  };
}

export async function startWorker(runtime: Runtime): Promise<{ worker: TaskWorker; stop(): Promise<void> }> {
  const worker = new TaskWorker(
    runtime.database.db,
    createTaskRegistry(),
    runtime.config,
    runtime.log.child({ role: 'worker' }),
  );
  worker.start();
  runtime.log.info({ workerId: worker.id }, 'cairn worker is running');
  return {
    worker,
    stop: async () => {
      await worker.stop();
      await runtime.database.destroy();
    },
  };
}

/** The agents' log lines, as the process's logger writes them. */
export function agentLog(log: Logger): AgentLog {
  const child = log.child({ role: 'agent' });
  return {
    info: (message) => child.info(message),
    warn: (message) => child.warn(message),
    error: (message) => child.error(message),
  };
}

/** Stops `stop` on the first SIGINT/SIGTERM; a second signal exits at once. */
export function stopOnSignals(stop: () => Promise<void>, log: Logger): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130);
    signalled = true;
    log.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
