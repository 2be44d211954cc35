/**
 * Records linked to what they are about: the Cairn project the reservation named (`records.project_id`, null
 * when nothing matched) and the project's inventory samples the reservation's sample groups named
 * (`record_samples`). The links are found once, when the record is built, and decide who else sees it: the
 * project's members.
 */
import type { Migration } from '../migrate.js';

export const recordLinks: Migration = {
  name: '0013-record-links',
  async up(db) {
    await db.schema
      .alterTable('records')
      .addColumn('project_id', 'text', (c) => c.references('projects.id'))
      .execute();
    await db.schema
      .createIndex('records_project_idx')
      .on('records')
      .columns(['project_id', 'started_at', 'id'])
      .execute();

    await db.schema
      .createTable('record_samples')
      .addColumn('record_id', 'text', (c) => c.notNull().references('records.id'))
      .addColumn('sample_id', 'text', (c) => c.notNull().references('samples.item_id'))
      .addPrimaryKeyConstraint('record_samples_pk', ['record_id', 'sample_id'])
      .execute();
    await db.schema
      .createIndex('record_samples_sample_idx')
      .on('record_samples')
      .columns(['sample_id', 'record_id'])
      .execute();
  },
};
