/** The inventory through TanStack Query: types, items, locations, grids, files, and the writes that refresh them. */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { auditKeys } from '../audit/audit-queries';
import type {
  CreateItem,
  Item,
  ItemClass,
  ItemQuery,
  ItemType,
  MoveItem,
  UpdateItem,
} from './inventory-types';

export const inventoryKeys = {
  all: ['inventory'] as const,
  types: ['inventory', 'types'] as const,
  list: (filter: Omit<ItemQuery, 'cursor'>) => ['inventory', 'list', filter] as const,
  item: (id: string) => ['inventory', 'item', id] as const,
  itemIncludingDeleted: (id: string) => ['inventory', 'item', id, 'including-deleted'] as const,
  path: (id: string) => ['inventory', 'path', id] as const,
  children: (id: string) => ['inventory', 'children', id] as const,
  files: (id: string) => ['inventory', 'files', id] as const,
  barcode: (code: string) => ['inventory', 'barcode', code] as const,
};

/** Every item type; they change rarely, so they stay fresh for a minute. */
export function useItemTypes() {
  return useQuery({
    queryKey: inventoryKeys.types,
    queryFn: () => unwrap(api.GET('/api/types')),
    staleTime: 60_000,
  });
}

/** The types of one class, by name, for a type picker. */
export function typesOfClass(types: readonly ItemType[] | undefined, itemClass: ItemClass): ItemType[] {
  return (types ?? [])
    .filter((type) => type.class === itemClass)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Items a page at a time (for tables and tree nodes: `parent` is an item id or `root`). */
export function useItemList(filter: Omit<ItemQuery, 'cursor'>, options: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: inventoryKeys.list(filter),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/items', { params: { query: { ...filter, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function useItem(id: string | null) {
  return useQuery({
    queryKey: inventoryKeys.item(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/items/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: id !== null,
  });
}

/**
 * An item, deleted or not (its page, what a history names); under the item's key, so that what refreshes the
 * item refreshes this too.
 */
export function useItemIncludingDeleted(id: string) {
  return useQuery({
    queryKey: inventoryKeys.itemIncludingDeleted(id),
    queryFn: () =>
      unwrap(api.GET('/api/items/{id}', { params: { path: { id }, query: { includeDeleted: true } } })),
  });
}

/** Where a physical is: root → … → the item. */
export function useItemPath(id: string | null) {
  return useQuery({
    queryKey: inventoryKeys.path(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/items/{id}/path', { params: { path: { id: id ?? '' } } })),
    enabled: id !== null,
  });
}

/** The paths of several physicals at once (one request each, under the same keys as useItemPath), by id. */
export function useItemPaths(ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: inventoryKeys.path(id),
      queryFn: () => unwrap(api.GET('/api/items/{id}/path', { params: { path: { id } } })),
    })),
    combine: (results) => new Map(ids.map((id, index) => [id, results[index]?.data] as const)),
  });
}

/** What a physical holds; for grid containers also every occupied and free slot. */
export function useChildren(id: string | null) {
  return useInfiniteQuery({
    queryKey: inventoryKeys.children(id ?? ''),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/items/{id}/children', {
          params: { path: { id: id ?? '' }, query: { limit: 200, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: id !== null,
  });
}

export function useItemFiles(id: string | null) {
  return useQuery({
    queryKey: inventoryKeys.files(id ?? ''),
    queryFn: () => unwrap(api.GET('/api/items/{id}/files', { params: { path: { id: id ?? '' } } })),
    enabled: id !== null,
  });
}

/**
 * The audit events of an item's files (their attachment), one small request a file, under the audit keys so
 * that every write's refresh renews them; none for an item whose files cannot be listed (a deleted one).
 */
export function useItemFileHistory(itemId: string | null) {
  const files = useItemFiles(itemId);
  return useQueries({
    queries: (files.data ?? []).map((file) => ({
      // Beside the file's own (paged) history key, not on it: this is the whole of it in one answer.
      queryKey: [...auditKeys.entity('item_file', file.id), 'whole'] as const,
      queryFn: () =>
        unwrap(
          api.GET('/api/audit', {
            params: { query: { entityType: 'item_file', entityId: file.id, limit: 200 } },
          }),
        ),
    })),
    combine: (results) => results.flatMap((result) => result.data?.items ?? []),
  });
}

/** Resolves a scanned code (barcode, human id or item id) to its item. */
export async function lookUpBarcode(code: string) {
  return unwrap(api.GET('/api/barcodes/{code}', { params: { path: { code } } }));
}

/** After a write: every inventory view, every sample view and every history may have changed. */
export function useInventoryRefresh() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: inventoryKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['samples'] }),
      queryClient.invalidateQueries({ queryKey: auditKeys.all }),
    ]);
}

export function useCreateItem() {
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn: (body: CreateItem) => unwrap(api.POST('/api/items', { body })),
    onSuccess: refresh,
  });
}

export function useUpdateItem(id: string) {
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn: (body: UpdateItem) =>
      unwrap(api.PATCH('/api/items/{id}', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
}

export function useMoveItem() {
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn: ({ id, ...body }: MoveItem & { id: string }) =>
      unwrap(api.POST('/api/items/{id}/move', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
}

/**
 * Marks the item deleted in its page's cache before the refresh, so that its page turns to the deleted view
 * at once instead of first reloading its contents and files, which a deleted item no longer answers.
 */
export function useDeleteItem(id: string) {
  const queryClient = useQueryClient();
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/items/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.setQueryData<Item>(
        inventoryKeys.itemIncludingDeleted(id),
        (item) => item && { ...item, deletedAt: item.deletedAt ?? new Date().toISOString() },
      );
      return refresh();
    },
  });
}

export function useRestoreItem(id: string) {
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/items/{id}/restore', { params: { path: { id } } })),
    onSuccess: refresh,
  });
}

/** Attaches files to an item (multipart/form-data, field `file`, several at once). */
export function useUploadFiles(id: string) {
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn: (files: readonly File[]) => {
      const form = new FormData();
      for (const file of files) form.append('file', file, file.name);
      // The route reads multipart, which the OpenAPI document does not describe as a JSON body.
      return unwrap(api.POST('/api/items/{id}/files', { params: { path: { id } }, body: form as never }));
    },
    onSuccess: refresh,
  });
}
