/**
 * Analyses through TanStack Query: the list (and a sample's, and a resource's queue), one analysis, its whole
 * logs, the analysis types, and starting, cancelling and retrying analyses. Every list key starts with
 * `['analyses']` and every key of one analysis with `['analysis', id]`: the live-events hook invalidates
 * exactly those prefixes when the server says an analysis or job changed. While something has not ended, the
 * queries also refetch every few seconds, so the pages stay true when the event stream is down.
 */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { hasEnded } from './analysis-status';
import type {
  AnalysisFilter,
  AnalysisStatus,
  CreateAnalysesBatch,
  CreateAnalysis,
  LogStream,
} from './compute-types';

export const analysisKeys = {
  all: ['analyses'] as const,
  list: (filter: AnalysisFilter) => ['analyses', 'list', filter] as const,
  /** Analyses of one resource in some statuses (its queue, its recent jobs). */
  ofResource: (resourceId: string, status: AnalysisStatus | null) =>
    ['analyses', 'resource', resourceId, status] as const,
  types: ['analysis-types'] as const,
  detail: (id: string) => ['analysis', id] as const,
  log: (id: string, stream: LogStream) => ['analysis', id, 'log', stream] as const,
};

const PAGE_SIZE = 50;
/** The fallback refresh while an analysis is not ended (the event stream usually comes first). */
const WHILE_ACTIVE_MS = 3_000;
/** The same for a list, which may be several pages long. */
const LIST_WHILE_ACTIVE_MS = 5_000;
/** A queue count stops at this many (it is one page of the list). */
export const QUEUE_COUNT_LIMIT = 200;

export function useAnalyses(filter: AnalysisFilter) {
  return useInfiniteQuery({
    queryKey: analysisKeys.list(filter),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/analyses', { params: { query: { ...filter, limit: PAGE_SIZE, cursor: pageParam } } }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some((analysis) => !hasEnded(analysis.status)))
        ? LIST_WHILE_ACTIVE_MS
        : false,
  });
}

/**
 * One page of a resource's analyses in a status (null: any), newest first: the queue counts and the recent
 * jobs of the HPC resources page.
 */
export function useResourceAnalyses(resourceId: string, status: AnalysisStatus | null) {
  return useQuery({
    queryKey: analysisKeys.ofResource(resourceId, status),
    queryFn: () =>
      unwrap(
        api.GET('/api/analyses', {
          params: { query: { resourceId, ...(status && { status }), limit: QUEUE_COUNT_LIMIT } },
        }),
      ),
  });
}

export function useAnalysis(id: string) {
  return useQuery({
    queryKey: analysisKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/analyses/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => {
      const analysis = query.state.data;
      return analysis && hasEnded(analysis.status) ? false : WHILE_ACTIVE_MS;
    },
  });
}

/**
 * The whole log of the current job, fetched only when asked for (a log may be large). While the job runs the
 * server has only the tail its agent last reported, and says so (`Cairn-Log-Complete: false`).
 */
export function useAnalysisLog(id: string, stream: LogStream, enabled: boolean) {
  return useQuery({
    queryKey: analysisKeys.log(id, stream),
    queryFn: async () => {
      const call = api.GET('/api/analyses/{id}/log', {
        params: { path: { id }, query: { stream } },
        parseAs: 'text',
      });
      const text = await unwrap(call);
      const { response } = await call;
      return { text, complete: response.headers.get('cairn-log-complete') !== 'false' };
    },
    enabled,
  });
}

export function useAnalysisTypes() {
  return useQuery({
    queryKey: analysisKeys.types,
    queryFn: () => unwrap(api.GET('/api/analysis-types')),
    staleTime: 60_000,
  });
}

/** After a write: every analyses list, and the samples (an analysis may change a sample's status). */
function useAnalysesRefresh() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: analysisKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['samples'] }),
    ]);
}

export function useCreateAnalysis() {
  const refresh = useAnalysesRefresh();
  return useMutation({
    mutationFn: (body: CreateAnalysis) => unwrap(api.POST('/api/analyses', { body })),
    onSuccess: refresh,
  });
}

export function useCreateAnalysesBatch() {
  const refresh = useAnalysesRefresh();
  return useMutation({
    mutationFn: (body: CreateAnalysesBatch) => unwrap(api.POST('/api/analyses/batch', { body })),
    onSuccess: refresh,
  });
}

/** Cancel or retry: the answer is the analysis as it now is; the lists refresh. */
export function useAnalysisAction(id: string, action: 'cancel' | 'retry') {
  const queryClient = useQueryClient();
  const refresh = useAnalysesRefresh();
  return useMutation({
    mutationFn: () =>
      unwrap(
        action === 'cancel'
          ? api.POST('/api/analyses/{id}/cancel', { params: { path: { id } } })
          : api.POST('/api/analyses/{id}/retry', { params: { path: { id } } }),
      ),
    onSuccess: async (analysis) => {
      queryClient.setQueryData(analysisKeys.detail(id), analysis);
      await Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: analysisKeys.detail(id) })]);
    },
  });
}
