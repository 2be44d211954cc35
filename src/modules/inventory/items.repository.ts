/** All SQL for items (bionet bioDB's `v-` and `p-` entries): lookups, lists, inserts and updates. */
import {
  sql,
  type ExpressionBuilder,
  type Selectable,
  type SelectQueryBuilder,
  type Updateable,
} from 'kysely';
import { insertRows } from '../../db/bulk-insert.js';
import { selectWhereIn } from '../../db/bulk-lookup.js';
import { tablesOf, type Db } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import { containsText } from '../../db/text-search.js';
import type { Cursor } from '../../db/paging.js';
import type { InventoryTables, ItemClass, ItemsTable } from './inventory.tables.js';

/** The handle with the inventory's tables only. */
const inventoryTables = (db: Db) => tablesOf<InventoryTables>(db);

export type ItemRow = Selectable<ItemsTable>;

/** An item with what its type says about it (name, grid), from one join. */
export type ItemWithTypeRow = ItemRow & {
  type_name: string;
  grid_rows: number | null;
  grid_columns: number | null;
};

/** PostgreSQL row locks for read-modify-write; SQLite needs none (one writer at a time). */
export type RowLock = 'update' | 'share' | null;

function selectItemsWithType(db: Db) {
  return inventoryTables(db)
    .selectFrom('items')
    .innerJoin('item_types', 'item_types.id', 'items.type_id')
    .selectAll('items')
    .select(['item_types.name as type_name', 'item_types.grid_rows', 'item_types.grid_columns']);
}

function withLock<O>(
  db: Db,
  query: SelectQueryBuilder<InventoryTables, 'items' | 'item_types', O>,
  lock: RowLock,
): SelectQueryBuilder<InventoryTables, 'items' | 'item_types', O> {
  if (lock === null || dialectOf(db) !== 'postgres') return query;
  return lock === 'update' ? query.forUpdate('items') : query.forShare('items');
}

/** One item, live or deleted. */
export function findItem(db: Db, id: string, lock: RowLock = null): Promise<ItemWithTypeRow | undefined> {
  return withLock(db, selectItemsWithType(db).where('items.id', '=', id), lock).executeTakeFirst();
}

/** Items by id, live or deleted, in one query per 500 ids. */
export async function findItems(
  db: Db,
  ids: readonly string[],
  lock: RowLock = null,
): Promise<ItemWithTypeRow[]> {
  const unique = [...new Set(ids)];
  const rows: ItemWithTypeRow[] = [];
  for (let start = 0; start < unique.length; start += 500) {
    const chunk = unique.slice(start, start + 500);
    rows.push(
      ...(await withLock(db, selectItemsWithType(db).where('items.id', 'in', chunk), lock).execute()),
    );
  }
  return rows;
}

/** The type of each of these items, live or deleted, in one light query per 500 ids. */
export async function findTypeIdsOfItems(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; type_id: string }[]> {
  const unique = [...new Set(ids)];
  const rows: { id: string; type_id: string }[] = [];
  for (let start = 0; start < unique.length; start += 500) {
    const chunk = unique.slice(start, start + 500);
    rows.push(
      ...(await inventoryTables(db)
        .selectFrom('items')
        .select(['id', 'type_id'])
        .where('id', 'in', chunk)
        .execute()),
    );
  }
  return rows;
}

/** Which of these items a project owns, and which project (lab-wide ones are left out). */
export async function findProjectOwnedItems(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; project_id: string }[]> {
  return selectWhereIn(db, 'select id, project_id from items where project_id is not null and', 'id', ids);
}

export function findLiveItemByBarcode(db: Db, barcode: string): Promise<ItemWithTypeRow | undefined> {
  return selectItemsWithType(db)
    .where('items.barcode', '=', barcode)
    .where('items.deleted_at', 'is', null)
    .executeTakeFirst();
}

export function findLiveItemByHumanId(db: Db, humanId: string): Promise<ItemWithTypeRow | undefined> {
  return selectItemsWithType(db)
    .where('items.human_id', '=', humanId)
    .where('items.deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Live items carrying any of these barcodes. */
export function findLiveBarcodeHolders(
  db: Db,
  barcodes: readonly string[],
): Promise<{ id: string; human_id: string; barcode: string | null; project_id: string | null }[]> {
  return selectWhereIn(
    db,
    'select id, human_id, barcode, project_id from items where deleted_at is null and',
    'barcode',
    barcodes,
  );
}

export interface SlotOccupantRow {
  parent_id: string | null;
  slot: string | null;
  id: string;
  human_id: string;
  name: string;
  project_id: string | null;
}

/** The live items sitting in a slot of any of these parents (hidden ones too: they take up the slot). */
export async function findSlotOccupants(db: Db, parentIds: readonly string[]): Promise<SlotOccupantRow[]> {
  const unique = [...new Set(parentIds)];
  const rows: SlotOccupantRow[] = [];
  for (let start = 0; start < unique.length; start += 500) {
    rows.push(
      ...(await inventoryTables(db)
        .selectFrom('items')
        .select(['parent_id', 'slot', 'id', 'human_id', 'name', 'project_id'])
        .where('parent_id', 'in', unique.slice(start, start + 500))
        .where('slot', 'is not', null)
        .where('deleted_at', 'is', null)
        .execute()),
    );
  }
  return rows;
}

/** The live item in one slot, if any. */
export function findSlotOccupant(
  db: Db,
  parentId: string,
  slot: string,
): Promise<SlotOccupantRow | undefined> {
  return inventoryTables(db)
    .selectFrom('items')
    .select(['parent_id', 'slot', 'id', 'human_id', 'name', 'project_id'])
    .where('parent_id', '=', parentId)
    .where('slot', '=', slot)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Every column of `items`, in the order inserts write them. */
export const ITEM_COLUMNS = [
  'id',
  'class',
  'human_id',
  'type_id',
  'name',
  'description',
  'fields',
  'hidden',
  'virtual_id',
  'barcode',
  'parent_id',
  'slot',
  'path',
  'project_id',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'deleted_at',
  'deleted_by',
] as const satisfies readonly (keyof ItemsTable)[];

/** Inserts rows in one multi-row statement (the caller keeps batches under the parameter limits). */
export async function insertItems(db: Db, rows: readonly ItemRow[]): Promise<void> {
  await insertRows(inventoryTables(db), 'items', ITEM_COLUMNS, rows);
}

export async function updateItem(db: Db, id: string, changes: Updateable<ItemsTable>): Promise<void> {
  await inventoryTables(db).updateTable('items').set(changes).where('id', '=', id).execute();
}

/** How many live items a container holds, by owning project (null: lab-wide). */
export async function countLiveChildren(
  db: Db,
  parentId: string,
): Promise<{ project_id: string | null; n: number }[]> {
  const rows = await inventoryTables(db)
    .selectFrom('items')
    .select((eb) => ['project_id', eb.fn.countAll<number>().as('n')])
    .where('parent_id', '=', parentId)
    .where('deleted_at', 'is', null)
    .groupBy('project_id')
    .execute();
  return rows.map((row) => ({ project_id: row.project_id, n: Number(row.n) }));
}

/** How many live physicals are instances of a virtual, by owning project (null: lab-wide). */
export async function countLiveInstances(
  db: Db,
  virtualId: string,
): Promise<{ project_id: string | null; n: number }[]> {
  const rows = await inventoryTables(db)
    .selectFrom('items')
    .select((eb) => ['project_id', eb.fn.countAll<number>().as('n')])
    .where('virtual_id', '=', virtualId)
    .where('deleted_at', 'is', null)
    .groupBy('project_id')
    .execute();
  return rows.map((row) => ({ project_id: row.project_id, n: Number(row.n) }));
}

export type ItemSortColumn = 'human_id' | 'name';

/**
 * What names sort by: the name with ASCII case folded, compared in byte order, the same on both databases
 * (PostgreSQL's lower() folds ASCII only under the "C" collation, as SQLite's does). Index
 * `items_name_key_idx` (migration 0006) holds exactly this expression.
 */
export function nameSortKey(db: Db) {
  return dialectOf(db) === 'postgres'
    ? sql<string>`lower(items.name collate "C")`
    : sql<string>`lower(items.name)`;
}

/** A listed row with the value it was sorted by (for the next page's cursor). */
export type SortedItemRow = ItemWithTypeRow & { sort_key: string };

/**
 * Keeps project-owned items (samples) to the given projects; `null` keeps everything (admins). Lab-wide items
 * (no project) always pass.
 */
export function withinProjects(projects: readonly string[]) {
  return (eb: ExpressionBuilder<InventoryTables, 'items'>) =>
    projects.length === 0
      ? eb('items.project_id', 'is', null)
      : eb.or([eb('items.project_id', 'is', null), eb('items.project_id', 'in', projects)]);
}

export interface ItemListQuery {
  /** Project-owned items to include: null for all, else only these projects'. */
  projects: readonly string[] | null;
  typeId?: string | undefined;
  itemClass?: ItemClass | undefined;
  /** undefined: anywhere; null: top level; else the parent's id. */
  parentId?: string | null | undefined;
  /** Only the instances of this virtual. */
  virtualId?: string | undefined;
  /** undefined: any owner; null: items no project owns; else that project's items (within `projects`). */
  projectId?: string | null | undefined;
  q?: string | undefined;
  includeHidden: boolean;
  /** true: only soft-deleted items; false: only live ones. */
  deleted: boolean;
  sort: ItemSortColumn;
  descending: boolean;
  after: Cursor | null;
  limit: number;
}

export function listItems(db: Db, query: ItemListQuery): Promise<SortedItemRow[]> {
  const sortColumn = query.sort === 'name' ? nameSortKey(db) : sql<string>`items.human_id`;
  let select = selectItemsWithType(db)
    .select(sortColumn.as('sort_key'))
    .where('items.deleted_at', query.deleted ? 'is not' : 'is', null);
  if (!query.includeHidden) select = select.where('items.hidden', '=', 0);
  if (query.projects !== null) select = select.where(withinProjects(query.projects));
  if (query.typeId !== undefined) select = select.where('items.type_id', '=', query.typeId);
  if (query.itemClass !== undefined) select = select.where('items.class', '=', query.itemClass);
  if (query.parentId === null) {
    select = select.where('items.parent_id', 'is', null).where('items.class', '=', 'physical');
  } else if (query.parentId !== undefined) {
    select = select.where('items.parent_id', '=', query.parentId);
  }
  if (query.virtualId !== undefined) select = select.where('items.virtual_id', '=', query.virtualId);
  if (query.projectId !== undefined) {
    select = select.where('items.project_id', query.projectId === null ? 'is' : '=', query.projectId);
  }
  const q = query.q?.trim();
  if (q !== undefined && q !== '') {
    select = select.where(containsText(db, ['items.name', 'items.human_id', 'items.barcode'], q));
  }
  if (query.after !== null) {
    const { value, id } = query.after;
    select = query.descending
      ? select.where(
          sql<boolean>`(${sortColumn} < ${value} or (${sortColumn} = ${value} and items.id < ${id}))`,
        )
      : select.where(
          sql<boolean>`(${sortColumn} > ${value} or (${sortColumn} = ${value} and items.id > ${id}))`,
        );
  }
  const direction = query.descending ? sql.raw('desc') : sql.raw('asc');
  return select
    .orderBy(sql`${sortColumn} ${direction}`)
    .orderBy(sql`items.id ${direction}`)
    .limit(query.limit)
    .execute();
}

/** Live children of a container by name (as `nameSortKey` orders them), keyset-paged. */
export function listChildren(
  db: Db,
  query: {
    parentId: string;
    includeHidden: boolean;
    projects: readonly string[] | null;
    after: Cursor | null;
    limit: number;
  },
): Promise<SortedItemRow[]> {
  const sortKey = nameSortKey(db);
  let select = selectItemsWithType(db)
    .select(sortKey.as('sort_key'))
    .where('items.parent_id', '=', query.parentId)
    .where('items.deleted_at', 'is', null);
  if (!query.includeHidden) select = select.where('items.hidden', '=', 0);
  if (query.projects !== null) select = select.where(withinProjects(query.projects));
  if (query.after !== null) {
    const { value, id } = query.after;
    select = select.where(
      sql<boolean>`(${sortKey} > ${value} or (${sortKey} = ${value} and items.id > ${id}))`,
    );
  }
  return select.orderBy(sortKey).orderBy('items.id').limit(query.limit).execute();
}

/** Live items of a type in id order, a page at a time (re-validating them after a type change). */
export function listLiveItemsOfType(
  db: Db,
  typeId: string,
  afterId: string | null,
  limit: number,
): Promise<Pick<ItemRow, 'id' | 'human_id' | 'fields' | 'virtual_id'>[]> {
  return inventoryTables(db)
    .selectFrom('items')
    .select(['id', 'human_id', 'fields', 'virtual_id'])
    .where('type_id', '=', typeId)
    .where('deleted_at', 'is', null)
    .$if(afterId !== null, (qb) => qb.where('id', '>', afterId as string))
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Live items of a type that are not an instance of a virtual (at most `limit`). */
export function listLiveItemsOfTypeWithoutVirtual(
  db: Db,
  typeId: string,
  limit: number,
): Promise<{ human_id: string }[]> {
  return inventoryTables(db)
    .selectFrom('items')
    .select('human_id')
    .where('type_id', '=', typeId)
    .where('virtual_id', 'is', null)
    .where('deleted_at', 'is', null)
    .limit(limit)
    .execute();
}

/** The distinct slots used by live items inside live containers of a type. */
export async function listSlotsUsedInType(db: Db, typeId: string): Promise<string[]> {
  const rows = await inventoryTables(db)
    .selectFrom('items as child')
    .innerJoin('items as parent', 'parent.id', 'child.parent_id')
    .select('child.slot')
    .distinct()
    .where('parent.type_id', '=', typeId)
    .where('parent.deleted_at', 'is', null)
    .where('child.slot', 'is not', null)
    .where('child.deleted_at', 'is', null)
    .execute();
  return rows.map((row) => row.slot as string);
}

/**
 * Live items whose id, human id, barcode or exact name is one of `refs` (importers resolving what a person
 * wrote), one query per 500 references; the indexes on each column answer the OR.
 */
export async function findLiveItemsByReference(db: Db, refs: readonly string[]): Promise<ItemWithTypeRow[]> {
  const unique = [...new Set(refs)];
  const rows = new Map<string, ItemWithTypeRow>();
  for (let start = 0; start < unique.length; start += 500) {
    const chunk = unique.slice(start, start + 500);
    const humanIds = [...new Set(chunk.map((ref) => ref.toUpperCase()))];
    const found = await selectItemsWithType(db)
      .where('items.deleted_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('items.id', 'in', chunk),
          eb('items.human_id', 'in', humanIds),
          eb('items.barcode', 'in', chunk),
          eb('items.name', 'in', chunk),
        ]),
      )
      .execute();
    for (const row of found) rows.set(row.id, row);
  }
  return [...rows.values()];
}

/** Live items whose name is one of `names` ignoring case: a scan, so only for references nothing else matched. */
export async function findLiveItemsByNameIgnoringCase(
  db: Db,
  names: readonly string[],
): Promise<ItemWithTypeRow[]> {
  const lowered = [...new Set(names.map((name) => name.toLowerCase()))];
  const rows: ItemWithTypeRow[] = [];
  for (let start = 0; start < lowered.length; start += 500) {
    rows.push(
      ...(await selectItemsWithType(db)
        .where('items.deleted_at', 'is', null)
        .where(sql`lower(items.name)`, 'in', lowered.slice(start, start + 500))
        .execute()),
    );
  }
  return rows;
}

/**
 * A project's live items that any of `refs` could mean: id, human id (any case), barcode, or name ignoring
 * case. One query, each kind of reference read through its own index.
 */
export function findLiveProjectItemsByReference(
  db: Db,
  projectId: string,
  refs: readonly string[],
): Promise<ItemWithTypeRow[]> {
  if (refs.length === 0) return Promise.resolve([]);
  const unique = [...new Set(refs)];
  return selectItemsWithType(db)
    .where('items.deleted_at', 'is', null)
    .where('items.project_id', '=', projectId)
    .where((eb) =>
      eb.or([
        eb('items.id', 'in', unique),
        eb('items.human_id', 'in', [...new Set(unique.map((ref) => ref.toUpperCase()))]),
        eb('items.barcode', 'in', unique),
        eb(sql<string>`lower(items.name)`, 'in', [...new Set(unique.map((ref) => ref.toLowerCase()))]),
      ]),
    )
    .execute();
}

/** Live items in id order after `afterId` (exports in key order, as a bionet leveldb dump reads). */
export function listLiveItemsInIdOrder(
  db: Db,
  afterId: string | null,
  limit: number,
): Promise<ItemWithTypeRow[]> {
  return selectItemsWithType(db)
    .where('items.deleted_at', 'is', null)
    .$if(afterId !== null, (qb) => qb.where('items.id', '>', afterId as string))
    .orderBy('items.id')
    .limit(limit)
    .execute();
}

/** Live items with their type's name in id order, a page after `afterId`: what the search index rebuild reads. */
export function listLiveItemsWithTypeInIdOrder(
  db: Db,
  afterId: string | null,
  limit: number,
): Promise<ItemWithTypeRow[]> {
  return selectItemsWithType(db)
    .where('items.deleted_at', 'is', null)
    .$if(afterId !== null, (q) => q.where('items.id', '>', afterId ?? ''))
    .orderBy('items.id')
    .limit(limit)
    .execute();
}

/** How many live items a type has. */
export async function countLiveItemsOfType(db: Db, typeId: string): Promise<number> {
  const row = await inventoryTables(db)
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('type_id', '=', typeId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Ids of live items of a type, a page after `afterId` (a renamed type's items are indexed again). */
export async function listLiveItemIdsOfType(
  db: Db,
  typeId: string,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  const rows = await inventoryTables(db)
    .selectFrom('items')
    .select('id')
    .where('type_id', '=', typeId)
    .where('deleted_at', 'is', null)
    .$if(afterId !== null, (q) => q.where('id', '>', afterId ?? ''))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}
