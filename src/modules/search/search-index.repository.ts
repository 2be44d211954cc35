/**
 * All SQL for the text index: documents, their words (SQLite FTS5 table `search_text` / PostgreSQL tsvector
 * column `words`) and the vocabulary. The two databases differ only in how words are stored and matched;
 * filters, candidates and vocabulary upkeep are one query for both.
 */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import type { SearchDocument } from './search-sources.js';
import type { SearchDocumentsTable, SearchKind, SearchTables } from './search.tables.js';
import { indexedText } from './search-words.js';

const searchTables = (db: Db) => tablesOf<SearchTables>(db);

export type SearchDocumentRow = Omit<Selectable<SearchDocumentsTable>, 'words'>;

const DOCUMENT_COLUMNS = [
  'id',
  'source',
  'entity_id',
  'kind',
  'human_id',
  'title',
  'body',
  'type_id',
  'type_name',
  'project_id',
  'owner',
  'audience',
  'hidden',
  'status',
  'barcode',
  'path',
  'created_at',
  'updated_at',
] as const;

/** The current documents of these entities of one source. */
export async function findDocuments(
  db: Db,
  source: string,
  entityIds: readonly string[],
): Promise<SearchDocumentRow[]> {
  const rows: SearchDocumentRow[] = [];
  for (let start = 0; start < entityIds.length; start += 500) {
    rows.push(
      ...(await searchTables(db)
        .selectFrom('search_documents')
        .select(DOCUMENT_COLUMNS)
        .where('source', '=', source as SearchDocumentRow['source'])
        .where('entity_id', 'in', entityIds.slice(start, start + 500))
        .execute()),
    );
  }
  return rows;
}

/** Documents by id (a page of results). */
export function findDocumentsById(db: Db, ids: readonly number[]): Promise<SearchDocumentRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return searchTables(db)
    .selectFrom('search_documents')
    .select(DOCUMENT_COLUMNS)
    .where('id', 'in', ids)
    .execute();
}

function columnsOf(document: SearchDocument) {
  return {
    source: document.source,
    entity_id: document.entityId,
    kind: document.kind,
    human_id: document.humanId,
    title: document.title,
    body: document.body,
    type_id: document.typeId,
    type_name: document.typeName,
    project_id: document.projectId,
    owner: document.owner,
    audience: document.audience,
    hidden: document.hidden ? 1 : 0,
    status: document.status,
    barcode: document.barcode,
    path: document.path,
    created_at: document.createdAt,
    updated_at: document.updatedAt,
  };
}

/** PostgreSQL's words of a document: title words weigh A, the rest B (ts_rank ranks by them). */
function postgresWords(document: SearchDocument): RawBuilder<unknown> {
  return sql`setweight(to_tsvector('simple', ${indexedText(document.title)}), 'A') || setweight(to_tsvector('simple', ${indexedText(document.body)}), 'B')`;
}

/** Inserts new documents with their words; returns nothing (ids are the database's). */
export async function insertDocuments(db: Db, documents: readonly SearchDocument[]): Promise<void> {
  if (documents.length === 0) return;
  const postgres = dialectOf(db) === 'postgres';
  for (let start = 0; start < documents.length; start += 500) {
    const chunk = documents.slice(start, start + 500);
    if (postgres) {
      await searchTables(db)
        .insertInto('search_documents')
        .values(chunk.map((document) => ({ ...columnsOf(document), words: postgresWords(document) })))
        .execute();
      continue;
    }
    const inserted = await searchTables(db)
      .insertInto('search_documents')
      .values(chunk.map(columnsOf))
      .returning(['id', 'source', 'entity_id'])
      .execute();
    const idOf = new Map(inserted.map((row) => [`${row.source}\u0000${row.entity_id}`, row.id]));
    await insertSqliteText(
      db,
      chunk.map((document) => ({
        id: idOf.get(`${document.source}\u0000${document.entityId}`) ?? 0,
        document,
      })),
    );
  }
}

async function insertSqliteText(
  db: Db,
  rows: readonly { id: number; document: SearchDocument }[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = rows.map(
    ({ id, document }) => sql`(${id}, ${indexedText(document.title)}, ${indexedText(document.body)})`,
  );
  await sql`insert into search_text (rowid, title, body) values ${sql.join(values)}`.execute(db);
}

/** Rewrites an existing document (`id`) and its words. */
export async function updateDocument(db: Db, id: number, document: SearchDocument): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await searchTables(db)
      .updateTable('search_documents')
      .set({ ...columnsOf(document), words: postgresWords(document) })
      .where('id', '=', id)
      .execute();
    return;
  }
  await searchTables(db)
    .updateTable('search_documents')
    .set(columnsOf(document))
    .where('id', '=', id)
    .execute();
  await sql`delete from search_text where rowid = ${id}`.execute(db);
  await insertSqliteText(db, [{ id, document }]);
}

/** Removes documents and their words. */
export async function deleteDocuments(db: Db, ids: readonly number[]): Promise<void> {
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    if (dialectOf(db) === 'sqlite')
      await sql`delete from search_text where rowid in (${sql.join(chunk)})`.execute(db);
    await searchTables(db).deleteFrom('search_documents').where('id', 'in', chunk).execute();
  }
}

/**
 * Moves the paths of the documents below a moved physical from `from` to `to` (prefixes of materialized
 * paths), so that `in:` finds them in their new place without reading each again.
 */
export async function movePaths(db: Db, from: string, to: string): Promise<void> {
  await sql`update search_documents set path = ${to} || substr(path, ${from.length + 1})
    where path > ${from} and path < ${`${from}~`}`.execute(db);
}

/** Adds (or, negative, takes away) documents from vocabulary words; words no document holds are dropped. */
export async function adjustVocabulary(db: Db, deltas: ReadonlyMap<string, number>): Promise<void> {
  // In one order, so that two transactions adjusting the same words on PostgreSQL wait rather than deadlock.
  const words = [...deltas.entries()].filter(([, delta]) => delta !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  for (let start = 0; start < words.length; start += 500) {
    const chunk = words.slice(start, start + 500);
    await searchTables(db)
      .insertInto('search_vocabulary')
      .values(chunk.map(([word, delta]) => ({ word, documents: delta })))
      .onConflict((conflict) =>
        conflict
          .column('word')
          .doUpdateSet({ documents: sql`search_vocabulary.documents + excluded.documents` }),
      )
      .execute();
  }
  const dropped = words.filter(([, delta]) => delta < 0).map(([word]) => word);
  for (let start = 0; start < dropped.length; start += 500) {
    await searchTables(db)
      .deleteFrom('search_vocabulary')
      .where('word', 'in', dropped.slice(start, start + 500))
      .where('documents', '<=', 0)
      .execute();
  }
}

/** Empties the index (a rebuild, inside its transaction: readers keep the old index until it commits). */
export async function clearIndex(db: Db): Promise<void> {
  if (dialectOf(db) === 'sqlite') await sql`delete from search_text`.execute(db);
  await searchTables(db).deleteFrom('search_documents').execute();
  await searchTables(db).deleteFrom('search_vocabulary').execute();
}

// ---- Queries ----

/** A query as the index matches it: each term's words (a phrase when several), prefix or not, excluded or not. */
export interface MatchTerm {
  words: string[];
  prefix: boolean;
  exclude: boolean;
}

export interface DocumentFilter {
  /** null: no restriction (admins). */
  visibility: { projectIds: readonly string[]; username: string; staff: boolean } | null;
  includeHidden: boolean;
  kinds?: readonly SearchKind[];
  typeIds?: readonly string[];
  projectIds?: readonly string[];
  /** A materialized path: the document lies below it. */
  within?: string;
  barcode?: string;
  status?: string;
  createdAfter?: string;
  createdBefore?: string;
}

function filterConditions(filter: DocumentFilter): RawBuilder<boolean>[] {
  const conditions: RawBuilder<boolean>[] = [];
  const v = filter.visibility;
  if (v !== null) {
    const either: RawBuilder<boolean>[] = [sql`d.audience = 'everyone'`, sql`d.owner = ${v.username}`];
    if (v.projectIds.length > 0) either.push(sql`d.project_id in (${sql.join(v.projectIds)})`);
    if (v.staff) either.push(sql`d.audience = 'staff'`);
    conditions.push(sql`(${sql.join(either, sql` or `)})`);
  }
  if (!filter.includeHidden) conditions.push(sql`d.hidden = 0`);
  if (filter.kinds !== undefined) conditions.push(sql`d.kind in (${sql.join(filter.kinds)})`);
  if (filter.typeIds !== undefined) conditions.push(sql`d.type_id in (${sql.join(filter.typeIds)})`);
  if (filter.projectIds !== undefined) conditions.push(sql`d.project_id in (${sql.join(filter.projectIds)})`);
  if (filter.within !== undefined)
    conditions.push(sql`d.path > ${filter.within} and d.path < ${`${filter.within}~`}`);
  if (filter.barcode !== undefined) conditions.push(sql`d.barcode = ${filter.barcode}`);
  if (filter.status !== undefined) conditions.push(sql`lower(d.status) = ${filter.status.toLowerCase()}`);
  if (filter.createdAfter !== undefined) conditions.push(sql`d.created_at >= ${filter.createdAfter}`);
  if (filter.createdBefore !== undefined) conditions.push(sql`d.created_at < ${filter.createdBefore}`);
  return conditions;
}

function quoted(word: string): string {
  return `"${word}"`;
}

/** The terms as an FTS5 MATCH expression (words are letters and digits only: nothing to escape). */
function fts5Expression(terms: readonly MatchTerm[], column: 'title' | null): string {
  const term = (t: MatchTerm) => `${t.words.map(quoted).join(' ')}${t.prefix ? ' *' : ''}`;
  const positive = terms
    .filter((t) => !t.exclude)
    .map((t) => (t.words.length > 1 && !t.prefix ? `"${t.words.join(' ')}"` : term(t)));
  const negative = terms.filter((t) => t.exclude).map(term);
  const body = positive.join(' AND ') + negative.map((n) => ` NOT ${n}`).join('');
  return column === null ? body : `{${column}} : (${body})`;
}

/** The terms as a PostgreSQL tsquery text (`simple` configuration; title words carry weight A). */
function tsqueryText(terms: readonly MatchTerm[], titleOnly: boolean): string {
  const lexeme = (word: string, prefix: boolean) =>
    `'${word}'${prefix ? ':*' : ''}${titleOnly ? (prefix ? 'A' : ':A') : ''}`;
  return terms
    .map((t) => {
      const words = t.words.map((word, i) => lexeme(word, t.prefix && i === t.words.length - 1));
      const phrase = words.length > 1 ? `(${words.join(' <-> ')})` : (words[0] ?? '');
      return t.exclude ? `!${phrase}` : phrase;
    })
    .join(' & ');
}

export interface Candidate {
  id: number;
  kind: SearchKind;
  type_id: string | null;
  type_name: string | null;
  /** Higher is better. */
  score: number;
}

/**
 * At most `cap` documents that match and pass the filter, newest first, with their relevance — ranking is
 * capped so that a word in a million documents costs what a rare one does. Without positive terms (filters
 * only), the newest `cap` documents that pass.
 */
export async function findCandidates(
  db: Db,
  terms: readonly MatchTerm[],
  filter: DocumentFilter,
  cap: number,
): Promise<Candidate[]> {
  const conditions = filterConditions(filter);
  const hasMatch = terms.some((t) => !t.exclude);
  if (!hasMatch) {
    const where = conditions.length === 0 ? sql`` : sql`where ${sql.join(conditions, sql` and `)}`;
    const { rows } = await sql<Candidate>`select d.id, d.kind, d.type_id, d.type_name, 0 as score
      from search_documents d ${where} order by d.id desc limit ${cap}`.execute(db);
    return rows;
  }
  if (dialectOf(db) === 'postgres') {
    const and = conditions.length === 0 ? sql`` : sql`and ${sql.join(conditions, sql` and `)}`;
    const { rows } = await sql<Candidate>`select c.id, c.kind, c.type_id, c.type_name,
        ts_rank(c.words, to_tsquery('simple', ${tsqueryText(terms, false)})) as score
      from (select d.id, d.kind, d.type_id, d.type_name, d.words from search_documents d
        where d.words @@ to_tsquery('simple', ${tsqueryText(terms, false)}) ${and}
        limit ${cap}) c`.execute(db);
    return rows;
  }
  const and = conditions.length === 0 ? sql`` : sql`and ${sql.join(conditions, sql` and `)}`;
  const { rows } = await sql<Candidate>`select d.id, d.kind, d.type_id, d.type_name,
      -bm25(search_text, 4.0, 1.0) as score
    from search_text join search_documents d on d.id = search_text.rowid
    where search_text match ${fts5Expression(terms, null)} ${and}
    order by search_text.rowid desc limit ${cap}`.execute(db);
  return rows;
}

/** Documents whose title words start with the typed words (suggestions as the user types), newest first. */
export async function findTitleCompletions(
  db: Db,
  terms: readonly MatchTerm[],
  filter: DocumentFilter,
  cap: number,
): Promise<SearchDocumentRow[]> {
  const conditions = filterConditions(filter);
  const and = conditions.length === 0 ? sql`` : sql`and ${sql.join(conditions, sql` and `)}`;
  const columns = sql.join(DOCUMENT_COLUMNS.map((column) => sql.ref(`d.${column}`)));
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<SearchDocumentRow>`select ${columns} from search_documents d
      where d.words @@ to_tsquery('simple', ${tsqueryText(terms, true)}) ${and} limit ${cap}`.execute(db);
    return rows;
  }
  const { rows } = await sql<SearchDocumentRow>`select ${columns}
    from search_text join search_documents d on d.id = search_text.rowid
    where search_text match ${fts5Expression(terms, 'title')} ${and}
    order by search_text.rowid desc limit ${cap}`.execute(db);
  return rows;
}

/** How many documents hold each of these words (0 for words the vocabulary does not have). */
export async function vocabularyCounts(db: Db, words: readonly string[]): Promise<Map<string, number>> {
  if (words.length === 0) return new Map();
  const rows = await searchTables(db)
    .selectFrom('search_vocabulary')
    .select(['word', 'documents'])
    .where('word', 'in', words)
    .execute();
  return new Map(rows.map((row) => [row.word, row.documents]));
}

/**
 * Vocabulary words that may be what `word` was meant to be: on PostgreSQL the trigram index's nearest; on
 * SQLite the words of a similar length that start with the same letter or the same two letters swapped
 * (an index range each). The caller ranks them by edit distance.
 */
export async function findSpellingCandidates(
  db: Db,
  word: string,
  limit: number,
): Promise<{ word: string; documents: number }[]> {
  if (dialectOf(db) === 'postgres') {
    const { rows } = await sql<{ word: string; documents: number }>`select word, documents
      from search_vocabulary where word % ${word}
      order by similarity(word, ${word}) desc, documents desc limit ${limit}`.execute(db);
    return rows;
  }
  const starts = new Set([word.slice(0, 1), word.slice(1, 2)]);
  const found: { word: string; documents: number }[] = [];
  for (const start of starts) {
    if (start === '') continue;
    const rows = await searchTables(db)
      .selectFrom('search_vocabulary')
      .select(['word', 'documents'])
      .where('word', '>=', start)
      .where('word', '<', `${start}\uffff`)
      .where(sql<boolean>`length(word) between ${word.length - 2} and ${word.length + 2}`)
      .execute();
    found.push(...rows);
  }
  return found;
}

/** The physical (item or sample document) an id, human id or barcode names. */
export function findPhysicalByReference(db: Db, reference: string): Promise<SearchDocumentRow | undefined> {
  return searchTables(db)
    .selectFrom('search_documents')
    .select(DOCUMENT_COLUMNS)
    .where('source', '=', 'item')
    .where('path', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('entity_id', '=', reference),
        eb('human_id', '=', reference.toUpperCase()),
        eb('barcode', '=', reference),
      ]),
    )
    .executeTakeFirst();
}

/** How many documents the index holds. */
export async function countDocuments(db: Db): Promise<number> {
  const row = await searchTables(db)
    .selectFrom('search_documents')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
