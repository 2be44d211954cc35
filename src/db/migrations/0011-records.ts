/**
 * Experiment records (NexusLIMS's record builder): one record per built session — its JSON document and its
 * XML, checked against NexusLIMS's schema — and the files it describes with their previews; and which builder
 * holds a session while it builds it (a lease), so that two workers never build the same session.
 */
import type { Migration } from '../migrate.js';

export const records: Migration = {
  name: '0011-records',
  async up(db) {
    await db.schema
      .createTable('session_builds')
      .addColumn('session_identifier', 'text', (c) => c.primaryKey())
      .addColumn('claimed_by', 'text', (c) => c.notNull())
      .addColumn('lease_until', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('records')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_identifier', 'text', (c) => c.notNull().unique())
      .addColumn('instrument', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('user', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('ended_at', 'text', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('xml', 'text', (c) => c.notNull())
      .addColumn('built_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('records_started_idx').on('records').columns(['started_at', 'id']).execute();
    await db.schema
      .createIndex('records_instrument_idx')
      .on('records')
      .columns(['instrument', 'started_at'])
      .execute();

    await db.schema
      .createTable('record_files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
      .addColumn('activity', 'integer', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('modified_at', 'text', (c) => c.notNull())
      .addColumn('preview', 'text')
      .execute();
    await db.schema.createIndex('record_files_record_idx').on('record_files').column('record_id').execute();
  },
};
