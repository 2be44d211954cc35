/** All SQL for item_files. */
import type { Selectable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import type { InventoryTables, ItemFilesTable } from './inventory.tables.js';

/** The handle with the inventory's tables only. */
const inventoryTables = (db: Db) => tablesOf<InventoryTables>(db);

export type ItemFileRow = Selectable<ItemFilesTable>;

export async function insertItemFile(db: Db, row: ItemFileRow): Promise<void> {
  await inventoryTables(db).insertInto('item_files').values(row).execute();
}

export function listItemFiles(db: Db, itemId: string): Promise<ItemFileRow[]> {
  return inventoryTables(db)
    .selectFrom('item_files')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findItemFile(db: Db, id: string): Promise<ItemFileRow | undefined> {
  return inventoryTables(db).selectFrom('item_files').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The files of many items, oldest first per item, one query per 500 items (exports). */
export async function listFilesOfItems(db: Db, itemIds: readonly string[]): Promise<ItemFileRow[]> {
  const unique = [...new Set(itemIds)];
  const rows: ItemFileRow[] = [];
  for (let start = 0; start < unique.length; start += 500) {
    rows.push(
      ...(await inventoryTables(db)
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
