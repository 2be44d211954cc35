/**
 * Authentication for every /api route not marked `config: { public: true }`: a bearer token
 * (`Authorization: Bearer …`, for machines) or the web session cookie (for the browser). Cookie-authenticated
 * writes must echo the session's CSRF token in `X-CSRF-Token`; bearer requests carry no ambient credential
 * and need none.
 */
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.js';
import { authenticate, type AuthContext } from '../modules/accounts/accounts.service.js';
import type { Actor } from '../modules/accounts/actor.js';
import { readCookie } from './cookies.js';
import { CsrfFailed, Forbidden, Unauthorized } from '../errors/catalogue.js';
import { isApiRequest } from './security-headers.js';

export const SESSION_COOKIE = 'cairn_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyContextConfig {
    /** The route answers without authentication (login, health, documents). */
    public?: boolean;
    /** An agent route (`/api/agent/…`): the only routes an agent's machine account reaches. */
    agent?: boolean;
  }
}

function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new Unauthorized('The Authorization header must be "Bearer <token>"');
  return match[1];
}

/**
 * Authenticates a request (the application's onRequest hook runs this): sets `request.auth`, and refuses
 * protected routes without valid credentials and cookie-authenticated writes without the CSRF token.
 */
export async function authenticateRequest(db: Db, request: FastifyRequest): Promise<void> {
  // The API explorer's pages are public documents; everything else under /api/ is checked.
  if (!isApiRequest(request.url)) return;
  const bearer = bearerOf(request);
  const sessionSecret = bearer === null ? readCookie(request.headers.cookie, SESSION_COOKIE) : null;
  if (bearer !== null || sessionSecret !== null) {
    request.auth = await authenticate(db, { bearer, sessionSecret });
  }
  // Public routes, and unknown ones (answered 404 by the not-found handler), need no credentials.
  if (request.routeOptions.config.public === true || request.routeOptions.url === undefined) return;
  if (request.auth === null) {
    throw new Unauthorized(
      bearer !== null || sessionSecret !== null
        ? 'Invalid or expired credentials'
        : 'Authentication required',
    );
  }
  if (request.auth.user.isAgent === true && request.routeOptions.config.agent !== true) {
    throw new Forbidden("An agent's token reaches only the agent routes");
  }
  if (request.auth.via === 'session' && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || sent !== request.auth.csrfToken) {
      throw new CsrfFailed();
    }
  }
}

/** The acting user of an authenticated request, carrying the request id into services and the audit trail. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.auth === null) throw new Unauthorized();
  return { ...request.auth.user, requestId: request.id };
}

/**
 * The request's user as its credentials say now, or null if they no longer hold (signed out, token revoked,
 * user deactivated): for a long-lived reply such as an event stream, which must not outlive its credentials.
 */
export async function reauthenticate(db: Db, request: FastifyRequest): Promise<Actor | null> {
  const bearer = bearerOf(request);
  const sessionSecret = bearer === null ? readCookie(request.headers.cookie, SESSION_COOKIE) : null;
  const auth = await authenticate(db, { bearer, sessionSecret });
  return auth === null ? null : { ...auth.user, requestId: request.id };
}
