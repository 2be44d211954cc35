/** Experiment records through TanStack Query: the filtered, cursor-paged list, a sample's records and one record. */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { RecordFilter } from './record-types';

export const recordKeys = {
  all: ['records'] as const,
  list: (filter: RecordFilter) => ['records', 'list', filter] as const,
  ofSample: (sampleId: string) => ['records', 'sample', sampleId] as const,
  detail: (id: string) => ['record', id] as const,
};

const PAGE_SIZE = 50;

export function useRecords(filter: RecordFilter) {
  return useInfiniteQuery({
    queryKey: recordKeys.list(filter),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/records', { params: { query: { ...filter, limit: PAGE_SIZE, cursor: pageParam } } }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** The records made with a sample, newest session first (those the user may see). */
export function useSampleRecords(sampleId: string) {
  return useInfiniteQuery({
    queryKey: recordKeys.ofSample(sampleId),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/samples/{id}/records', {
          params: { path: { id: sampleId }, query: { limit: PAGE_SIZE, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** A record does not change once built (a rebuild makes a new one), so it is not refetched on focus. */
export function useRecord(id: string) {
  return useQuery({
    queryKey: recordKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/records/{id}', { params: { path: { id } } })),
    staleTime: Infinity,
  });
}
