/**
 * The physical hierarchy (bionet: parent_id, locationInParent and indexDB's tree index): where a physical
 * sits, what a container holds, and moves. Paths are one query up parent_id, children one index range on
 * parent_id, subtrees one range of the materialized-path index (item-paths.ts); every move rewrites its
 * subtree's paths in the same transaction, never makes a cycle, respects one item per grid slot, and is
 * audited. A bulk move is all-or-nothing and names the failing move.
 */
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/columns.js';
import { uniqueViolation } from '../../db/constraint-errors.js';
import {
  DomainError,
  Invalid,
  MoveCycle,
  NotFound,
  NotPhysical,
  SlotOccupied,
  UnknownSlot,
} from '../../errors/catalogue.js';
import { decodeCursor, encodeCursor, fetchPage, type Page, type PageReader } from '../../db/paging.js';
import type { Actor } from '../accounts/actor.js';
import { recordChange } from '../audit/audit.service.js';
import { gridSlots } from './grid-slots.js';
import { childPath, isWithin, ownKey } from './item-paths.js';
import * as hierarchyRepo from './hierarchy.repository.js';
import type { BulkMove, Children, Descendant, Item, MoveItem, PathEntry } from './inventory.schema.js';
import {
  assertItemAccess,
  inScope,
  placementError,
  placementRefusal,
  ProjectAccess,
  projectScopeOf,
  RESTRICTED,
} from './item-access.js';
import * as itemsRepo from './items.repository.js';
import { toItems } from './item-views.js';
import { requireLiveItem } from './items.service.js';
import { checkSlot, parentProblem, slotTakenMessage } from './placement.js';

function notPhysical(row: { human_id: string }): NotPhysical {
  return new NotPhysical(`${row.human_id} is a virtual item; only physicals have a place`);
}

/**
 * The item's location: root → … → parent → item, from one query. A container the actor may not see (another
 * project's sample) is a step without id, human id, type or name, as a taken slot shows it.
 */
export async function getPath(db: Db, actor: Actor, id: string): Promise<PathEntry[]> {
  const rows = await hierarchyRepo.findPath(db, id);
  const self = rows.at(-1);
  if (self === undefined || self.id !== id) {
    const item = await itemsRepo.findItem(db, id);
    if (item && item.deleted_at === null && item.class === 'virtual') throw notPhysical(item);
    throw new NotFound('Item', id);
  }
  if (self.deleted_at !== null) throw new NotFound('Item', id);
  await assertItemAccess(db, actor, self, 'read');
  const ancestors = rows.filter((row) => row !== self);
  const access = await ProjectAccess.load(
    db,
    actor,
    ancestors.map((row) => row.project_id),
  );
  return rows.map((row) => toPathEntry(row, row === self || access.maySee(row.project_id)));
}

const RESTRICTED_STEP = { id: '', humanId: '', name: RESTRICTED, type: { id: '', name: '' } } as const;

function toPathEntry(row: hierarchyRepo.PathRow, visible: boolean): PathEntry {
  if (!visible) return { ...RESTRICTED_STEP, slot: row.slot, depth: row.depth };
  return {
    id: row.id,
    humanId: row.human_id,
    name: row.name,
    type: { id: row.type_id, name: row.type_name },
    slot: row.slot,
    depth: row.depth,
  };
}

/**
 * The paths of items that the actor has been shown already (an export's rows), as `getPath` gives them (the
 * restricted steps too), in one query per 500 items and without failing: items that are not live physicals
 * the actor may see have none.
 */
export async function findPaths(
  db: Db,
  actor: Actor,
  ids: readonly string[],
): Promise<Map<string, PathEntry[]>> {
  const rows = await hierarchyRepo.findPaths(db, ids);
  const access = await ProjectAccess.load(
    db,
    actor,
    rows.map((row) => row.project_id),
  );
  const paths = new Map<string, PathEntry[]>();
  const hidden = new Set<string>();
  for (const row of rows) {
    if (row.depth === 0 && (row.deleted_at !== null || !access.maySee(row.project_id))) hidden.add(row.of);
    const path = paths.get(row.of) ?? [];
    path.push(toPathEntry(row, access.maySee(row.project_id)));
    paths.set(row.of, path);
  }
  for (const id of hidden) paths.delete(id);
  return paths;
}

/**
 * What a physical holds directly, by name and cursor-paged; for a container with a grid also every occupied
 * slot (hidden items included: they take up room) and the free ones.
 */
export async function listChildren(
  db: Db,
  actor: Actor,
  id: string,
  query: { limit: number; cursor?: string | undefined; includeHidden?: boolean | undefined },
): Promise<Children> {
  const parent = await requireLiveItem(db, id);
  if (parent.class !== 'physical') throw notPhysical(parent);
  await assertItemAccess(db, actor, parent, 'read');
  const projects = await projectScopeOf(db, actor);
  const after = decodeCursor(query.cursor);
  const page = await fetchPage(
    query.limit,
    (limit) =>
      itemsRepo.listChildren(db, {
        projects,
        parentId: id,
        includeHidden: query.includeHidden ?? false,
        after,
        limit,
      }),
    (row) => encodeCursor({ value: row.sort_key, id: row.id }),
  );
  let grid: Children['grid'] = null;
  if (parent.grid_rows !== null && parent.grid_columns !== null) {
    const occupants = await itemsRepo.findSlotOccupants(db, [id]);
    const occupancy: Record<string, { itemId: string; humanId: string; name: string }> = {};
    for (const row of occupants) {
      // A slot taken by another project's sample shows as taken, but not by what.
      if (row.slot === null) continue;
      occupancy[row.slot] = inScope(projects, row.project_id)
        ? { itemId: row.id, humanId: row.human_id, name: row.name }
        : { itemId: '', humanId: '', name: RESTRICTED };
    }
    const dimensions = { rows: parent.grid_rows, columns: parent.grid_columns };
    grid = {
      ...dimensions,
      occupancy,
      freeSlots: gridSlots(dimensions).filter((slot) => !(slot in occupancy)),
    };
  }
  return { items: await toItems(db, actor, page.items), nextCursor: page.nextCursor, grid };
}

/**
 * Everything below a physical in tree order (each container followed by its contents, so parents always come
 * before what they hold), with each item's depth below it, cursor-paged, optionally down to `maxDepth`.
 */
export async function listDescendants(
  db: Db,
  actor: Actor,
  id: string,
  query: {
    limit: number;
    cursor?: string | undefined;
    maxDepth?: number | undefined;
    includeHidden?: boolean | undefined;
  },
): Promise<Page<Descendant>> {
  return (await openDescendants(db, actor, id, query))(query.cursor ?? null);
}

/**
 * `listDescendants` for a streamed export: the root (live, physical, visible to the actor) and the actor's
 * scope are checked here, once.
 */
export async function openDescendants(
  db: Db,
  actor: Actor,
  id: string,
  query: { limit: number; maxDepth?: number | undefined; includeHidden?: boolean | undefined },
): Promise<PageReader<Descendant>> {
  const root = await requireLiveItem(db, id);
  if (root.class !== 'physical') throw notPhysical(root);
  await assertItemAccess(db, actor, root, 'read');
  const ancestorPath = root.path;
  if (ancestorPath === null) throw new Error(`physical ${id} has no path in the hierarchy index`);
  const projects = await projectScopeOf(db, actor);
  return async (after) => {
    const cursor = decodeCursor(after ?? undefined);
    const page = await fetchPage(
      query.limit,
      (limit) =>
        hierarchyRepo.listDescendants(db, {
          ancestorPath,
          maxDepth: query.maxDepth,
          includeHidden: query.includeHidden ?? false,
          projects,
          afterPath: cursor === null ? null : String(cursor.value),
          limit,
        }),
      (row) => encodeCursor({ value: row.path ?? '', id: row.id }),
    );
    const items = await toItems(db, actor, page.items);
    return {
      items: items.map((item, index) => ({ ...item, depth: page.items[index]?.depth ?? 0 })),
      nextCursor: page.nextCursor,
    };
  };
}

interface MoveRequest {
  itemId: string;
  parentId: string | null;
  slot?: string | null | undefined;
}

/**
 * Told, in the moving transaction, that a project-owned item was put into a grid slot. The samples module,
 * which sits above the inventory, stores a registered or received sample so; whoever composes the app passes it
 * in (AppContext.placedInSlot), since the inventory may not import samples.
 */
export type PlacedInSlot = (trx: Db, actor: Actor, itemId: string) => Promise<void>;

/** One move inside the caller's transaction (the hierarchy lock already held); throws domain errors. */
async function applyMove(
  trx: Db,
  actor: Actor,
  move: MoveRequest,
  placedInSlot: PlacedInSlot,
): Promise<itemsRepo.ItemWithTypeRow> {
  const item = await requireLiveItem(trx, move.itemId, 'update');
  if (item.class !== 'physical') throw notPhysical(item);
  await assertItemAccess(trx, actor, item, 'write');
  const rawSlot = move.slot?.trim() || null;
  let slot: string | null = null;
  let parentPath: string | null = null;
  if (move.parentId === null) {
    if (rawSlot !== null)
      throw new Invalid('A slot needs a parent', [{ field: 'slot', message: 'a slot needs a parentId' }]);
  } else {
    const parent = await itemsRepo.findItem(trx, move.parentId, 'share');
    const refusal = placementRefusal(
      await ProjectAccess.load(trx, actor, [parent?.project_id ?? null]),
      move.parentId,
      parent,
    );
    if (refusal !== null) throw placementError(refusal, 'parentId');
    const problem = parentProblem(parent, move.parentId);
    if (problem !== null || parent === undefined) {
      throw new Invalid(`Cannot move into ${move.parentId}: ${problem}`, [
        { field: 'parentId', message: problem ?? 'unknown' },
      ]);
    }
    if (item.path === null || parent.path === null)
      throw new Error(`${item.human_id} or ${parent.human_id} has no path in the hierarchy index`);
    parentPath = parent.path;
    if (isWithin(parent.path, item.path)) {
      const where = parent.id === item.id ? 'itself' : `${parent.human_id}, which is inside it`;
      throw new MoveCycle(`${item.human_id} cannot go into ${where}: that would make a cycle`);
    }
    if (rawSlot !== null) {
      const checked = checkSlot(parent, rawSlot);
      if (checked.problem !== null) throw new UnknownSlot(checked.problem);
      slot = checked.slot;
      const occupant = await itemsRepo.findSlotOccupant(trx, parent.id, slot);
      if (occupant && occupant.id !== item.id) {
        const access = await ProjectAccess.load(trx, actor, [occupant.project_id]);
        throw new SlotOccupied(slotTakenMessage(parent, slot, access.humanIdOf(occupant)));
      }
    }
  }
  if (item.parent_id === move.parentId && item.slot === slot) return item;
  let path = item.path;
  if (item.parent_id !== move.parentId && item.path !== null) {
    path = childPath(parentPath, ownKey(item.path));
    await hierarchyRepo.movePaths(trx, item.path, path);
  }
  const update = { parent_id: move.parentId, slot, updated_at: nowIso(), updated_by: actor.id };
  try {
    await itemsRepo.updateItem(trx, item.id, update);
  } catch (error) {
    if (uniqueViolation(error) !== null) throw new SlotOccupied('That slot was just taken by another item');
    throw error;
  }
  await recordChange(trx, actor, {
    action: 'move',
    entityType: 'item',
    entityId: item.id,
    projectId: item.project_id,
    before: { parentId: item.parent_id, slot: item.slot },
    after: { parentId: move.parentId, slot },
  });
  // Lab-wide items are no samples; a project's item in a slot may be a sample to store.
  if (slot !== null && item.project_id !== null) await placedInSlot(trx, actor, item.id);
  return { ...item, ...update, path };
}

/**
 * Moves a physical (with everything inside it) into another physical, optionally into a grid slot, or to
 * the top level (parentId null). Refused: a parent that does not exist or that the actor may not see (404),
 * a project's container for those with read access only (403), virtuals, deleted or virtual parents, cycles
 * (422), missing slots (422), occupied slots (409). A registered or received sample put into a slot is stored.
 */
export async function moveItem(
  trx: Db,
  actor: Actor,
  id: string,
  move: MoveItem,
  placedInSlot: PlacedInSlot,
): Promise<Item> {
  await hierarchyRepo.lockHierarchy(trx, 'exclusive');
  const row = await applyMove(
    trx,
    actor,
    { itemId: id, parentId: move.parentId, slot: move.slot },
    placedInSlot,
  );
  const [item] = await toItems(trx, actor, [row]);
  return item as Item;
}

/**
 * Applies moves in order, each seeing the ones before it (so a swap can go through a free slot), all or
 * nothing: the first failure aborts the transaction and its problem names the move's index.
 */
export async function moveItems(
  trx: Db,
  actor: Actor,
  input: BulkMove,
  placedInSlot: PlacedInSlot,
): Promise<Item[]> {
  await hierarchyRepo.lockHierarchy(trx, 'exclusive');
  const moved = new Map<string, itemsRepo.ItemWithTypeRow>();
  for (const [index, move] of input.moves.entries()) {
    try {
      const row = await applyMove(trx, actor, move, placedInSlot);
      moved.set(row.id, row);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const errors = error.errors.length > 0 ? error.errors : [{ field: 'itemId', message: error.message }];
      throw new DomainError(
        error.code,
        `Move ${index} (${move.itemId}) failed, so nothing was moved: ${error.message}`,
        errors.map((e) => ({ field: `moves.${index}.${e.field}`, message: e.message })),
      );
    }
  }
  return toItems(trx, actor, [...moved.values()]);
}
