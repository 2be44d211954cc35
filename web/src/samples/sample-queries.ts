/** Samples through TanStack Query: a project's samples, one sample, registering and changing them. */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useInventoryRefresh } from '../inventory/inventory-queries';
import type { CreateSample, SampleQuery, UpdateSample } from './sample-types';

export const sampleKeys = {
  all: ['samples'] as const,
  list: (projectId: string, filter: Omit<SampleQuery, 'cursor' | 'limit'>) =>
    ['samples', 'list', projectId, filter] as const,
  detail: (id: string) => ['samples', 'detail', id] as const,
};

const PAGE_SIZE = 50;

export function useProjectSamples(projectId: string, filter: Omit<SampleQuery, 'cursor' | 'limit'>) {
  return useInfiniteQuery({
    queryKey: sampleKeys.list(projectId, filter),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/projects/{id}/samples', {
          params: { path: { id: projectId }, query: { ...filter, limit: PAGE_SIZE, cursor: pageParam } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useSample(id: string) {
  return useQuery({
    queryKey: sampleKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/samples/{id}', { params: { path: { id } } })),
  });
}

/** Sample writes touch items too (a sample is an item): the inventory refresh covers samples and history. */
export function useCreateSample() {
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn: (body: CreateSample) => unwrap(api.POST('/api/samples', { body })),
    onSuccess: refresh,
  });
}

export function useUpdateSample(id: string) {
  const refresh = useInventoryRefresh();
  return useMutation({
    mutationFn: (body: UpdateSample) =>
      unwrap(api.PATCH('/api/samples/{id}', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
}
