/**
 * The `cairn` command: one codebase, several process roles (serve, worker) and administration commands.
 * Commands are thin: they parse arguments strictly and call services.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { VERSION } from '../config/version.js';
import { DomainError } from '../errors/catalogue.js';
import { inTransaction } from '../db/transaction.js';
import { actorFor, createToken, createUser } from '../modules/accounts/accounts.service.js';
import type { SystemRole } from '../modules/accounts/accounts.tables.js';
import { describeDemoAnalyses } from '../demo/demo-analyses.js';
import { describeDemoInstruments } from '../demo/demo-instruments.js';
import { loadDemoLab, DEMO_PASSWORD } from '../demo/demo-lab.js';
import {
  agentLog,
  ensureAdminAccount,
  openRuntime,
  startServer,
  startWorker,
  stopOnSignals,
  type Runtime,
} from '../runtime.js';
import type { ImportKind } from '../modules/bulk/csv-import.service.js';
import { getResourceByName } from '../modules/compute/hpc-resources.service.js';
import { issueAgentToken } from '../modules/compute/resource-agents.service.js';
import { runAgent } from './commands/agent.js';
import { buildRecords } from './commands/build-records.js';
import { reindexSearch } from './commands/reindex-search.js';
import { importCsvFile, importFastaFile, type ImportFastaOptions } from './commands/import-file.js';
import { rebuildBlast } from './commands/rebuild-blast.js';
import { importNexusLimsFile } from './commands/import-nexuslims.js';
import { readPasswordFromStdin } from './prompt.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is 0 to 65535');
  return port;
}

function parseRole(value: string): SystemRole {
  if (value !== 'admin' && value !== 'staff' && value !== 'user')
    throw new InvalidArgumentError('admin, staff or user');
  return value;
}

function parseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // answered below
  }
  throw new InvalidArgumentError('an http:// or https:// URL');
}

function parseDateTime(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new InvalidArgumentError('a date or time, e.g. 2026-11-01 or 2026-11-01T09:00:00Z');
  return new Date(time).toISOString();
}

function parsePositive(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('a whole number, at least 1');
  return number;
}

function parseImportKind(value: string): ImportKind {
  if (value !== 'items' && value !== 'samples') throw new InvalidArgumentError('items or samples');
  return value;
}

function parseMapping(value: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      if (Object.values(parsed).every((target) => typeof target === 'string'))
        return parsed as Record<string, string>;
    }
  } catch {
    // answered below
  }
  throw new InvalidArgumentError('a JSON object of header → target, e.g. {"Box":"parent"}');
}

function configWith(overrides: Partial<Config> = {}): Config {
  return loadConfig(process.env, overrides);
}

/** Runs an administration command against a migrated database and closes it afterwards. */
async function withRuntime<T>(config: Config, work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(config);
  try {
    return await work(runtime);
  } finally {
    await runtime.database.destroy();
  }
}

const program = new Command('cairn').version(VERSION).description('Cairn LIMS').showHelpAfterError();

program
  .command('serve')
  .description("serve the API and web UI, with the embedded task worker and the local resources' agents")
  .option('-p, --port <port>', 'port (default CAIRN_PORT or 8080)', parsePort)
  .option('--no-worker', 'do not run the embedded task worker')
  .action(async (options: { port?: number; worker: boolean }) => {
    const config = configWith(options.port === undefined ? {} : { port: options.port });
    const runtime = await openRuntime(config);
    const server = await startServer(runtime, { withWorker: options.worker });
    stopOnSignals(() => server.stop(), runtime.log);
  });

program
  .command('worker')
  .description('run the task worker alone (scale-out)')
  .action(async () => {
    const runtime = await openRuntime(configWith());
    const worker = await startWorker(runtime);
    stopOnSignals(() => worker.stop(), runtime.log);
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    await withRuntime(configWith(), async () => {
      process.stdout.write('database is up to date\n');
    });
  });

program
  .command('demo')
  .description('load the demo lab (idempotent) and make sure the admin account exists')
  .action(async () => {
    await withRuntime(configWith(), async (runtime) => {
      await ensureAdminAccount(runtime);
      const summary = await loadDemoLab({
        db: runtime.database.db,
        config: runtime.config,
        log: agentLog(runtime.log),
      });
      process.stdout.write(
        `demo lab: ${summary.usersCreated} users, ${summary.projectsCreated} projects, ${summary.itemsCreated} items` +
          ` and ${summary.samplesCreated} samples added` +
          ` (demo users alice, bob, carol; password ${DEMO_PASSWORD})\n` +
          `${describeDemoInstruments(summary.instruments)}\n` +
          `${describeDemoAnalyses(summary.analyses)}\n`,
      );
    });
  });

const user = program.command('user').description('manage users');
user
  .command('create')
  .description('create a user; the password comes from --password or standard input')
  .requiredOption('--username <username>')
  .requiredOption('--email <email>')
  .option('--role <role>', 'admin, staff or user', parseRole, 'user' as SystemRole)
  .option('--display-name <name>')
  .option('--password <password>')
  .action(
    async (options: {
      username: string;
      email: string;
      role: SystemRole;
      displayName?: string;
      password?: string;
    }) => {
      const password = options.password ?? (await readPasswordFromStdin());
      await withRuntime(configWith(), async ({ database: { db } }) => {
        const created = await inTransaction(db, (trx) =>
          createUser(trx, null, {
            username: options.username,
            email: options.email,
            role: options.role,
            password,
            ...(options.displayName !== undefined && { displayName: options.displayName }),
          }),
        );
        process.stdout.write(`created user ${created.username} (${created.role}) ${created.id}\n`);
      });
    },
  );

const token = program.command('token').description('manage API tokens');
token
  .command('create')
  .description('create an API token for a user and print it (shown once)')
  .requiredOption('--username <username>')
  .requiredOption('--name <name>', 'what the token is for, e.g. "TEM-1 instrument PC"')
  .action(async (options: { username: string; name: string }) => {
    await withRuntime(configWith(), async ({ database: { db } }) => {
      const actor = await actorFor(db, options.username);
      const created = await inTransaction(db, (trx) => createToken(trx, actor, { name: options.name }));
      process.stdout.write(`${created.token}\n`);
    });
  });

program
  .command('agent')
  .description(
    'serve an HPC resource beside its cluster: claim its jobs over the REST API, run and report them',
  )
  .requiredOption('--server <url>', "the Cairn server's base URL", parseUrl)
  .option('--token <token>', "the resource's agent token (default CAIRN_AGENT_TOKEN)")
  .requiredOption('--resource <name>', 'the name of the HPC resource it serves')
  .option(
    '--work-dir <dir>',
    "where the jobs' work directories go; keeps the agent's identity",
    './cairn-agent',
  )
  .option(
    '--blast-dir <dir>',
    "the server's BLAST databases (CAIRN_BLAST_DIR) as seen here, for blast-search jobs",
    process.env.CAIRN_BLAST_DIR,
  )
  .option('--poll-ms <ms>', 'how often to poll the scheduler and look for queued jobs', parsePositive, 1000)
  .option('--heartbeat-seconds <s>', "how often to renew the jobs' leases", parsePositive, 15)
  .action(
    async (options: {
      server: string;
      token?: string;
      resource: string;
      workDir: string;
      pollMs: number;
      heartbeatSeconds: number;
      blastDir?: string;
    }) => {
      const token = options.token ?? process.env.CAIRN_AGENT_TOKEN;
      if (!token) throw new InvalidArgumentError('give --token or set CAIRN_AGENT_TOKEN');
      await runAgent({ ...options, token });
    },
  );

program
  .command('agent-token')
  .description("issue an API token for an HPC resource's agent and print it (shown once)")
  .requiredOption('--resource <name>', 'the name of the HPC resource')
  .requiredOption('--name <name>', 'what the token is for, e.g. "agent on the cluster login node"')
  .option('--as <username>', 'the admin issuing it', 'admin')
  .action(async (options: { resource: string; name: string; as: string }) => {
    await withRuntime(configWith(), async ({ database: { db }, config }) => {
      const actor = await actorFor(db, options.as);
      const policy = { staleSeconds: config.agentStaleSeconds };
      const resource = await getResourceByName(db, options.resource, policy);
      const issued = await inTransaction(db, (trx) =>
        issueAgentToken(trx, actor, resource.id, { name: options.name }, policy),
      );
      process.stderr.write(`token for ${issued.agentUsername}, the agent of ${resource.name}:\n`);
      process.stdout.write(`${issued.token}\n`);
    });
  });

program
  .command('records')
  .description('experiment records')
  .command('build')
  .description('build the sessions waiting for their records now, with a progress bar')
  .option('--session <identifier>', 'send this session back to be built first if its build failed')
  .option('--from <date>', 'only sessions started at or after this date or time', parseDateTime)
  .option('--to <date>', 'only sessions started before this date or time', parseDateTime)
  .option('--dry-run', 'say which sessions would be built and how many files each has; change nothing', false)
  .option('--as <username>', 'the staff user it runs as', 'admin')
  .action(async (options: { session?: string; from?: string; to?: string; dryRun: boolean; as: string }) => {
    await withRuntime(configWith(), async ({ database: { db }, config }) => {
      await buildRecords(db, config, options);
    });
  });

program
  .command('search')
  .description('the text index')
  .command('reindex')
  .description('rebuild the text index from scratch, with a progress bar; searches keep answering meanwhile')
  .action(async () => {
    await withRuntime(configWith(), async ({ database: { db } }) => {
      await reindexSearch(db);
    });
  });

program
  .command('blast')
  .description("the BLAST databases of the items' sequences")
  .command('rebuild')
  .description(
    'write the BLAST databases again from every sequence, with a progress bar; searches keep answering',
  )
  .action(async () => {
    await withRuntime(configWith(), async ({ database: { db }, config }) => {
      await rebuildBlast(db, config);
    });
  });

const importCommand = program.command('import').description('import data from files');
importCommand
  .command('nexuslims <file>')
  .description('import the instruments and session_log of a NexusLIMS database file (SQLite) as they are')
  .option('--as <username>', 'the staff user the import is made and audited as', 'admin')
  .action(async (file: string, options: { as: string }) => {
    await withRuntime(configWith(), async ({ database: { db }, config }) => {
      await importNexusLimsFile(db, config, file, options.as);
    });
  });
importCommand
  .command('csv <file>')
  .description('import items or samples from a CSV file, all or nothing, with a progress bar')
  .requiredOption('--kind <kind>', 'items or samples', parseImportKind)
  .requiredOption('--as <username>', 'the user the import is made and audited as')
  .option('--dry-run', 'check every row and report the bad ones; write nothing', false)
  .option('--map <json>', 'header → target, e.g. {"Volume (µl)":"fields.volume_ul"}', parseMapping)
  .action(
    async (
      file: string,
      options: { kind: ImportKind; as: string; dryRun: boolean; map?: Record<string, string> },
    ) => {
      await withRuntime(configWith(), async ({ database: { db } }) => {
        process.exitCode = await importCsvFile(db, file, options);
      });
    },
  );

importCommand
  .command('fasta <file>')
  .description(
    "create or update many items' sequences from a FASTA file, all or nothing, with a progress bar: an entry " +
      'naming an item (id, human id, barcode or name) updates its sequence, any other creates an item of --type',
  )
  .requiredOption('--as <username>', 'the user the import is made and audited as')
  .option('--type <type>', 'type (name or id) of the items created for entries that name no existing item')
  .option('--field <name>', 'the sequence field, when the type has several and the headers do not say')
  .option('--parent <item>', 'where new physical items are put')
  .option('--dry-run', 'check every entry and report the bad ones; write nothing', false)
  .action(async (file: string, options: ImportFastaOptions) => {
    await withRuntime(configWith(), async ({ database: { db } }) => {
      process.exitCode = await importFastaFile(db, file, options);
    });
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
  } else if (error instanceof DomainError) {
    const fields = error.errors.map((e) => `\n  ${e.field}: ${e.message}`).join('');
    process.stderr.write(`error: ${error.message}${fields}\n`);
  } else {
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
