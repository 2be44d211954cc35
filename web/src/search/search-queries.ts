/** The text search through TanStack Query: ranked results a page at a time, and completions while typing. */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { SearchFilter } from './search-types';

export const searchKeys = {
  all: ['search'] as const,
  results: (filter: SearchFilter) => ['search', 'results', filter] as const,
  suggestions: (q: string) => ['search', 'suggest', q] as const,
};

const PAGE_SIZE = 20;
const SUGGESTIONS = 8;

export function useSearchResults(filter: SearchFilter) {
  return useInfiniteQuery({
    queryKey: searchKeys.results(filter),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/search', { params: { query: { ...filter, limit: PAGE_SIZE, cursor: pageParam } } }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: filter.q.trim() !== '',
  });
}

/** Completions of `q` (already debounced by the caller); the previous list stays while the next one loads. */
export function useSuggestions(q: string) {
  return useQuery({
    queryKey: searchKeys.suggestions(q),
    queryFn: () => unwrap(api.GET('/api/search/suggest', { params: { query: { q, limit: SUGGESTIONS } } })),
    enabled: q !== '',
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
