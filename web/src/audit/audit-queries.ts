/** The audit trail through TanStack Query. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export const auditKeys = {
  all: ['audit'] as const,
  entity: (entityType: string, entityId: string) => ['audit', entityType, entityId] as const,
};

const PAGE_SIZE = 20;

/** The history of one entity, newest first, a page at a time. */
export function useEntityHistory(entityType: string, entityId: string) {
  return useInfiniteQuery({
    queryKey: auditKeys.entity(entityType, entityId),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/audit', {
          params: { query: { entityType, entityId, limit: PAGE_SIZE, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
