/**
 * All SQL for the hierarchy index (bionet indexDB's tree index) as a closure table, item_ancestors: every
 * physical has a row for itself (depth 0) and one per ancestor. Paths and subtrees are single indexed
 * queries; a move rewrites a subtree's links with two set-based statements, whatever the subtree's size.
 */
import { sql } from 'kysely';
import { insertRows } from '../../db/bulk-insert.js';
import { compiledOnce, dialectOf, type Db } from '../../db/database.js';
import { withinProjects, type ItemWithTypeRow } from './items.repository.js';

const HIERARCHY_LOCK_KEY = 4_242_002;

/**
 * Serializes moves against each other and against creates on PostgreSQL (a transaction-level advisory
 * lock: moves exclusive, creates shared), so that two concurrent moves cannot together make a cycle and a
 * create cannot copy ancestor links that a concurrent move is rewriting. SQLite has one writer at a time.
 */
export async function lockHierarchy(db: Db, mode: 'shared' | 'exclusive'): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  if (mode === 'exclusive') await sql`select pg_advisory_xact_lock(${HIERARCHY_LOCK_KEY})`.execute(db);
  else await sql`select pg_advisory_xact_lock_shared(${HIERARCHY_LOCK_KEY})`.execute(db);
}

/** Rows per INSERT into item_ancestors: 3 parameters a row stays well under both databases' limits. */
const LINK_BATCH = 5000;

/**
 * Links newly inserted physicals into the index: a self row each, plus their parent's ancestor rows (the
 * parent's own self row included) one level deeper. The parents are already indexed; their links are read
 * once per distinct parent, so an import into a few containers costs a few reads and plain inserts.
 */
export async function insertLinks(
  db: Db,
  items: readonly { id: string; parent_id: string | null }[],
): Promise<void> {
  if (items.length === 0) return;
  const parentIds = [...new Set(items.flatMap((item) => item.parent_id ?? []))];
  const ancestorsOf = new Map<string, { ancestor_id: string; depth: number }[]>();
  for (let start = 0; start < parentIds.length; start += 500) {
    const links = await db
      .selectFrom('item_ancestors')
      .select(['item_id', 'ancestor_id', 'depth'])
      .where('item_id', 'in', parentIds.slice(start, start + 500))
      .execute();
    for (const link of links) {
      const list = ancestorsOf.get(link.item_id) ?? [];
      list.push(link);
      ancestorsOf.set(link.item_id, list);
    }
  }
  const rows: { item_id: string; ancestor_id: string; depth: number }[] = [];
  for (const item of items) {
    rows.push({ item_id: item.id, ancestor_id: item.id, depth: 0 });
    if (item.parent_id === null) continue;
    for (const link of ancestorsOf.get(item.parent_id) ?? []) {
      rows.push({ item_id: item.id, ancestor_id: link.ancestor_id, depth: link.depth + 1 });
    }
  }
  for (let start = 0; start < rows.length; start += LINK_BATCH) {
    await insertRows(
      db,
      'item_ancestors',
      ['item_id', 'ancestor_id', 'depth'],
      rows.slice(start, start + LINK_BATCH),
    );
  }
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

const pathQuery = compiledOnce((db, itemId) =>
  db
    .selectFrom('item_ancestors')
    .innerJoin('items', 'items.id', 'item_ancestors.ancestor_id')
    .innerJoin('item_types', 'item_types.id', 'items.type_id')
    .select([
      'items.id',
      'items.human_id',
      'items.name',
      'items.type_id',
      'item_types.name as type_name',
      'items.slot',
      'items.project_id',
      'item_ancestors.depth',
      'items.deleted_at',
    ])
    .where('item_ancestors.item_id', '=', itemId)
    .orderBy('item_ancestors.depth', 'desc'),
);

/**
 * The item and its ancestors, root first, in one query (empty when the item is not a physical); compiled once,
 * as it is the hot path of scanning and browsing.
 */
export async function findPath(db: Db, itemId: string): Promise<PathRow[]> {
  return await pathQuery(db, itemId);
}

/** Whether `itemId` is `ancestorId` or lies inside it. */
export async function isInSubtree(db: Db, ancestorId: string, itemId: string): Promise<boolean> {
  const row = await db
    .selectFrom('item_ancestors')
    .select('depth')
    .where('item_id', '=', itemId)
    .where('ancestor_id', '=', ancestorId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Re-hangs the subtree rooted at `itemId` under `newParentId` (null: top level): drops every link from the
 * subtree to the root's old ancestors, then adds the cross product of the new parent's ancestors (itself
 * included) × the subtree, depths added up. Links inside the subtree stay as they are.
 */
export async function relinkSubtree(db: Db, itemId: string, newParentId: string | null): Promise<void> {
  await db
    .deleteFrom('item_ancestors')
    .where('item_id', 'in', (eb) =>
      eb.selectFrom('item_ancestors as sub').select('sub.item_id').where('sub.ancestor_id', '=', itemId),
    )
    .where('ancestor_id', 'in', (eb) =>
      eb
        .selectFrom('item_ancestors as old')
        .select('old.ancestor_id')
        .where('old.item_id', '=', itemId)
        .where('old.depth', '>', 0),
    )
    .execute();
  if (newParentId === null) return;
  await db
    .insertInto('item_ancestors')
    .columns(['item_id', 'ancestor_id', 'depth'])
    .expression(
      db
        .selectFrom(['item_ancestors as sup', 'item_ancestors as sub'])
        .select((eb) => [
          'sub.item_id',
          'sup.ancestor_id',
          eb(eb('sup.depth', '+', eb.ref('sub.depth')), '+', 1).as('depth'),
        ])
        .where('sup.item_id', '=', newParentId)
        .where('sub.ancestor_id', '=', itemId),
    )
    .execute();
}

export type DescendantRow = ItemWithTypeRow & { depth: number };

/** Live items below an ancestor, nearest first (depth, then id), keyset-paged. */
export function listDescendants(
  db: Db,
  query: {
    ancestorId: string;
    maxDepth: number | undefined;
    includeHidden: boolean;
    projects: readonly string[] | null;
    after: { depth: number; id: string } | null;
    limit: number;
  },
): Promise<DescendantRow[]> {
  let select = db
    .selectFrom('item_ancestors')
    .innerJoin('items', 'items.id', 'item_ancestors.item_id')
    .innerJoin('item_types', 'item_types.id', 'items.type_id')
    .selectAll('items')
    .select([
      'item_types.name as type_name',
      'item_types.grid_rows',
      'item_types.grid_columns',
      'item_ancestors.depth',
    ])
    .where('item_ancestors.ancestor_id', '=', query.ancestorId)
    .where('item_ancestors.depth', '>', 0)
    .where('items.deleted_at', 'is', null);
  if (query.maxDepth !== undefined) select = select.where('item_ancestors.depth', '<=', query.maxDepth);
  if (!query.includeHidden) select = select.where('items.hidden', '=', 0);
  if (query.projects !== null) select = select.where(withinProjects(query.projects));
  if (query.after !== null) {
    const { depth, id } = query.after;
    select = select.where(
      sql<boolean>`(item_ancestors.depth > ${depth} or (item_ancestors.depth = ${depth} and item_ancestors.item_id > ${id}))`,
    );
  }
  return select
    .orderBy('item_ancestors.depth')
    .orderBy('item_ancestors.item_id')
    .limit(query.limit)
    .execute();
}
