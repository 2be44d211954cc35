/** Projects and their members through TanStack Query: cache keys, reads and the writes that refresh them. */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useIsAdmin } from '../accounts/session';
import { api, unwrap } from '../api/client';
import type { CreateProject, ProjectQuery, ProjectRole, UpdateProject } from '../api/types';
import { auditKeys } from '../audit/audit-queries';

export const projectKeys = {
  all: ['projects'] as const,
  list: (filter: Omit<ProjectQuery, 'cursor' | 'limit'>) => ['projects', 'list', filter] as const,
  detail: (id: string) => ['projects', 'detail', id] as const,
  members: (id: string) => ['projects', 'members', id] as const,
};

const PAGE_SIZE = 50;

export function useProjectList(filter: Omit<ProjectQuery, 'cursor' | 'limit'>) {
  return useInfiniteQuery({
    queryKey: projectKeys.list(filter),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/projects', { params: { query: { ...filter, limit: PAGE_SIZE, cursor: pageParam } } }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // A new filter keeps the old rows on screen until its answer arrives.
    placeholderData: keepPreviousData,
  });
}

export function useProject(id: string) {
  return useQuery({
    queryKey: projectKeys.detail(id),
    queryFn: () => unwrap(api.GET('/api/projects/{id}', { params: { path: { id } } })),
  });
}

/**
 * Whether the signed-in user may change what belongs to the project (register samples, start, cancel and
 * retry analyses): admins, its managers and members; the server checks it again on every write.
 */
export function useCanWriteProject(projectId: string): boolean {
  const isAdmin = useIsAdmin();
  const project = useProject(projectId);
  const role = project.data?.myRole;
  return isAdmin || role === 'manager' || role === 'member';
}

export function useProjectMembers(id: string) {
  return useQuery({
    queryKey: projectKeys.members(id),
    queryFn: () => unwrap(api.GET('/api/projects/{id}/members', { params: { path: { id } } })),
  });
}

/** After a write: every project view and every history may have changed. */
function useRefresh() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: projectKeys.all }),
      queryClient.invalidateQueries({ queryKey: auditKeys.all }),
    ]);
}

export function useCreateProject() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: CreateProject) => unwrap(api.POST('/api/projects', { body })),
    onSuccess: refresh,
  });
}

export function useUpdateProject(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: UpdateProject) =>
      unwrap(api.PATCH('/api/projects/{id}', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
}

export function useDeleteProject(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/projects/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: projectKeys.detail(id) });
      return queryClient.invalidateQueries({ queryKey: projectKeys.all });
    },
  });
}

export function useAddMember(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { username: string; role: ProjectRole }) =>
      unwrap(api.POST('/api/projects/{id}/members', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
}

export function useRemoveMember(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (userId: string) =>
      unwrap(api.DELETE('/api/projects/{id}/members/{userId}', { params: { path: { id, userId } } })),
    onSuccess: refresh,
  });
}
