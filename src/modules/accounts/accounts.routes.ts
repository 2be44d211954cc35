/** HTTP routes of accounts: login/logout/me, the caller's API tokens, and user administration. */
import { Type } from 'typebox';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf, SESSION_COOKIE } from '../../http/authentication.js';
import { IdParams, PageQuery, problemResponses } from '../../http/common.schema.js';
import { readCookie, setCookieHeader } from '../../http/cookies.js';
import { Unauthorized } from '../../errors/catalogue.js';
import { inTransaction } from '../../db/transaction.js';
import * as accounts from './accounts.service.js';
import {
  CreatedTokenSchema,
  CreateTokenSchema,
  CreateUserSchema,
  LoginSchema,
  SessionInfoSchema,
  TokenSchema,
  UpdateUserSchema,
  UserSchema,
  UsersPageSchema,
} from './accounts.schema.js';

export function registerAccountRoutes(
  app: App,
  { database: { db }, config, loginThrottle }: AppContext,
): void {
  const tags = ['accounts'];

  app.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Log in with username and password; sets the session cookie',
        security: [],
        body: LoginSchema,
        response: { 200: SessionInfoSchema, 429: problemResponses[400], ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await inTransaction(db, (trx) =>
        accounts.login(trx, loginThrottle, {
          ...request.body,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          ttlHours: config.sessionTtlHours,
        }),
      );
      void reply.header(
        'set-cookie',
        setCookieHeader(SESSION_COOKIE, result.sessionSecret, {
          secure: config.secureCookies,
          expires: new Date(result.expiresAt),
        }),
      );
      return { user: result.user, csrfToken: result.csrfToken, via: 'session' as const };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags,
        summary: 'End the current web session',
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const secret = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (secret !== null) await accounts.logout(db, secret);
      void reply.header(
        'set-cookie',
        setCookieHeader(SESSION_COOKIE, '', { secure: config.secureCookies, expires: new Date(0) }),
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags,
        summary: 'The signed-in user, and the CSRF token for cookie sessions',
        response: { 200: SessionInfoSchema, ...problemResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const user = await accounts.getUserById(db, actor.id);
      if (!user) throw new Unauthorized();
      return { user, csrfToken: request.auth?.csrfToken ?? null, via: request.auth?.via ?? 'token' };
    },
  );

  app.post(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token for yourself (the secret is shown once)',
        body: CreateTokenSchema,
        response: { 201: CreatedTokenSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await inTransaction(db, (trx) =>
        accounts.createToken(trx, actorOf(request), request.body),
      );
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/tokens',
    {
      schema: {
        tags,
        summary: 'Your active API tokens',
        response: { 200: Type.Array(TokenSchema), ...problemResponses },
      },
    },
    async (request) => accounts.listTokens(db, actorOf(request)),
  );

  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke one of your API tokens',
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await inTransaction(db, (trx) => accounts.revokeToken(trx, actorOf(request), request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags,
        summary: 'Create a user (admins)',
        body: CreateUserSchema,
        response: { 201: UserSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const user = await inTransaction(db, (trx) => accounts.createUser(trx, actorOf(request), request.body));
      return reply.code(201).send(user);
    },
  );

  app.get(
    '/api/users',
    {
      schema: {
        tags,
        summary: 'List users (admins)',
        querystring: PageQuery,
        response: { 200: UsersPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      accounts.listUsers(db, actorOf(request), {
        limit: request.query.limit ?? 50,
        cursor: request.query.cursor ?? null,
      }),
  );

  app.get(
    '/api/users/:id',
    {
      schema: {
        tags,
        summary: 'One user (admins, or yourself)',
        params: IdParams,
        response: { 200: UserSchema, ...problemResponses },
      },
    },
    async (request) => accounts.getUser(db, actorOf(request), request.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags,
        summary: 'Change a user: email, password, role, display name, active (admins)',
        params: IdParams,
        body: UpdateUserSchema,
        response: { 200: UserSchema, ...problemResponses },
      },
    },
    async (request) =>
      inTransaction(db, (trx) => accounts.updateUser(trx, actorOf(request), request.params.id, request.body)),
  );
}
