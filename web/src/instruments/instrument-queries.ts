/**
 * Instruments and their sessions through TanStack Query. The server decides whose sessions a caller sees
 * (staff and admins every one, others their own), so the pages ask for an instrument's sessions and show
 * what comes back.
 */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';

export const instrumentKeys = {
  all: ['instruments'] as const,
  detail: (pid: string) => ['instrument', pid] as const,
  sessions: (pid: string) => ['sessions', 'instrument', pid] as const,
};

/** Sessions per page of the timeline; earlier ones come with "Load more". */
const SESSIONS_PAGE_SIZE = 200;

export function useInstruments() {
  return useQuery({
    queryKey: instrumentKeys.all,
    queryFn: () => unwrap(api.GET('/api/instruments')),
  });
}

export function useInstrument(pid: string) {
  return useQuery({
    queryKey: instrumentKeys.detail(pid),
    queryFn: () => unwrap(api.GET('/api/instruments/{pid}', { params: { path: { pid } } })),
  });
}

/** An instrument's sessions, newest first, a page at a time. */
export function useInstrumentSessions(pid: string) {
  return useInfiniteQuery({
    queryKey: instrumentKeys.sessions(pid),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/sessions', {
          params: { query: { instrument: pid, limit: SESSIONS_PAGE_SIZE, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}
