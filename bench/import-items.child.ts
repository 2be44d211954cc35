/**
 * The measuring child of import-items (see import-items.bench.ts), one fresh process per measurement:
 * - `template`: a migrated Cairn database with the importing user, a cold room and a -80 °C freezer in it;
 * - `cairn`: imports the CSV file into a copy of the template through Cairn's import path, in-process;
 * - `bare`: inserts the rows that Cairn's import wrote (read back from its database, before the clock starts)
 *   with bare better-sqlite3 prepared statements in one transaction: the items into a minimal table, the items
 *   into the real `items` table of a copy of the template, and everything (items with their paths, audit
 *   events) into the real tables of another copy.
 */
import fs from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { cairnModule, childInput, childProgress, childResult, cpuSeconds } from './support/child.js';

type DatabaseModule = typeof import('../src/db/database.js');
type MigrateModule = typeof import('../src/db/migrate.js');
type AccountsModule = typeof import('../src/modules/accounts/accounts.service.js');
type ItemsModule = typeof import('../src/modules/inventory/item-creation.service.js');
type ImportModule = typeof import('../src/modules/bulk/csv-import.service.js');
type TransactionModule = typeof import('../src/db/transaction.js');
type ItemsRepositoryModule = typeof import('../src/modules/inventory/items.repository.js');

export type ChildInput =
  | { mode: 'template'; file: string; importer: string; room: string; freezer: string }
  | { mode: 'cairn'; file: string; csvFile: string; importer: string }
  | { mode: 'bare'; template: string; source: string; minimalFile: string; realFile: string };

export interface Timing {
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of the process (user + system) over the same span. */
  cpuSeconds: number;
  /** Minor page faults of the process over the same span (memory it touched for the first time). */
  pageFaults: number;
}

export interface CairnResult extends Timing {
  rows: number;
  created: number;
  /** Seconds spent reading the CSV, checking the rows, and creating them (the three add up to `seconds`). */
  phases: { read: number; check: number; create: number };
  /** Rows in the database after the import. */
  counts: { items: number; auditEvents: number };
  fileBytes: number;
}

export interface BareResult {
  rows: number;
  minimal: Timing;
  real: Timing;
  /** Everything Cairn wrote (items, audit events) into the real tables. */
  everything: Timing & { events: number };
}

/** Minor page faults of this process so far. */
function pageFaults(): number {
  return process.resourceUsage().minorPageFault;
}

/**
 * A bare connection with Cairn's pragmas (WAL, synchronous NORMAL, foreign keys on, its page cache): opened by
 * Cairn's own openSqlite, so that the baseline keeps up with them.
 */
async function openBare(file: string): Promise<SqliteDatabase.Database> {
  const { openSqlite } = await cairnModule<DatabaseModule>('db/database.js');
  return openSqlite(file);
}

async function template(input: Extract<ChildInput, { mode: 'template' }>): Promise<{ userId: string }> {
  const { connectDatabase } = await cairnModule<DatabaseModule>('db/database.js');
  const { migrateToLatest } = await cairnModule<MigrateModule>('db/migrate.js');
  const { createUser, actorFor } = await cairnModule<AccountsModule>('modules/accounts/accounts.service.js');
  const { createItemsInBulk } = await cairnModule<ItemsModule>('modules/inventory/item-creation.service.js');
  const { inTransaction } = await cairnModule<TransactionModule>('db/transaction.js');
  const handle = connectDatabase({ dialect: 'sqlite', databaseUrl: null, sqlitePath: input.file });
  try {
    await migrateToLatest(handle);
    const user = await inTransaction(handle.db, (trx) =>
      createUser(trx, null, {
        username: input.importer,
        email: `${input.importer}@lab.example`,
        password: 'bench-importer-password',
        role: 'user',
        displayName: 'Bench Importer',
      }),
    );
    const actor = await actorFor(handle.db, input.importer);
    await inTransaction(handle.db, async (trx) => {
      const [room] = await createItemsInBulk(trx, actor, [
        { type: 'room', name: input.room, fields: { building: 'Biology', floor: '2' } },
      ]);
      await createItemsInBulk(trx, actor, [
        { type: '-80 freezer', name: input.freezer, parentId: room?.id ?? null },
      ]);
    });
    return { userId: user.id };
  } finally {
    await handle.destroy();
  }
}

async function importWithCairn(input: Extract<ChildInput, { mode: 'cairn' }>): Promise<CairnResult> {
  const { connectDatabase } = await cairnModule<DatabaseModule>('db/database.js');
  const { actorFor } = await cairnModule<AccountsModule>('modules/accounts/accounts.service.js');
  const { importItemsCsv, readImportFile } = await cairnModule<ImportModule>(
    'modules/bulk/csv-import.service.js',
  );
  const { inTransaction } = await cairnModule<TransactionModule>('db/transaction.js');
  const handle = connectDatabase({ dialect: 'sqlite', databaseUrl: null, sqlitePath: input.file });
  try {
    const actor = await actorFor(handle.db, input.importer);
    const text = fs.readFileSync(input.csvFile, 'utf8');
    childProgress(`importing ${(text.length / 1e6).toFixed(1)} MB of CSV through Cairn`);

    // What POST /api/imports/items does once Fastify holds the body as a string (bulk.routes.ts).
    const cpuStart = cpuSeconds();
    const faultsStart = pageFaults();
    const start = performance.now();
    const csv = await readImportFile(text);
    const read = performance.now();
    let checking: number | null = null;
    let creating: number | null = null;
    const report = await inTransaction(handle.db, (trx) =>
      importItemsCsv(trx, actor, csv, {
        dryRun: false,
        onProgress: (progress) => {
          if (progress.phase === 'checking') checking ??= performance.now();
          if (progress.phase === 'creating') creating ??= performance.now();
        },
      }),
    );
    const end = performance.now();
    const cpu = cpuSeconds() - cpuStart;
    const faults = pageFaults() - faultsStart;

    if (!report.valid)
      throw new Error(`the import was refused: ${JSON.stringify(report.errors.slice(0, 3))}`);
    const count = (table: string) =>
      (handle.sqlite?.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const createStart = creating ?? end;
    return {
      seconds: (end - start) / 1000,
      cpuSeconds: cpu,
      pageFaults: faults,
      rows: report.rows,
      created: report.created,
      phases: {
        read: (read - start) / 1000,
        check: (createStart - read) / 1000,
        create: (end - createStart) / 1000,
      },
      counts: {
        items: count('items'),
        auditEvents: count('audit_events'),
      },
      fileBytes: Buffer.byteLength(text),
    };
  } finally {
    await handle.destroy();
  }
}

const AUDIT_COLUMNS = [
  'occurred_at',
  'actor_id',
  'action',
  'entity_type',
  'entity_id',
  'project_id',
  'before',
  'after',
  'request_id',
] as const;

interface TableRows {
  table: string;
  columns: readonly string[];
  rows: readonly unknown[][];
}

/**
 * Inserts rows with one prepared statement per table, all in one transaction; the clock covers begin to
 * commit.
 */
function timedInsert(sqlite: SqliteDatabase.Database, tables: readonly TableRows[]): Timing {
  const inserts = tables.map(({ table, columns, rows }) => ({
    statement: sqlite.prepare(
      `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    ),
    rows,
  }));
  const all = sqlite.transaction(() => {
    for (const { statement, rows } of inserts) for (const row of rows) statement.run(row);
  });
  const cpuStart = cpuSeconds();
  const faultsStart = pageFaults();
  const start = performance.now();
  all();
  return {
    seconds: (performance.now() - start) / 1000,
    cpuSeconds: cpuSeconds() - cpuStart,
    pageFaults: pageFaults() - faultsStart,
  };
}

async function bare(input: Extract<ChildInput, { mode: 'bare' }>): Promise<BareResult> {
  // The same columns Cairn's inserts write.
  const { ITEM_COLUMNS } = await cairnModule<ItemsRepositoryModule>('modules/inventory/items.repository.js');
  // What Cairn's import wrote, in the order it wrote it, read back before any clock starts.
  const source = new SqliteDatabase(input.source, { readonly: true });
  source.exec(`attach database '${input.template.replaceAll("'", "''")}' as template`);
  const newRows = (table: string, columns: readonly string[], key: string) =>
    source
      .prepare(
        `select ${columns.join(', ')} from main.${table} where ${key} not in (select ${key} from template.${table}) order by rowid`,
      )
      .raw()
      .all() as unknown[][];
  const items = newRows('items', ITEM_COLUMNS, 'id');
  const events = newRows('audit_events', AUDIT_COLUMNS, 'id');
  source.close();
  childProgress(`inserting the same ${items.length} rows with bare better-sqlite3`);

  // 1. A minimal table: the same columns and primary key, no other index, no foreign key, no check.
  const minimalDb = await openBare(input.minimalFile);
  minimalDb.exec(
    `create table items (id text primary key, ${ITEM_COLUMNS.slice(1)
      .map((column) => `${column} ${column === 'hidden' ? 'integer' : 'text'}`)
      .join(', ')})`,
  );
  const minimal = timedInsert(minimalDb, [{ table: 'items', columns: ITEM_COLUMNS, rows: items }]);
  minimalDb.close();

  // 2. Cairn's real items table (its indexes, checks and foreign keys), in a copy of the template.
  fs.copyFileSync(input.template, input.realFile);
  const realDb = await openBare(input.realFile);
  const real = timedInsert(realDb, [{ table: 'items', columns: ITEM_COLUMNS, rows: items }]);
  realDb.close();
  fs.rmSync(input.realFile, { force: true });

  // 3. Everything the import wrote (items with their paths, audit events) into the real tables.
  fs.copyFileSync(input.template, input.realFile);
  const everythingDb = await openBare(input.realFile);
  const everything = timedInsert(everythingDb, [
    { table: 'items', columns: ITEM_COLUMNS, rows: items },
    { table: 'audit_events', columns: AUDIT_COLUMNS, rows: events },
  ]);
  everythingDb.close();
  return {
    rows: items.length,
    minimal,
    real,
    everything: { ...everything, events: events.length },
  };
}

const input = childInput<ChildInput>();
switch (input.mode) {
  case 'template':
    childResult(await template(input));
    break;
  case 'cairn':
    childResult(await importWithCairn(input));
    break;
  case 'bare':
    childResult(await bare(input));
    break;
}
