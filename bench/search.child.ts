/**
 * The measuring child of the search benchmark (bench/search.bench.ts), on SQLite or PostgreSQL, in two modes,
 * each a fresh process:
 * - `index`: seeds a migrated database with N items whose names and descriptions come from a Zipf-distributed
 *   word list (users and projects through Cairn's services; the items, their samples and paths by bulk SQL,
 *   which only makes the data fast), then builds the text index twice from an empty index: with bare SQL
 *   (the baseline: INSERT … SELECT into the document table, its FTS5 table / tsvector column with the GIN
 *   index built after the insert, and the vocabulary), and with Cairn's `cairn search reindex`
 *   (`reindexSearch`, i.e. `rebuildIndex` in one transaction), which is the index the queries then use;
 * - `query`: Cairn's `search` and `suggest` as a plain project member, against the same queries written as
 *   bare SQL on the index table (same match text, same ranking cap, same LIMIT), alternating in blocks.
 */
import type SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { cairnModule, childInput, childProgress, childResult, percentile } from './support/child.js';
import { random } from './support/common.js';

type DatabaseModule = typeof import('../src/db/database.js');
type MigrateModule = typeof import('../src/db/migrate.js');
type AccountsModule = typeof import('../src/modules/accounts/accounts.service.js');
type ProjectsModule = typeof import('../src/modules/projects/projects.service.js');
type TransactionModule = typeof import('../src/db/transaction.js');
type ReindexModule = typeof import('../src/cli/commands/reindex-search.js');
type SearchModule = typeof import('../src/modules/search/search.service.js');
type PathsModule = typeof import('../src/modules/inventory/item-paths.js');

export type Dialect = 'sqlite' | 'postgres';

interface Connection {
  dialect: Dialect;
  /** SQLite: the file; PostgreSQL: the database URL. */
  target: string;
}

export interface IndexInput extends Connection {
  mode: 'index';
  items: number;
  seed: number;
  /** The member's username (sees 8 of the 10 projects' samples and everything lab-wide). */
  username: string;
}

export interface IndexResult {
  seed: { items: number; samples: number; hidden: number; projects: number; seconds: number };
  /** Bare SQL build of the same index (documents, words, vocabulary), and Cairn's reindex. */
  bare: { seconds: number; documents: number; vocabulary: number; phases: Record<string, number> };
  cairn: { seconds: number; documents: number; vocabulary: number };
  /** The words the queries use, chosen from the vocabulary Cairn wrote (documents holding them). */
  words: Words;
}

export interface Words {
  rare: { word: string; documents: number };
  common: { word: string; documents: number };
  prefix: { prefix: string; completions: number; documents: number };
}

export interface QueryInput extends Connection {
  mode: 'query';
  username: string;
  words: Words;
  runs: number;
  warmup: number;
  block: number;
}

export interface Latency {
  /** Milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  max: number;
  count: number;
}

export interface QueryMeasurement {
  name: string;
  q: string;
  cairn: Latency;
  direct: Latency;
  /** What the index holds for the match (all documents, no visibility), Cairn's total (capped) and page size. */
  matching: number;
  cairnTotal: number;
  cairnTotalIsExact: boolean;
  cairnResults: number;
  directRows: number;
  /** The direct query's SQL, as run. */
  directSql: string;
}

export interface QueryResult {
  searches: QueryMeasurement[];
  suggest: QueryMeasurement;
  visibleShare: number;
}

// ---- the data ----

/** Distinct made-up words (consonant–vowel syllables, 2–4 of them): letters only, so all enter the vocabulary. */
function wordList(size: number, next: () => number): string[] {
  const consonants = 'bdfgklmnprstvz';
  const vowels = 'aeiou';
  const words = new Set<string>();
  while (words.size < size) {
    const syllables = 2 + Math.floor(next() * 3);
    let word = '';
    for (let s = 0; s < syllables; s++) {
      word += consonants[Math.floor(next() * consonants.length)];
      word += vowels[Math.floor(next() * vowels.length)];
    }
    words.add(word);
  }
  return [...words];
}

/** Draws words with Zipf's law (exponent 1): the k-th word comes with probability ∝ 1/k. */
function zipf(words: readonly string[], next: () => number): () => string {
  const cumulative = new Float64Array(words.length);
  let sum = 0;
  for (let k = 0; k < words.length; k++) cumulative[k] = sum += 1 / (k + 1);
  return () => {
    const target = next() * sum;
    let low = 0;
    let high = words.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] as number) < target) low = mid + 1;
      else high = mid;
    }
    return words[low] as string;
  };
}

export const VOCABULARY_SIZE = 40_000;
const PROJECTS = 10;
const MEMBER_OF = 8;
const FREEZERS = 10;
const TUBES_PER_BOX = 100;
const SLOTS = Array.from(
  { length: 100 },
  (_, i) => `${String.fromCharCode(65 + Math.floor(i / 10))}${(i % 10) + 1}`,
);
const ITEM_COLUMNS = [
  'id',
  'class',
  'human_id',
  'type_id',
  'name',
  'description',
  'fields',
  'hidden',
  'barcode',
  'parent_id',
  'slot',
  'path',
  'project_id',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
] as const;
type ItemRow = Record<(typeof ITEM_COLUMNS)[number], string | number | null>;
interface SampleRow {
  item_id: string;
  project_id: string;
  collection_date: string;
  status: string;
  created_at: string;
  updated_at: string;
}

/** Writes rows in batches, the same rows on either database. */
interface Writer {
  items(rows: readonly ItemRow[]): Promise<void>;
  samples(rows: readonly SampleRow[]): Promise<void>;
}

/**
 * The items, generated in order (the same for a given seed): 10 freezers (lab-wide), boxes of 100 tubes in
 * them, tubes named and described with Zipf words; 30% of the tubes lab-wide, 70% samples of 10 projects;
 * 1% hidden. Paths as Cairn writes them (item-paths.ts), human ids from 1 in creation order.
 */
async function seedItems(
  count: number,
  seed: number,
  types: { freezer: string; box: string; tube: string },
  projectIds: readonly string[],
  creator: string,
  pathKey: (n: number) => string,
  writer: Writer,
): Promise<{ samples: number; hidden: number }> {
  const next = random(seed);
  const word = zipf(wordList(VOCABULARY_SIZE, next), next);
  const hex = () =>
    Math.floor(next() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  const uuid = () =>
    `p-${hex()}-${hex().slice(0, 4)}-${hex().slice(0, 4)}-${hex().slice(0, 4)}-${hex()}${hex().slice(0, 4)}`;
  const boxes = Math.ceil((count - FREEZERS) / (TUBES_PER_BOX + 1));
  const start = Date.parse('2025-01-01T00:00:00Z');
  const step = (365 * 86_400_000) / count;
  let n = 0;
  let samples = 0;
  let hidden = 0;
  let items: ItemRow[] = [];
  let sampleRows: SampleRow[] = [];
  // Samples after their items (foreign keys), in the same flush.
  const flush = async (force: boolean) => {
    if (items.length < 5000 && !(force && items.length > 0)) return;
    await writer.items(items);
    items = [];
    if (sampleRows.length > 0) await writer.samples(sampleRows);
    sampleRows = [];
  };
  const add = (
    row: Omit<
      ItemRow,
      'id' | 'class' | 'human_id' | 'created_at' | 'created_by' | 'updated_at' | 'updated_by' | 'path'
    >,
    parentPath: string | null,
  ) => {
    n++;
    const at = new Date(start + n * step).toISOString();
    const path = `${parentPath ?? ''}${pathKey(n)}/`;
    const full: ItemRow = {
      id: uuid(),
      class: 'physical',
      human_id: `P-${String(n).padStart(6, '0')}`,
      ...row,
      path,
      created_at: at,
      created_by: creator,
      updated_at: at,
      updated_by: creator,
    };
    items.push(full);
    return full;
  };
  const freezers: ItemRow[] = [];
  for (let f = 0; f < FREEZERS; f++) {
    freezers.push(
      add(
        {
          type_id: types.freezer,
          name: `freezer ${String(f + 1).padStart(2, '0')}`,
          description: 'minus eighty',
          fields: '{}',
          hidden: 0,
          barcode: `FZ-${f + 1}`,
          parent_id: null,
          slot: null,
          project_id: null,
        },
        null,
      ),
    );
  }
  for (let b = 0; b < boxes && n < count; b++) {
    const freezer = freezers[b % FREEZERS] as ItemRow;
    const box = add(
      {
        type_id: types.box,
        name: `box ${String(b + 1).padStart(5, '0')}`,
        description: '',
        fields: '{}',
        hidden: 0,
        barcode: `BX-${String(b + 1).padStart(6, '0')}`,
        parent_id: freezer.id,
        slot: null,
        project_id: null,
      },
      freezer.path as string,
    );
    for (let t = 0; t < TUBES_PER_BOX && n < count; t++) {
      const project = next() < 0.3 ? null : (projectIds[Math.floor(next() * projectIds.length)] ?? null);
      const isHidden = next() < 0.01 ? 1 : 0;
      const tube = add(
        {
          type_id: types.tube,
          name: `${word()} ${word()}`,
          description: `${word()} ${word()} ${word()}, ${word()} ${word()} ${word()}.`,
          fields: JSON.stringify({
            volume_ul: 10 * (1 + (n % 50)),
            frozen_on: `2025-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`,
          }),
          hidden: isHidden,
          barcode: `T${String(10_000_000 + n)}`,
          parent_id: box.id,
          slot: SLOTS[t] ?? null,
          project_id: project,
        },
        box.path as string,
      );
      hidden += isHidden;
      if (project !== null) {
        samples++;
        sampleRows.push({
          item_id: tube.id as string,
          project_id: project,
          collection_date: (tube.created_at as string).slice(0, 10),
          status: 'stored',
          created_at: tube.created_at as string,
          updated_at: tube.created_at as string,
        });
      }
      await flush(false);
    }
    await flush(false);
  }
  await flush(true);
  return { samples, hidden };
}

function sqliteWriter(sqlite: SqliteDatabase.Database): Writer {
  const item = sqlite.prepare(
    `insert into items (${ITEM_COLUMNS.join(', ')}) values (${ITEM_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const sample = sqlite.prepare(
    'insert into samples (item_id, project_id, collection_date, status, created_at, updated_at) values (@item_id, @project_id, @collection_date, @status, @created_at, @updated_at)',
  );
  const items = sqlite.transaction((rows: readonly ItemRow[]) => {
    for (const row of rows) item.run(row);
  });
  const samples = sqlite.transaction((rows: readonly SampleRow[]) => {
    for (const row of rows) sample.run(row);
  });
  return {
    items: (rows) => Promise.resolve(items(rows)),
    samples: (rows) => Promise.resolve(samples(rows)),
  };
}

/** One array per column (`unnest`), as Cairn's own bulk inserts on PostgreSQL. */
function postgresWriter(client: pg.Client): Writer {
  const insert = async (
    table: string,
    columns: readonly string[],
    rows: readonly Record<string, unknown>[],
  ) => {
    const arrays = columns.map((column) => rows.map((row) => row[column]));
    const types = columns.map((column) => (column === 'hidden' ? 'int[]' : 'text[]'));
    await client.query(
      `insert into ${table} (${columns.join(', ')}) select * from unnest(${types.map((t, i) => `$${i + 1}::${t}`).join(', ')})`,
      arrays,
    );
  };
  return {
    items: (rows) => insert('items', ITEM_COLUMNS, rows),
    samples: (rows) =>
      insert(
        'samples',
        ['item_id', 'project_id', 'collection_date', 'status', 'created_at', 'updated_at'],
        rows as unknown as Record<string, unknown>[],
      ),
  };
}

// ---- the bare SQL index build (the reindex baseline) ----

/**
 * The document of each live item, as Cairn's item source writes it (search-sources.ts): title = name, human
 * id, barcode; body = type name, description, the field values, the sample's status. Words are cut by the
 * databases' own tokenizers here, over the same characters (letters and digits, lower case).
 */
const sqliteDocumentSelect = `
  select 'item', i.id, case when s.item_id is null then 'item' else 'sample' end, i.human_id,
    i.name || char(10) || i.human_id || coalesce(char(10) || i.barcode, ''),
    t.name || case when i.description = '' then '' else char(10) || i.description end
      || coalesce((select char(10) || group_concat(value, char(10)) from json_each(i.fields)), '')
      || coalesce(char(10) || s.status, ''),
    i.type_id, t.name, i.project_id, null, case when i.project_id is null then 'everyone' else 'members' end,
    i.hidden, s.status, i.barcode, i.path, i.created_at, i.updated_at
  from items i join item_types t on t.id = i.type_id left join samples s on s.item_id = i.id
  where i.deleted_at is null
  union all
  select 'project', p.id, 'project', null, p.name, p.description || char(10) || p.status, null, null, p.id, null,
    'members', 0, p.status, null, null, p.created_at, p.updated_at
  from projects p where p.deleted_at is null`;

const DOCUMENT_INSERT = `insert into search_documents (source, entity_id, kind, human_id, title, body, type_id,
  type_name, project_id, owner, audience, hidden, status, barcode, path, created_at, updated_at`;

async function bareBuildSqlite(sqlite: SqliteDatabase.Database): Promise<Record<string, number>> {
  const phases: Record<string, number> = {};
  const timed = (name: string, work: () => void) => {
    const start = performance.now();
    work();
    phases[name] = (performance.now() - start) / 1000;
  };
  sqlite.exec('begin immediate');
  timed('documents', () => sqlite.exec(`${DOCUMENT_INSERT}) ${sqliteDocumentSelect}`));
  timed('words (FTS5)', () =>
    sqlite.exec('insert into search_text (rowid, title, body) select id, title, body from search_documents'),
  );
  timed('vocabulary', () => {
    sqlite.exec('create virtual table temp.search_terms using fts5vocab(main, search_text, row)');
    sqlite.exec(`insert into search_vocabulary (word, documents) select term, doc from temp.search_terms
      where length(term) between 3 and 32 and term not glob '*[^a-z]*'`);
    sqlite.exec('drop table temp.search_terms');
  });
  timed('commit', () => sqlite.exec('commit'));
  return phases;
}

const postgresText = (expression: string) =>
  `to_tsvector('simple', lower(regexp_replace(${expression}, '[^[:alnum:]]+', ' ', 'g')))`;

async function bareBuildPostgres(client: pg.Client): Promise<Record<string, number>> {
  const phases: Record<string, number> = {};
  const timed = async (name: string, text: string) => {
    const start = performance.now();
    await client.query(text);
    phases[name] = (performance.now() - start) / 1000;
  };
  await client.query('begin');
  // The GIN index is built last, after the rows are in: inserting a million rows into an indexed table is
  // what a bulk load avoids (and ts_stat's scan for the vocabulary ran faster before it than after).
  await timed('drop GIN index', 'drop index search_documents_words_idx');
  await timed(
    'documents with tsvector',
    `${DOCUMENT_INSERT}, words)
    select 'item', i.id, case when s.item_id is null then 'item' else 'sample' end, i.human_id, x.title, x.body,
      i.type_id, t.name, i.project_id, null, case when i.project_id is null then 'everyone' else 'members' end,
      i.hidden, s.status, i.barcode, i.path, i.created_at, i.updated_at,
      setweight(${postgresText('x.title')}, 'A') || setweight(${postgresText('x.body')}, 'B')
    from items i join item_types t on t.id = i.type_id left join samples s on s.item_id = i.id,
      lateral (select i.name || E'\\n' || i.human_id || coalesce(E'\\n' || i.barcode, '') as title,
        t.name || case when i.description = '' then '' else E'\\n' || i.description end
          || coalesce((select E'\\n' || string_agg(value, E'\\n') from jsonb_each_text(i.fields::jsonb)), '')
          || coalesce(E'\\n' || s.status, '') as body) x
    where i.deleted_at is null
    union all
    select 'project', p.id, 'project', null, p.name, p.description || E'\\n' || p.status, null, null, p.id, null,
      'members', 0, p.status, null, null, p.created_at, p.updated_at,
      setweight(${postgresText('p.name')}, 'A') || setweight(${postgresText(`p.description || ' ' || p.status`)}, 'B')
    from projects p where p.deleted_at is null`,
  );
  await timed(
    'vocabulary',
    `insert into search_vocabulary (word, documents)
      select word, ndoc from ts_stat('select words from search_documents') where word ~ '^[a-z]{3,32}$'`,
  );
  await timed('GIN index', 'create index search_documents_words_idx on search_documents using gin (words)');
  await timed('commit', 'commit');
  return phases;
}

// ---- modes ----

async function connect(input: Connection) {
  const { connectDatabase } = await cairnModule<DatabaseModule>('db/database.js');
  const handle =
    input.dialect === 'sqlite'
      ? connectDatabase({ dialect: 'sqlite', databaseUrl: null, sqlitePath: input.target })
      : connectDatabase({ dialect: 'postgres', databaseUrl: input.target, sqlitePath: '' });
  let client: pg.Client | null = null;
  if (input.dialect === 'postgres') {
    client = new pg.Client({ connectionString: input.target });
    await client.connect();
  }
  /** One bare query: rows. */
  const query = async <T>(text: string, params: unknown[] = []): Promise<T[]> => {
    if (client !== null) return (await client.query(text, params)).rows as T[];
    const statement = handle.sqlite?.prepare(text);
    if (statement === undefined) throw new Error('no SQLite handle');
    if (!statement.reader) {
      statement.run(...params);
      return [];
    }
    return statement.all(...params) as T[];
  };
  return {
    handle,
    client,
    query,
    close: async () => {
      await client?.end();
      await handle.destroy();
    },
  };
}

const seconds = (since: number) => (performance.now() - since) / 1000;

async function countIndex(query: <T>(text: string) => Promise<T[]>) {
  const [documents] = await query<{ n: number }>('select count(*) as n from search_documents');
  const [vocabulary] = await query<{ n: number }>('select count(*) as n from search_vocabulary');
  return { documents: Number(documents?.n), vocabulary: Number(vocabulary?.n) };
}

/** Empties the index without measuring it (between the two builds): new tables are faster than deletes. */
async function emptyIndex(
  dialect: Dialect,
  query: <T>(text: string) => Promise<T[]>,
  sqlite: SqliteDatabase.Database | null,
) {
  if (dialect === 'postgres') {
    await query('truncate search_documents, search_vocabulary');
    await query('vacuum analyze search_documents');
    return;
  }
  if (sqlite === null) throw new Error('no SQLite handle');
  const ddl = (
    sqlite.prepare("select sql from sqlite_master where name = 'search_text'").get() as { sql: string }
  ).sql;
  sqlite.exec('begin immediate');
  sqlite.exec('drop table search_text');
  sqlite.exec(ddl);
  sqlite.exec('delete from search_documents');
  sqlite.exec('delete from search_vocabulary');
  sqlite.exec('commit');
}

/** Reads every item row once, so that neither build pays for a cold cache. */
async function warmItems(query: <T>(text: string) => Promise<T[]>) {
  await query('select count(*), sum(length(name) + length(description) + length(fields)) from items');
}

async function index(input: IndexInput): Promise<IndexResult> {
  const { migrateToLatest } = await cairnModule<MigrateModule>('db/migrate.js');
  const { actorFor, createUser, ensureAdmin } = await cairnModule<AccountsModule>(
    'modules/accounts/accounts.service.js',
  );
  const { addMember, createProject } = await cairnModule<ProjectsModule>(
    'modules/projects/projects.service.js',
  );
  const { inTransaction } = await cairnModule<TransactionModule>('db/transaction.js');
  const { reindexSearch } = await cairnModule<ReindexModule>('cli/commands/reindex-search.js');
  const { pathKey } = await cairnModule<PathsModule>('modules/inventory/item-paths.js');
  const { handle, client, query, close } = await connect(input);
  try {
    await migrateToLatest(handle);
    await inTransaction(handle.db, (trx) => ensureAdmin(trx, 'bench-admin-password'));
    await inTransaction(handle.db, (trx) =>
      createUser(trx, null, {
        username: input.username,
        email: `${input.username}@lab.example`,
        password: 'bench-user-password',
        role: 'user',
        displayName: 'Bench User',
      }),
    );
    const admin = await actorFor(handle.db, 'admin');
    const projectIds: string[] = [];
    await inTransaction(handle.db, async (trx) => {
      for (let p = 0; p < PROJECTS; p++) {
        const project = await createProject(trx, admin, {
          name: `Screen ${p + 1}`,
          description: `bench project ${p + 1}`,
          status: 'active',
        });
        projectIds.push(project.id);
        if (p < MEMBER_OF)
          await addMember(trx, admin, project.id, { username: input.username, role: 'member' });
      }
    });
    // One after another: a pg client runs one query at a time.
    const typeIds: string[] = [];
    for (const name of ['tube', 'box 10x10', '-80 freezer']) {
      const [row] = await query<{ id: string }>(`select id from item_types where name = '${name}'`);
      if (row === undefined) throw new Error(`no item type ${name}`);
      typeIds.push(row.id);
    }
    const [tube, box, freezer] = typeIds;

    childProgress(`seeding ${input.items} items by bulk SQL`);
    let started = performance.now();
    if (handle.sqlite !== null) handle.sqlite.pragma('synchronous = OFF');
    const writer = handle.sqlite !== null ? sqliteWriter(handle.sqlite) : postgresWriter(client as pg.Client);
    const seeded = await seedItems(
      input.items,
      input.seed,
      { tube: tube as string, box: box as string, freezer: freezer as string },
      projectIds,
      admin.id,
      pathKey,
      writer,
    );
    await query(`update counters set value = ${input.items} where name = 'items.physical'`);
    if (handle.sqlite !== null) {
      handle.sqlite.pragma('synchronous = NORMAL');
      handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } else {
      // What autovacuum would soon do after a million inserted rows. Not on SQLite: Cairn never runs ANALYZE
      // there, and with sqlite_stat1 the planner turns findPaths' recursive query into a scan of items.
      await query('vacuum analyze');
    }
    const seedSeconds = seconds(started);
    childProgress(`seeded in ${seedSeconds.toFixed(1)} s`);

    childProgress('baseline: the same index built with bare SQL');
    await warmItems(query);
    started = performance.now();
    const phases =
      handle.sqlite !== null
        ? await bareBuildSqlite(handle.sqlite)
        : await bareBuildPostgres(client as pg.Client);
    const bareSeconds = seconds(started);
    const bareCounts = await countIndex(query);
    childProgress(
      `bare build ${bareSeconds.toFixed(1)} s: ${bareCounts.documents} documents, ${bareCounts.vocabulary} words`,
    );
    await emptyIndex(input.dialect, query, handle.sqlite);

    childProgress('cairn search reindex (reindexSearch: rebuildIndex in one transaction)');
    await warmItems(query);
    started = performance.now();
    await reindexSearch(handle.db);
    const cairnSeconds = seconds(started);
    const cairnCounts = await countIndex(query);
    childProgress(
      `cairn reindex ${cairnSeconds.toFixed(1)} s: ${cairnCounts.documents} documents, ${cairnCounts.vocabulary} words`,
    );
    if (cairnCounts.documents !== bareCounts.documents || cairnCounts.vocabulary !== bareCounts.vocabulary) {
      throw new Error(
        `the two builds differ: Cairn ${JSON.stringify(cairnCounts)}, bare SQL ${JSON.stringify(bareCounts)}`,
      );
    }
    if (handle.sqlite !== null) handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    else await query('vacuum analyze search_documents');

    return {
      seed: {
        items: input.items,
        samples: seeded.samples,
        hidden: seeded.hidden,
        projects: PROJECTS,
        seconds: seedSeconds,
      },
      bare: { seconds: bareSeconds, ...bareCounts, phases },
      cairn: { seconds: cairnSeconds, ...cairnCounts },
      words: await chooseWords(query, wordList(VOCABULARY_SIZE, random(input.seed))[0] as string),
    };
  } finally {
    await close();
  }
}

/**
 * The query words, from the vocabulary: the Zipf list's most frequent word (`commonest`: the fixed words of
 * every tube, such as its type's name, are left aside); a rare one (the word held by closest to 5 documents,
 * at least 3); the 3-letter prefix with the most completions.
 */
async function chooseWords(query: <T>(text: string) => Promise<T[]>, commonest: string): Promise<Words> {
  const vocabulary = await query<{ word: string; documents: number }>(
    'select word, documents from search_vocabulary order by word',
  );
  let rare = { word: '', documents: 0 };
  let common = { word: commonest, documents: 0 };
  const prefixes = new Map<string, { completions: number; documents: number }>();
  for (const entry of vocabulary) {
    const documents = Number(entry.documents);
    if (entry.word === commonest) common = { word: commonest, documents };
    if (documents >= 3 && Math.abs(documents - 5) < Math.abs(rare.documents - 5))
      rare = { word: entry.word, documents };
    const prefix = entry.word.slice(0, 3);
    const known = prefixes.get(prefix) ?? { completions: 0, documents: 0 };
    prefixes.set(prefix, { completions: known.completions + 1, documents: known.documents + documents });
  }
  const [prefix, facts] = [...prefixes.entries()].sort(
    ([a, x], [b, y]) => y.completions - x.completions || y.documents - x.documents || (a < b ? -1 : 1),
  )[0] as [string, { completions: number; documents: number }];
  return { rare, common, prefix: { prefix, ...facts } };
}

function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    max: sorted.at(-1) ?? Number.NaN,
    count: sorted.length,
  };
}

/**
 * The direct queries: what Cairn's index repository asks of the index, without the caller's visibility —
 * the same MATCH / tsquery text, the newest `cap` matches ranked by the same bm25 weights / ts_rank, and the
 * page of `limit` documents (their columns, as Cairn reads them for the page).
 */
function directSearchSql(dialect: Dialect, cap: number, limit: number): string {
  if (dialect === 'postgres') {
    return `select d.id, d.entity_id, d.kind, d.human_id, d.title, d.body, d.path, c.score
      from (select s.id, ts_rank(s.words, to_tsquery('simple', $1)) as score
        from (select id, words from search_documents where words @@ to_tsquery('simple', $1) limit ${cap}) s) c
      join search_documents d on d.id = c.id
      order by c.score desc, c.id desc limit ${limit}`;
  }
  return `select d.id, d.entity_id, d.kind, d.human_id, d.title, d.body, d.path, c.score
    from (select search_text.rowid as id, -bm25(search_text, 4.0, 1.0) as score from search_text
      where search_text match ? order by search_text.rowid desc limit ${cap}) c
    join search_documents d on d.id = c.id
    order by c.score desc, c.id desc limit ${limit}`;
}

/** Title completions, newest first up to the cap, the shortest titles first (as suggest orders them). */
function directSuggestSql(dialect: Dialect, cap: number, limit: number): string {
  if (dialect === 'postgres') {
    return `select * from (select d.id, d.entity_id, d.kind, d.human_id, d.title from search_documents d
        where d.words @@ to_tsquery('simple', $1) limit ${cap}) c
      order by length(c.title), c.title limit ${limit}`;
  }
  return `select * from (select d.id, d.entity_id, d.kind, d.human_id, d.title
      from search_text join search_documents d on d.id = search_text.rowid
      where search_text match ? order by search_text.rowid desc limit ${cap}) c
    order by length(c.title), c.title limit ${limit}`;
}

async function measureQueries(input: QueryInput): Promise<QueryResult> {
  const { actorFor } = await cairnModule<AccountsModule>('modules/accounts/accounts.service.js');
  const { search, suggest, RANKING_CAP } = await cairnModule<SearchModule>(
    'modules/search/search.service.js',
  );
  const { handle, query, close } = await connect(input);
  try {
    const actor = await actorFor(handle.db, input.username);
    const postgres = input.dialect === 'postgres';
    const LIMIT = 20;
    // The match texts as the index repository writes them (fts5Expression / tsqueryText).
    const cases = [
      {
        name: 'rare word',
        q: input.words.rare.word,
        fts: `"${input.words.rare.word}"`,
        ts: `'${input.words.rare.word}'`,
      },
      {
        name: 'common word',
        q: input.words.common.word,
        fts: `"${input.words.common.word}"`,
        ts: `'${input.words.common.word}'`,
      },
      {
        name: '3-letter prefix',
        q: `${input.words.prefix.prefix}*`,
        fts: `"${input.words.prefix.prefix}" *`,
        ts: `'${input.words.prefix.prefix}':*`,
      },
    ];
    const [visible] = await query<{ share: number }>(
      `select avg(case when d.audience = 'everyone' or d.project_id in (select project_id from project_users m join users u on u.id = m.user_id where u.username = '${input.username}') then 1.0 else 0.0 end) as share from search_documents d where d.hidden = 0`,
    );

    const run = async (
      name: string,
      q: string,
      match: string,
      cairnCall: () => Promise<{ total: number; exact: boolean; results: number }>,
      directSql: string,
    ): Promise<QueryMeasurement> => {
      const statement = postgres ? null : handle.sqlite?.prepare(directSql);
      const direct = async () =>
        statement === null || statement === undefined
          ? (await query(directSql, [match])).length
          : statement.all(match).length;
      const [matching] = await query<{ n: number }>(
        postgres
          ? `select count(*) as n from search_documents where words @@ to_tsquery('simple', $1)`
          : 'select count(*) as n from search_text where search_text match ?',
        [match],
      );
      let first = await cairnCall();
      let directRows = await direct();
      for (let i = 1; i < input.warmup; i++) {
        first = await cairnCall();
        directRows = await direct();
      }
      // A query that finds nothing would time an empty path: not an honest figure.
      if (first.results === 0 || directRows === 0) {
        throw new Error(
          `${name} (${q}): Cairn answered ${first.results} results, the direct query ${directRows} rows`,
        );
      }
      const cairnTimes: number[] = [];
      const directTimes: number[] = [];
      while (cairnTimes.length < input.runs) {
        for (let i = 0; i < input.block; i++) {
          const start = performance.now();
          await cairnCall();
          cairnTimes.push(performance.now() - start);
        }
        for (let i = 0; i < input.block; i++) {
          const start = performance.now();
          await direct();
          directTimes.push(performance.now() - start);
        }
      }
      const measured: QueryMeasurement = {
        name,
        q,
        cairn: latency(cairnTimes),
        direct: latency(directTimes),
        matching: Number(matching?.n),
        cairnTotal: first.total,
        cairnTotalIsExact: first.exact,
        cairnResults: first.results,
        directRows,
        directSql: directSql.replace(/\s+/g, ' '),
      };
      childProgress(
        `${input.dialect} ${name} (${q}): Cairn p50 ${measured.cairn.p50.toFixed(2)} ms p99 ${measured.cairn.p99.toFixed(2)} ms; ` +
          `direct p50 ${measured.direct.p50.toFixed(2)} ms p99 ${measured.direct.p99.toFixed(2)} ms; ` +
          `${measured.matching} matching, Cairn total ${first.total}${first.exact ? '' : ' (capped)'}`,
      );
      return measured;
    };

    const searches: QueryMeasurement[] = [];
    for (const c of cases) {
      searches.push(
        await run(
          c.name,
          c.q,
          postgres ? c.ts : c.fts,
          async () => {
            const answer = await search(handle.db, actor, { q: c.q });
            return { total: answer.total, exact: answer.totalIsExact, results: answer.results.length };
          },
          directSearchSql(input.dialect, RANKING_CAP, LIMIT),
        ),
      );
    }
    const prefix = input.words.prefix.prefix;
    const suggested = await run(
      'suggest (3-letter prefix)',
      prefix,
      postgres ? `'${prefix}':*A` : `{title} : ("${prefix}" *)`,
      async () => {
        const answer = await suggest(handle.db, actor, { q: prefix });
        return { total: answer.suggestions.length, exact: true, results: answer.suggestions.length };
      },
      // suggest's cap (findTitleCompletions' 200) and its default limit (8).
      directSuggestSql(input.dialect, 200, 8),
    );
    return { searches, suggest: suggested, visibleShare: Number(visible?.share) };
  } finally {
    await close();
  }
}

const input = childInput<IndexInput | QueryInput>();
childResult(input.mode === 'index' ? await index(input) : await measureQueries(input));
