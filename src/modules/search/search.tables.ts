/**
 * Kysely table types of the search module: the text index (bionet's ElasticSearch role, kept inside the
 * database). One row per searchable thing, written only by the index upkeep (search-upkeep.ts) in the
 * transaction of the change it mirrors, and by `cairn search reindex`; no route writes here.
 */
import type { ColumnType, Generated, RawBuilder } from 'kysely';

/** Where a document comes from: the module's entity it mirrors. */
export type SearchSource = 'item' | 'project' | 'analysis' | 'instrument' | 'session' | 'record';

/** What a document is, as people filter by it: a physical item owned by a project is a `sample`. */
export type SearchKind = 'item' | 'sample' | 'project' | 'analysis' | 'instrument' | 'session' | 'record';

/**
 * Who may see a document besides admins: `everyone` signed in; `members` of its project; `staff` and
 * staff-or-its-owner. Members of its project and its owner always see it.
 */
export type SearchAudience = 'everyone' | 'members' | 'staff';

export interface SearchDocumentsTable {
  /** The FTS5 table's rowid on SQLite. */
  id: Generated<number>;
  source: SearchSource;
  entity_id: string;
  kind: SearchKind;
  human_id: string | null;
  title: string;
  /** The rest of its searchable text (description, field values, setup values…), as written. */
  body: string;
  /** What it is, for `type:` and the type facet: an item type's id, an analysis type's name. */
  type_id: string | null;
  type_name: string | null;
  project_id: string | null;
  /** The username that sees it without being staff (a session's or record's user). */
  owner: string | null;
  audience: SearchAudience;
  hidden: number;
  status: string | null;
  barcode: string | null;
  /** A physical's materialized path (inventory's item-paths.ts), for `in:`. */
  path: string | null;
  created_at: string;
  updated_at: string;
  /** PostgreSQL only: the words as a tsvector (SQLite keeps them in the FTS5 table `search_text`). */
  words: ColumnType<never, RawBuilder<unknown> | undefined, RawBuilder<unknown>>;
}

/** Every word of the index with the number of documents that hold it: where spelling suggestions come from. */
export interface SearchVocabularyTable {
  word: string;
  documents: number;
}

export interface SearchTables {
  search_documents: SearchDocumentsTable;
  search_vocabulary: SearchVocabularyTable;
  blast_entries: BlastEntriesTable;
  blast_pending: BlastPendingTable;
  blast_databases: BlastDatabasesTable;
  blast_upkeep: BlastUpkeepTable;
}

/** Which BLAST database a sequence is in: nucleotides (DNA and RNA fields) or proteins. */
export type BlastDbType = 'nucl' | 'prot';

/** The part of a BLAST database a sequence was written to: the big `main` volume or the small `recent` one. */
export type BlastVolume = 'main' | 'recent';

/**
 * One sequence of one item field as written to a BLAST database, under the BLAST id `lcl|e<id>`. An entry
 * whose item changed or went stays in its `main` volume (`live` 0) until the next merge leaves it out; hits
 * are checked against the item's sequence now anyway.
 */
export interface BlastEntriesTable {
  id: Generated<number>;
  item_id: string;
  field: string;
  db_type: BlastDbType;
  /** SHA-256 (hex) of the sequence as stored on the item. */
  sequence_hash: string;
  volume: BlastVolume;
  live: number;
  /** The project owning the item (a sample), or null for the lab-wide inventory. */
  project_id: string | null;
}

/** An item whose sequences may have changed, waiting for the BLAST upkeep; written in the changing transaction. */
export interface BlastPendingTable {
  id: Generated<number>;
  item_id: string;
  created_at: string;
}

/** The volumes each database's alias combines now (null: none yet). */
export interface BlastDatabasesTable {
  db_type: BlastDbType;
  main_volume: string | null;
  recent_volume: string | null;
  updated_at: string;
}

/** One row: the lease of the worker writing the BLAST databases, and the counter naming new volumes. */
export interface BlastUpkeepTable {
  id: string;
  generation: number;
  locked_by: string | null;
  locked_until: string | null;
}
