/**
 * Samples (seed: lims-hpc Samples): a sample is a physical inventory item that belongs to a project; this
 * table adds what the item lacks — the project, the collection date and the lifecycle status.
 */
import { sql } from 'kysely';
import type { Migration } from '../migrate.js';

export const samples: Migration = {
  name: '0003-samples',
  async up(db) {
    await db.schema
      .createTable('samples')
      .addColumn('item_id', 'text', (c) => c.primaryKey().references('items.id'))
      .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
      .addColumn('collection_date', 'text')
      .addColumn('status', 'text', (c) =>
        c
          .notNull()
          .check(sql`status in ('registered', 'received', 'stored', 'in_analysis', 'consumed', 'disposed')`),
      )
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('samples_project_idx')
      .on('samples')
      .columns(['project_id', 'status', 'item_id'])
      .execute();
  },
};
