/**
 * All SQL for the hierarchy (bionet indexDB's tree index): the way up from an item is one recursive query
 * along parent_id (one primary-key lookup a level), the way down is one range of the materialized-path index
 * (item-paths.ts), and a move rewrites its subtree's paths with one set-based UPDATE, whatever its size.
 */
import { sql } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { compiledOnce } from '../../db/read-cache.js';
import { dialectOf } from '../../db/dialect.js';
import type { InventoryTables } from './inventory.tables.js';
import { depthOf, subtreeEnd } from './item-paths.js';
import { withinProjects, type ItemWithTypeRow } from './items.repository.js';

/** The handle with the inventory's tables only. */
const inventoryTables = (db: Db) => tablesOf<InventoryTables>(db);

const HIERARCHY_LOCK_KEY = 4_242_002;

/**
 * Serializes moves against each other and against creates on PostgreSQL (a transaction-level advisory
 * lock: moves exclusive, creates shared), so that two concurrent moves cannot together make a cycle and a
 * create cannot copy a parent's path that a concurrent move is rewriting. SQLite has one writer at a time.
 */
export async function lockHierarchy(db: Db, mode: 'shared' | 'exclusive'): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  if (mode === 'exclusive') await sql`select pg_advisory_xact_lock(${HIERARCHY_LOCK_KEY})`.execute(db);
  else await sql`select pg_advisory_xact_lock_shared(${HIERARCHY_LOCK_KEY})`.execute(db);
}

export interface PathRow {
  id: string;
  human_id: string;
  name: string;
  type_id: string;
  type_name: string;
  slot: string | null;
  depth: number;
  deleted_at: string | null;
  project_id: string | null;
}

/**
 * The item (depth 0) and each ancestor (its distance up), following parent_id from the item. The chain is
 * cross-joined to the items, which SQLite reads as "chain first, then items by key": with planner statistics
 * (after an ANALYZE) an inner join let it scan every item instead (bench/README.md, Decisions).
 */
const pathQuery = compiledOnce((db, itemId) =>
  inventoryTables(db)
    .withRecursive('chain(id, depth)', (qb) =>
      qb
        .selectFrom('items')
        .select(['items.id', sql<number>`0`.as('depth')])
        .where('items.id', '=', itemId)
        .where('items.path', 'is not', null)
        .unionAll((eb) =>
          eb
            .selectFrom('chain')
            .crossJoin('items')
            .whereRef('items.id', '=', 'chain.id')
            .select([sql<string>`items.parent_id`.as('id'), sql<number>`chain.depth + 1`.as('depth')])
            .where('items.parent_id', 'is not', null),
        ),
    )
    .selectFrom('chain')
    .crossJoin('items')
    .whereRef('items.id', '=', 'chain.id')
    .innerJoin('item_types', 'item_types.id', 'items.type_id')
    .select([
      'items.id',
      'items.human_id',
      'items.name',
      'items.type_id',
      'item_types.name as type_name',
      'items.slot',
      'items.project_id',
      'chain.depth',
      'items.deleted_at',
    ])
    .orderBy('chain.depth', 'desc'),
);

/**
 * The item and its ancestors, root first, in one query (empty when the item is not a physical); compiled once,
 * as it is the hot path of scanning and browsing.
 */
export async function findPath(db: Db, itemId: string): Promise<PathRow[]> {
  return await pathQuery(db, itemId);
}

/**
 * The paths of many items at once (each the item and its ancestors, root first, tagged with the item's id
 * as `of`), one recursive query per 500 items; items that are not physicals have none.
 */
export async function findPaths(db: Db, itemIds: readonly string[]): Promise<(PathRow & { of: string })[]> {
  const unique = [...new Set(itemIds)];
  const rows: (PathRow & { of: string })[] = [];
  for (let start = 0; start < unique.length; start += 500) {
    const chunk = unique.slice(start, start + 500);
    const found = await inventoryTables(db)
      .withRecursive('chain(of, id, depth)', (qb) =>
        qb
          .selectFrom('items')
          .select(['items.id as of', 'items.id', sql<number>`0`.as('depth')])
          .where('items.id', 'in', chunk)
          .where('items.path', 'is not', null)
          .unionAll((eb) =>
            eb
              .selectFrom('chain')
              .crossJoin('items')
              .whereRef('items.id', '=', 'chain.id')
              .select([
                'chain.of',
                sql<string>`items.parent_id`.as('id'),
                sql<number>`chain.depth + 1`.as('depth'),
              ])
              .where('items.parent_id', 'is not', null),
          ),
      )
      .selectFrom('chain')
      .crossJoin('items')
      .whereRef('items.id', '=', 'chain.id')
      .innerJoin('item_types', 'item_types.id', 'items.type_id')
      .select([
        'chain.of',
        'items.id',
        'items.human_id',
        'items.name',
        'items.type_id',
        'item_types.name as type_name',
        'items.slot',
        'items.project_id',
        'chain.depth',
        'items.deleted_at',
      ])
      .orderBy('chain.of')
      .orderBy('chain.depth', 'desc')
      .execute();
    rows.push(...found);
  }
  return rows;
}

/**
 * Re-hangs the subtree at `oldPath` (the item and everything inside it) at `newPath`: one UPDATE swaps the
 * prefix of every path in the range.
 */
export async function movePaths(db: Db, oldPath: string, newPath: string): Promise<void> {
  if (oldPath === newPath) return;
  await inventoryTables(db)
    .updateTable('items')
    .set({ path: sql<string>`${newPath} || substr(path, ${oldPath.length + 1})` })
    .where('path', '>=', oldPath)
    .where('path', '<', subtreeEnd(oldPath))
    .execute();
}

export type DescendantRow = ItemWithTypeRow & { depth: number };

/**
 * Live items below an ancestor in tree order (each container followed by its contents), keyset-paged on the
 * path; `depth` counts levels below the ancestor.
 */
export async function listDescendants(
  db: Db,
  query: {
    ancestorPath: string;
    maxDepth: number | undefined;
    includeHidden: boolean;
    projects: readonly string[] | null;
    afterPath: string | null;
    limit: number;
  },
): Promise<DescendantRow[]> {
  const rootDepth = depthOf(query.ancestorPath);
  let select = inventoryTables(db)
    .selectFrom('items')
    .innerJoin('item_types', 'item_types.id', 'items.type_id')
    .selectAll('items')
    .select(['item_types.name as type_name', 'item_types.grid_rows', 'item_types.grid_columns'])
    .where('items.path', '>', query.afterPath ?? query.ancestorPath)
    .where('items.path', '<', subtreeEnd(query.ancestorPath))
    .where('items.deleted_at', 'is', null);
  if (query.maxDepth !== undefined)
    select = select.where(
      sql<number>`length(items.path) - length(replace(items.path, '/', ''))`,
      '<=',
      rootDepth + query.maxDepth,
    );
  if (!query.includeHidden) select = select.where('items.hidden', '=', 0);
  if (query.projects !== null) select = select.where(withinProjects(query.projects));
  const rows = await select.orderBy('items.path').limit(query.limit).execute();
  return rows.map((row) => ({ ...row, depth: depthOf(row.path ?? '') - rootDepth }));
}
