/**
 * The text index: one document per searchable thing, its words in SQLite FTS5 (`search_text`, rowid = the
 * document's id) or in a PostgreSQL tsvector with a GIN index, and the vocabulary spelling suggestions come
 * from (pg_trgm's trigram index on PostgreSQL; edit distance over the same table on SQLite). The words are
 * tokenized once, by Cairn (search-words.ts), so that both databases index exactly the same tokens.
 */
import { sql } from 'kysely';
import type { Migration } from '../migrate.js';

export const search: Migration = {
  name: '0012-search',
  async up(db, dialect) {
    const serialId = dialect === 'postgres' ? 'bigserial' : 'integer';
    await db.schema
      .createTable('search_documents')
      .addColumn('id', serialId, (c) =>
        c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)),
      )
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('human_id', 'text')
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('type_id', 'text')
      .addColumn('type_name', 'text')
      .addColumn('project_id', 'text')
      .addColumn('owner', 'text')
      .addColumn('audience', 'text', (c) => c.notNull())
      .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text')
      .addColumn('barcode', 'text')
      .addColumn('path', 'text', (c) => (dialect === 'postgres' ? c.modifyEnd(sql`collate "C"`) : c))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .$call((b) => (dialect === 'postgres' ? b.addColumn('words', sql`tsvector`, (c) => c.notNull()) : b))
      .addUniqueConstraint('search_documents_entity_key', ['source', 'entity_id'])
      .execute();
    await db.schema.createIndex('search_documents_path_idx').on('search_documents').column('path').execute();
    await db.schema
      .createIndex('search_documents_barcode_idx')
      .on('search_documents')
      .column('barcode')
      .execute();

    await db.schema
      .createTable('search_vocabulary')
      .addColumn('word', 'text', (c) =>
        c.primaryKey().$call((b) => (dialect === 'postgres' ? b.modifyEnd(sql`collate "C"`) : b)),
      )
      .addColumn('documents', 'integer', (c) => c.notNull())
      .execute();

    if (dialect === 'postgres') {
      await sql`create extension if not exists pg_trgm`.execute(db);
      await sql`create index search_documents_words_idx on search_documents using gin (words)`.execute(db);
      await sql`create index search_vocabulary_trigram_idx on search_vocabulary using gin (word gin_trgm_ops)`.execute(
        db,
      );
    } else {
      // The index holds its own copy of the tokenized text (title: column 0, the rest: column 1); prefix
      // indexes of 2 and 3 characters make the suggestions' and `amp*` prefix queries index lookups.
      await sql`create virtual table search_text using fts5(title, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')`.execute(
        db,
      );
    }
  },
};
