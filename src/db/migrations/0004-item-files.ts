/** Files attached to inventory items (bionet's `files` list): stored under generated names, with label and hash. */
import type { Migration } from '../migrate.js';

export const itemFiles: Migration = {
  name: '0004-item-files',
  async up(db) {
    await db.schema
      .createTable('item_files')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
      .addColumn('storage_name', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .execute();
    await db.schema
      .createIndex('item_files_item_idx')
      .on('item_files')
      .columns(['item_id', 'created_at'])
      .execute();
  },
};
