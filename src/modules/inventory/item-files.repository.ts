/** All SQL for item_files. */
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ItemFilesTable } from './inventory.tables.js';

export type ItemFileRow = Selectable<ItemFilesTable>;

export async function insertItemFile(db: Db, row: ItemFileRow): Promise<void> {
  await db.insertInto('item_files').values(row).execute();
}

export function listItemFiles(db: Db, itemId: string): Promise<ItemFileRow[]> {
  return db
    .selectFrom('item_files')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findItemFile(db: Db, id: string): Promise<ItemFileRow | undefined> {
  return db.selectFrom('item_files').selectAll().where('id', '=', id).executeTakeFirst();
}
