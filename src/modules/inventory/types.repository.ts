/** All SQL for item_types (bionet's dataTypes, kept as rows instead of settings). */
import { sql, type Selectable, type Updateable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import type { InventoryTables, ItemClass, ItemTypesTable } from './inventory.tables.js';

/** The handle with the inventory's tables only. */
const inventoryTables = (db: Db) => tablesOf<InventoryTables>(db);

export type ItemTypeRow = Selectable<ItemTypesTable>;

/** A type by id or by name (case-insensitive). */
export function findTypeByRef(db: Db, ref: string): Promise<ItemTypeRow | undefined> {
  return inventoryTables(db)
    .selectFrom('item_types')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', ref), eb(sql`lower(name)`, '=', ref.toLowerCase())]))
    .executeTakeFirst();
}

/** Types by ids or names (case-insensitive), in one query. */
export function findTypesByRefs(db: Db, refs: readonly string[]): Promise<ItemTypeRow[]> {
  if (refs.length === 0) return Promise.resolve([]);
  const lowered = [...new Set(refs.map((ref) => ref.toLowerCase()))];
  return inventoryTables(db)
    .selectFrom('item_types')
    .selectAll()
    .where((eb) => eb.or([eb('id', 'in', [...new Set(refs)]), eb(sql`lower(name)`, 'in', lowered)]))
    .execute();
}

/** One type, locked against concurrent changes on PostgreSQL (read-modify-write). */
export function findTypeForUpdate(db: Db, id: string): Promise<ItemTypeRow | undefined> {
  return inventoryTables(db)
    .selectFrom('item_types')
    .selectAll()
    .where('id', '=', id)
    .$if(dialectOf(db) === 'postgres', (qb) => qb.forUpdate())
    .executeTakeFirst();
}

export function findTypeByName(db: Db, name: string): Promise<ItemTypeRow | undefined> {
  return inventoryTables(db)
    .selectFrom('item_types')
    .selectAll()
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export function listTypes(db: Db, itemClass: ItemClass | undefined): Promise<ItemTypeRow[]> {
  return inventoryTables(db)
    .selectFrom('item_types')
    .selectAll()
    .$if(itemClass !== undefined, (qb) => qb.where('class', '=', itemClass as ItemClass))
    .orderBy('name')
    .execute();
}

export async function insertType(db: Db, row: ItemTypeRow): Promise<void> {
  await inventoryTables(db).insertInto('item_types').values(row).execute();
}

export async function updateType(db: Db, id: string, changes: Updateable<ItemTypesTable>): Promise<void> {
  await inventoryTables(db).updateTable('item_types').set(changes).where('id', '=', id).execute();
}
