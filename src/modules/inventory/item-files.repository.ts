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

/** The files of many items, oldest first per item, one query per 500 items (exports). */
export async function listFilesOfItems(db: Db, itemIds: readonly string[]): Promise<ItemFileRow[]> {
  const unique = [...new Set(itemIds)];
  const rows: ItemFileRow[] = [];
  for (let start = 0; start < unique.length; start += 500) {
    rows.push(
      ...(await db
        .selectFrom('item_files')
        .selectAll()
        .where('item_id', 'in', unique.slice(start, start + 500))
        .orderBy('item_id')
        .orderBy('created_at')
        .orderBy('id')
        .execute()),
    );
  }
  return rows;
}
