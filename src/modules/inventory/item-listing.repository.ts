/**
 * SQL for lists of items that another module chooses (a project's samples): live items among a set of ids,
 * with their type's name and their container, filtered, sorted and keyset-paged here.
 */
import { sql } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { isOneOf } from '../../db/one-of.js';
import type { Cursor } from '../../db/paging.js';
import { containsText } from '../../db/text-search.js';
import type { InventoryTables } from './inventory.tables.js';
import { nameSortKey, withinProjects } from './items.repository.js';

/** The handle with the inventory's tables only. */
const inventoryTables = (db: Db) => tablesOf<InventoryTables>(db);

export interface ItemAmongRow {
  id: string;
  human_id: string;
  name: string;
  type_id: string;
  type_name: string;
  barcode: string | null;
  parent_id: string | null;
  slot: string | null;
  /** The container's human id, name and owning project (null: lab-wide); null when there is none. */
  parent_human_id: string | null;
  parent_name: string | null;
  parent_project_id: string | null;
  /** What the page is sorted by (the next page's cursor). */
  sort_key: string;
}

export interface ItemsAmongQuery {
  /** The items to choose from (bound as one parameter, however many). */
  ids: readonly string[];
  /** Project-owned items to include: null for all, else only these projects'. */
  projects: readonly string[] | null;
  typeId?: string | undefined;
  q?: string | undefined;
  after: Cursor | null;
  limit: number;
}

/**
 * Live items among `query.ids`, hidden ones included (the caller named them), by name as the catalogue sorts
 * it (ASCII case folded, the same on both databases), then id, keyset-paged on that key. The page is chosen on `items` alone; its types and containers are
 * joined for the page's rows only.
 */
export function listItemsAmong(db: Db, query: ItemsAmongQuery): Promise<ItemAmongRow[]> {
  return inventoryTables(db)
    .with('page', (qb) => {
      const sortKey = nameSortKey(db);
      let select = qb
        .selectFrom('items')
        .select(['items.id', sortKey.as('sort_key')])
        .where(isOneOf(db, 'items.id', query.ids))
        .where('items.deleted_at', 'is', null);
      if (query.projects !== null) select = select.where(withinProjects(query.projects));
      if (query.typeId !== undefined) select = select.where('items.type_id', '=', query.typeId);
      const q = query.q?.trim();
      if (q !== undefined && q !== '') {
        select = select.where(containsText(db, ['items.name', 'items.human_id', 'items.barcode'], q));
      }
      if (query.after !== null) {
        const { value, id } = query.after;
        select = select.where(
          sql<boolean>`(${sortKey} > ${value} or (${sortKey} = ${value} and items.id > ${id}))`,
        );
      }
      return select.orderBy(sortKey).orderBy('items.id').limit(query.limit);
    })
    .selectFrom('page')
    .innerJoin('items', 'items.id', 'page.id')
    .innerJoin('item_types', 'item_types.id', 'items.type_id')
    .leftJoin('items as parent', 'parent.id', 'items.parent_id')
    .select([
      'items.id',
      'items.human_id',
      'items.name',
      'items.type_id',
      'item_types.name as type_name',
      'items.barcode',
      'items.parent_id',
      'items.slot',
      'parent.human_id as parent_human_id',
      'parent.name as parent_name',
      'parent.project_id as parent_project_id',
      'page.sort_key',
    ])
    .orderBy('page.sort_key')
    .orderBy('page.id')
    .execute();
}

/** The distinct types of the live items among `ids`. */
export async function listTypeIdsAmong(db: Db, ids: readonly string[]): Promise<string[]> {
  const rows = await inventoryTables(db)
    .selectFrom('items')
    .select('type_id')
    .distinct()
    .where(isOneOf(db, 'items.id', ids))
    .where('deleted_at', 'is', null)
    .execute();
  return rows.map((row) => row.type_id);
}
