/**
 * The browser session as TanStack Query state: `['session']` holds GET /api/auth/me (or null when signed
 * out). The API client reads the CSRF token from it, and a 401 anywhere clears it, which sends the user to
 * the login page.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';
import { api, connectApiSession, unwrap } from '../api/client';
import type { SessionInfo, User } from '../api/types';

export const SESSION_KEY = ['session'] as const;

async function fetchSession(): Promise<SessionInfo | null> {
  try {
    return await unwrap(api.GET('/api/auth/me'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Signs the UI out locally: forgets the session and every cached answer that belonged to it. */
function forgetSession(queryClient: QueryClient): void {
  queryClient.setQueryData<SessionInfo | null>(SESSION_KEY, null);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
}

/** Wires the API client to the session held in `queryClient`; call once before rendering. */
export function connectSession(queryClient: QueryClient): void {
  connectApiSession({
    csrfToken: () => queryClient.getQueryData<SessionInfo | null>(SESSION_KEY)?.csrfToken ?? null,
    onUnauthorized: () => forgetSession(queryClient),
  });
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity, retry: false });
}

/** The signed-in user; only for components rendered inside the signed-in layout. */
export function useCurrentUser(): User {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentUser outside a signed-in page');
  return data.user;
}

export function useIsAdmin(): boolean {
  return useCurrentUser().role === 'admin';
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { username: string; password: string }) =>
      unwrap(api.POST('/api/auth/login', { body: credentials })),
    onSuccess: (session) => queryClient.setQueryData<SessionInfo | null>(SESSION_KEY, session),
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/logout')),
    // Signed out locally even when the server has already forgotten the session.
    onSettled: () => forgetSession(queryClient),
  });
}
