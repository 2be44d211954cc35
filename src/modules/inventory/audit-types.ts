/**
 * What the inventory tells the history about its audit events: which entity types are lab-wide (every
 * signed-in user may read their history), and which item references in events a reader may not follow.
 */
import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { ProjectAccess, seesEveryProject } from './item-access.js';
import { findProjectOwnedItems } from './items.repository.js';

/** The inventory's audit entity types. The inventory is lab-wide, so every signed-in user may read their history. */
export const inventoryAuditTypes = ['item', 'item_type', 'item_file'] as const;

/** The keys of an event's before/after that name another item (an item's audit view, a move's). */
const ITEM_REFERENCES = ['parent_id', 'parentId', 'virtual_id', 'virtualId'];

/**
 * Blanks, in events' before/after views, the ids of items the actor may not see (a lab-wide tube moved into
 * another project's sample box): '' is the same stand-in a path gives for a restricted container. Changes the
 * views in place; one lookup for all of them.
 */
export async function hideUnseenItemReferences(
  db: Db,
  actor: Actor,
  views: readonly Record<string, unknown>[],
): Promise<void> {
  if (seesEveryProject(actor)) return;
  const ids = new Set<string>();
  for (const view of views) {
    for (const key of ITEM_REFERENCES) {
      const value = view[key];
      if (typeof value === 'string' && value !== '') ids.add(value);
    }
  }
  if (ids.size === 0) return;
  const owned = await findProjectOwnedItems(db, [...ids]);
  if (owned.length === 0) return;
  const access = await ProjectAccess.load(
    db,
    actor,
    owned.map((row) => row.project_id),
  );
  const unseen = new Set(owned.filter((row) => !access.maySee(row.project_id)).map((row) => row.id));
  for (const view of views) {
    for (const key of ITEM_REFERENCES) {
      const value = view[key];
      if (typeof value === 'string' && unseen.has(value)) view[key] = '';
    }
  }
}
