/**
 * Lists of items that a higher module chooses: samples are items that the samples module knows by id, and
 * their lists filter, sort and page on what the inventory holds (name, type, codes, place). The caller names
 * the ids its own rules allow (a project's samples of some status); the inventory applies its filters, its
 * order and its access rules to them, in one query a page.
 */
import type { Db } from '../../db/database.js';
import { decodeCursor, encodeCursor, fetchPage, type Page } from '../../db/paging.js';
import type { Actor } from '../accounts/actor.js';
import { inScope, projectScopeOf } from './item-access.js';
import * as repo from './item-listing.repository.js';

/** An item as another module's list shows it: what it is and where it is. */
export interface ListedItem {
  id: string;
  humanId: string;
  name: string;
  type: { id: string; name: string };
  barcode: string | null;
  /** '' when the container is one the actor may not see (the restricted stand-in). */
  parentId: string | null;
  slot: string | null;
  /** The container by human id and name; null when there is none or the actor may not see it. */
  parent: { id: string; humanId: string; name: string } | null;
}

export interface ItemsAmongOptions {
  typeId?: string | undefined;
  /** Text in the name, human id or barcode. */
  q?: string | undefined;
  limit: number;
}

/** Reads one page of the live items among `ids` after the page that `cursor` ends. */
export type ItemsAmongReader = (ids: readonly string[], cursor: string | null) => Promise<Page<ListedItem>>;

/**
 * Opens a list of live items among ids that the caller gives with each page (hidden ones included: the
 * caller named them), filtered by type and text, sorted by name as the catalogue sorts it (ASCII case
 * folded, the same on both databases), then id, and cursor-paged. Items and containers the actor may not see
 * are left out and shown as restricted, with the actor's projects read once, here, so that reading a page
 * cannot fail on access (streamed exports).
 */
export async function openItemsAmong(
  db: Db,
  actor: Actor,
  options: ItemsAmongOptions,
): Promise<ItemsAmongReader> {
  const projects = await projectScopeOf(db, actor);
  return async (ids, cursor) => {
    const after = decodeCursor(cursor ?? undefined);
    if (ids.length === 0) return { items: [], nextCursor: null };
    const page = await fetchPage(
      options.limit,
      (limit) =>
        repo.listItemsAmong(db, { ids, projects, typeId: options.typeId, q: options.q, after, limit }),
      (row) => encodeCursor({ value: row.sort_key, id: row.id }),
    );
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((row): ListedItem => {
        const parentVisible = inScope(projects, row.parent_project_id);
        return {
          id: row.id,
          humanId: row.human_id,
          name: row.name,
          type: { id: row.type_id, name: row.type_name },
          barcode: row.barcode,
          parentId: row.parent_id === null || parentVisible ? row.parent_id : '',
          slot: row.slot,
          parent:
            row.parent_id === null ||
            row.parent_human_id === null ||
            row.parent_name === null ||
            !parentVisible
              ? null
              : { id: row.parent_id, humanId: row.parent_human_id, name: row.parent_name },
        };
      }),
    };
  };
}

/**
 * The distinct types of the live items among `ids` (which field columns an export of them needs). The caller
 * has checked the actor's access to them: only type ids are answered.
 */
export function listTypeIdsAmong(db: Db, ids: readonly string[]): Promise<string[]> {
  return ids.length === 0 ? Promise.resolve([]) : repo.listTypeIdsAmong(db, ids);
}
