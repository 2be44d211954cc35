/**
 * The BLAST databases' bookkeeping (the files themselves live under CAIRN_BLAST_DIR): which sequence of
 * which item field is in which volume under which BLAST id (`blast_entries`), the items whose sequences
 * changed and wait for the upkeep (`blast_pending`, written in the changing transaction), the volumes each
 * database's alias combines now (`blast_databases`), and the lease that lets one worker at a time write them
 * (`blast_upkeep`).
 */
import { sql } from 'kysely';
import type { Migration } from '../migrate.js';

export const sequences: Migration = {
  name: '0014-sequences',
  async up(db, dialect) {
    const serialId = dialect === 'postgres' ? 'bigserial' : 'integer';
    await db.schema
      .createTable('blast_entries')
      .addColumn('id', serialId, (c) =>
        c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)),
      )
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('db_type', 'text', (c) => c.notNull())
      .addColumn('sequence_hash', 'text', (c) => c.notNull())
      .addColumn('volume', 'text', (c) => c.notNull())
      .addColumn('live', 'integer', (c) => c.notNull())
      // The owning project of a sample's sequence: jobs leave those out (their output names the items).
      .addColumn('project_id', 'text')
      .addUniqueConstraint('blast_entries_sequence_key', ['item_id', 'field', 'db_type', 'sequence_hash'])
      .execute();
    await db.schema
      .createIndex('blast_entries_volume_idx')
      .on('blast_entries')
      .columns(['db_type', 'volume', 'live'])
      .execute();

    await db.schema
      .createTable('blast_pending')
      .addColumn('id', serialId, (c) =>
        c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)),
      )
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('blast_databases')
      .addColumn('db_type', 'text', (c) => c.primaryKey())
      .addColumn('main_volume', 'text')
      .addColumn('recent_volume', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    const now = new Date().toISOString();
    await sql`insert into blast_databases (db_type, main_volume, recent_volume, updated_at)
      values ('nucl', null, null, ${now}), ('prot', null, null, ${now})`.execute(db);

    await db.schema
      .createTable('blast_upkeep')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('generation', 'integer', (c) => c.notNull())
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'text')
      .execute();
    await sql`insert into blast_upkeep (id, generation, locked_by, locked_until) values ('blast', 0, null, null)`.execute(
      db,
    );
  },
};
