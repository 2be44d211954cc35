/**
 * Lists of items: filtered by type, class, parent, the virtual they are instances of, owning project and
 * text, sorted and cursor-paged, for a page at a time or for a streamed export.
 */
import type { Db } from '../../db/database.js';
import { decodeCursor, encodeCursor, fetchPage, type Page, type PageReader } from '../../db/paging.js';
import type { Actor } from '../accounts/actor.js';
import type { Item, ItemSort, ListItemsQuery } from './inventory.schema.js';
import { inScope, projectScopeOf } from './item-access.js';
import { toItems } from './item-views.js';
import * as repo from './items.repository.js';
import { resolveType } from './types.service.js';

const sortColumns: Record<string, repo.ItemSortColumn> = { humanId: 'human_id', name: 'name' };

/**
 * Items filtered by type, class, parent, the virtual they are instances of, owning project and text, hidden
 * ones only on request, sorted and cursor-paged.
 */
export async function listItems(
  db: Db,
  actor: Actor,
  query: ListItemsQuery & { limit: number },
): Promise<Page<Item>> {
  return (await openItemList(db, actor, query))(query.cursor ?? null);
}

/** `listItems` for a streamed export: the filters and the actor's scope are settled here, once. */
export async function openItemList(
  db: Db,
  actor: Actor,
  query: Omit<ListItemsQuery, 'cursor'> & { limit: number },
): Promise<PageReader<Item>> {
  const sort: ItemSort = query.sort ?? 'humanId';
  const descending = sort.startsWith('-');
  const column = sortColumns[sort.replace('-', '')] ?? 'human_id';
  const type = query.type === undefined ? undefined : await resolveType(db, query.type);
  const projects = await projectScopeOf(db, actor);
  if (query.parent !== undefined && query.parent !== 'root' && projects !== null) {
    // What a container the actor may not see holds is not listed either, as for /children.
    const [owned] = await repo.findProjectOwnedItems(db, [query.parent]);
    if (owned !== undefined && !inScope(projects, owned.project_id))
      return async () => ({ items: [], nextCursor: null });
  }
  return async (cursor) => {
    const page = await fetchPage(
      query.limit,
      (limit) =>
        repo.listItems(db, {
          projects,
          typeId: type?.id,
          itemClass: query.class,
          parentId: query.parent === undefined ? undefined : query.parent === 'root' ? null : query.parent,
          virtualId: query.instanceOf,
          projectId:
            query.project === undefined ? undefined : query.project === 'none' ? null : query.project,
          q: query.q,
          includeHidden: query.includeHidden ?? false,
          deleted: query.deleted ?? false,
          sort: column,
          descending,
          after: decodeCursor(cursor ?? undefined),
          limit,
        }),
      (row) => encodeCursor({ value: row.sort_key, id: row.id }),
    );
    return { items: await toItems(db, actor, page.items), nextCursor: page.nextCursor };
  };
}
