/**
 * The typed API client (openapi-fetch over the generated `paths`). The browser session is an HttpOnly
 * cookie, so requests go with `credentials: 'same-origin'`; writes echo the session's CSRF token in
 * X-CSRF-Token; a 401 outside /api/auth/ means the session ended, and the session layer sends the user to
 * the login page.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError } from './api-error';
import type { paths } from './schema';

interface SessionHooks {
  csrfToken(): string | null;
  onUnauthorized(): void;
}

let session: SessionHooks = { csrfToken: () => null, onUnauthorized: () => {} };

/** Connects the client to the session state (called once at start-up, before anything renders). */
export function connectApiSession(hooks: SessionHooks): void {
  session = hooks;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    const token = session.csrfToken();
    if (token !== null && !SAFE_METHODS.has(request.method)) request.headers.set('X-CSRF-Token', token);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/api/auth/')) {
      session.onUnauthorized();
    }
    return response;
  },
};

export const api = createClient<paths>({ credentials: 'same-origin' });
api.use(sessionMiddleware);

type Result = { data?: unknown; error?: unknown; response: Response };

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError (for TanStack Query). */
export async function unwrap<R extends Result>(call: Promise<R>): Promise<Exclude<R['data'], undefined>> {
  const result = await call;
  if (!result.response.ok) throw new ApiError(result.response.status, result.error);
  return result.data as Exclude<R['data'], undefined>;
}
