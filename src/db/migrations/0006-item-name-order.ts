/**
 * Items sort by name as a person reads them, ASCII case folded ("anti-GFP" before "T7 promoter"), the same on
 * both databases: SQLite's lower() folds ASCII only, and PostgreSQL's lower() does the same under the "C"
 * collation, whose result then compares in byte order as SQLite's does. The name index becomes one on that
 * key, so a page of items by name still reads one index range.
 */
import { sql } from 'kysely';
import type { Migration } from '../migrate.js';

export const itemNameOrder: Migration = {
  name: '0006-item-name-order',
  async up(db, dialect) {
    await db.schema.dropIndex('items_name_idx').execute();
    const key = dialect === 'postgres' ? sql`lower(name collate "C")` : sql`lower(name)`;
    await sql`create index items_name_key_idx on items (${key}, id)`.execute(db);
  },
};
