/** The audit trail through TanStack Query. */
import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
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

/** What the trail keeps under a sample's links rather than the sample: records built with it, analyses of it. */
const SAMPLE_LINKS = ['sample_record', 'sample_analysis'] as const;

/** The events of a sample's links, whole (a sample has few), for its history; none for another entity. */
export function useSampleLinkHistory(sampleId: string | null) {
  return useQueries({
    queries: (sampleId === null ? [] : SAMPLE_LINKS).map((entityType) => ({
      queryKey: [...auditKeys.entity(entityType, sampleId ?? ''), 'whole'] as const,
      queryFn: () =>
        unwrap(
          api.GET('/api/audit', {
            params: { query: { entityType, entityId: sampleId ?? '', limit: 200 } },
          }),
        ),
    })),
    combine: (results) => results.flatMap((result) => result.data?.items ?? []),
  });
}
