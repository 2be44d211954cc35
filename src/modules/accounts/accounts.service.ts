/**
 * Accounts (seed: lims-hpc Users; bionet userDB): users with system roles, web sessions and API tokens.
 * Secrets (passwords, tokens, session cookies) are stored only as hashes.
 */
import { hash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { newId, nowIso, toFlag } from '../../db/columns.js';
import { fetchPage } from '../../db/paging.js';
import {
  EmailTaken,
  Forbidden,
  Invalid,
  NotFound,
  Unauthorized,
  UsernameTaken,
} from '../../errors/catalogue.js';
import { recordChange } from '../audit/audit.service.js';
import * as repo from './accounts.repository.js';
import type { UserRow } from './accounts.repository.js';
import type { CreateUser, Token, UpdateUser, User } from './accounts.schema.js';
import { isAdmin, type Actor } from './actor.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './password.js';

export interface AuthContext {
  readonly user: Actor;
  readonly via: 'session' | 'token';
  /** The session's CSRF token (cookie sessions only). */
  readonly csrfToken: string | null;
}

const TOKEN_TOUCH_INTERVAL_MS = 60_000;

function sha256(value: string): string {
  return hash('sha256', value, 'hex');
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
  };
}

/** The audit view of a user: everything but the password hash. */
function auditView(row: UserRow): Omit<UserRow, 'password_hash'> {
  const { password_hash: _hash, ...rest } = row;
  return rest;
}

function requireAdmin(actor: Actor | null): void {
  if (actor !== null && !isAdmin(actor)) throw new Forbidden('Only administrators manage users');
}

/** Creates a user. `actor` null means the system (CLI); otherwise it must be an admin. */
export async function createUser(trx: Db, actor: Actor | null, input: CreateUser): Promise<User> {
  requireAdmin(actor);
  const username = input.username.toLowerCase();
  const email = input.email.toLowerCase();
  if (await repo.findUserByUsername(trx, username)) throw new UsernameTaken(username);
  if (await repo.findUserByEmail(trx, email)) throw new EmailTaken(email);
  const now = nowIso();
  const row: UserRow = {
    id: newId(),
    username,
    email,
    display_name: input.displayName ?? null,
    password_hash: await hashPassword(input.password),
    role: input.role ?? 'user',
    active: 1,
    is_agent: 0,
    created_at: now,
    updated_at: now,
    last_login_at: null,
  };
  await repo.insertUser(trx, row);
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'user',
    entityId: row.id,
    after: auditView(row),
  });
  return toUser(row);
}

/** Changes a user (admins only). Deactivating ends the user's web sessions; their tokens stop working. */
export async function updateUser(trx: Db, actor: Actor, id: string, changes: UpdateUser): Promise<User> {
  requireAdmin(actor);
  const before = await repo.findUserById(trx, id);
  if (!before) throw new NotFound('User', id);
  if (
    id === actor.id &&
    (changes.active === false || (changes.role !== undefined && changes.role !== 'admin'))
  ) {
    throw new Invalid('You cannot deactivate or demote yourself', [
      { field: 'active', message: 'own account' },
    ]);
  }
  const email = changes.email?.toLowerCase();
  if (email !== undefined && email !== before.email && (await repo.findUserByEmail(trx, email))) {
    throw new EmailTaken(email);
  }
  const update = {
    ...(email !== undefined && { email }),
    ...(changes.role !== undefined && { role: changes.role }),
    ...(changes.displayName !== undefined && { display_name: changes.displayName }),
    ...(changes.active !== undefined && { active: toFlag(changes.active) }),
    ...(changes.password !== undefined && { password_hash: await hashPassword(changes.password) }),
    updated_at: nowIso(),
  };
  await repo.updateUser(trx, id, update);
  if (changes.active === false || changes.password !== undefined) await repo.deleteSessionsOfUser(trx, id);
  const after = { ...before, ...update };
  await recordChange(trx, actor, {
    action: 'update',
    entityType: 'user',
    entityId: id,
    before: auditView(before),
    after: auditView(after),
  });
  return toUser(after);
}

export async function getUser(db: Db, actor: Actor, id: string): Promise<User> {
  if (!isAdmin(actor) && actor.id !== id) throw new Forbidden('Only administrators see other users');
  const row = await repo.findUserById(db, id);
  if (!row) throw new NotFound('User', id);
  return toUser(row);
}

export async function listUsers(
  db: Db,
  actor: Actor,
  page: { limit: number; cursor: string | null },
): Promise<{ items: User[]; nextCursor: string | null }> {
  requireAdmin(actor);
  const users = await fetchPage(
    page.limit,
    (limit) => repo.listUsers(db, { limit, after: page.cursor }),
    (last) => last.username,
  );
  return { items: users.items.map(toUser), nextCursor: users.nextCursor };
}

/** Finds a user by username for other modules (project membership); throws NotFound. */
export async function getUserByUsername(db: Db, username: string): Promise<User> {
  const row = await repo.findUserByUsername(db, username.toLowerCase());
  if (!row) throw new NotFound('User', username);
  return toUser(row);
}

export async function getUserById(db: Db, id: string): Promise<User | undefined> {
  const row = await repo.findUserById(db, id);
  return row && toUser(row);
}

export interface LoginResult {
  user: User;
  /** The cookie value: given to the browser, stored only hashed. */
  sessionSecret: string;
  csrfToken: string;
  expiresAt: string;
}

/**
 * Checks a username and password and opens a web session. Every failure — unknown user, wrong password,
 * deactivated account — gets the same message.
 */
export async function login(
  trx: Db,
  throttle: LoginThrottle,
  input: { username: string; password: string; ip: string; userAgent: string | null; ttlHours: number },
): Promise<LoginResult> {
  const username = input.username.toLowerCase();
  throttle.check(username, input.ip);
  const row = await repo.findUserByUsername(trx, username);
  const passwordOk = await verifyPassword(row?.password_hash ?? null, input.password);
  if (!row || !passwordOk || row.active !== 1) {
    throttle.recordFailure(username, input.ip);
    throw new Unauthorized('Invalid username or password');
  }
  throttle.recordSuccess(username, input.ip);
  const now = new Date();
  const sessionSecret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + input.ttlHours * 3600_000).toISOString();
  await repo.insertSession(trx, {
    id: sha256(sessionSecret),
    user_id: row.id,
    csrf_token: csrfToken,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    ip: input.ip,
    user_agent: input.userAgent?.slice(0, 500) ?? null,
  });
  await repo.updateUser(trx, row.id, { last_login_at: now.toISOString() });
  return { user: toUser({ ...row, last_login_at: now.toISOString() }), sessionSecret, csrfToken, expiresAt };
}

export async function logout(db: Db, sessionSecret: string): Promise<void> {
  await repo.deleteSession(db, sha256(sessionSecret));
}

const lastTouched = new Map<string, number>();

/**
 * Hashes of recently presented credentials (a secret is stored only as its hash; every request presents one,
 * so hashing it again each time shows on the busiest read). Bounded, and emptied when full.
 */
const credentialHashes = new Map<string, string>();
const MAX_CREDENTIAL_HASHES = 10_000;

function credentialHash(secret: string): string {
  let digest = credentialHashes.get(secret);
  if (digest === undefined) {
    if (credentialHashes.size >= MAX_CREDENTIAL_HASHES) credentialHashes.clear();
    digest = sha256(secret);
    credentialHashes.set(secret, digest);
  }
  return digest;
}

const isExpired = (expiresAt: string | null) => expiresAt !== null && expiresAt <= nowIso();

/** Resolves a bearer token or a session cookie to the acting user; null when neither is valid. */
export async function authenticate(
  db: Db,
  credentials: { bearer: string | null; sessionSecret: string | null },
): Promise<AuthContext | null> {
  if (credentials.bearer !== null) {
    const owner = await repo.findTokenOwner(db, credentialHash(credentials.bearer));
    if (!owner || owner.active !== 1 || isExpired(owner.expires_at)) return null;
    const touched = lastTouched.get(owner.credential_id) ?? 0;
    if (Date.now() - touched > TOKEN_TOUCH_INTERVAL_MS) {
      lastTouched.set(owner.credential_id, Date.now());
      await repo.touchToken(db, owner.credential_id, nowIso());
    }
    return { user: toActor(owner), via: 'token', csrfToken: null };
  }
  if (credentials.sessionSecret !== null) {
    const owner = await repo.findSessionOwner(db, credentialHash(credentials.sessionSecret));
    if (!owner || owner.active !== 1 || isExpired(owner.expires_at)) return null;
    return { user: toActor(owner), via: 'session', csrfToken: owner.csrf_token ?? null };
  }
  return null;
}

function toActor(owner: repo.CredentialOwnerRow): Actor {
  return {
    id: owner.user_id,
    username: owner.username,
    role: owner.role,
    isAgent: owner.is_agent === 1,
    requestId: null,
  };
}

function toToken(row: repo.TokenRow): Token {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}

/** Creates an API token for the acting user; the secret is returned once. */
export function createToken(
  trx: Db,
  actor: Actor,
  input: { name: string; expiresAt?: string | undefined },
): Promise<{ id: string; name: string; token: string }> {
  return issueToken(trx, actor, actor.id, input);
}

async function issueToken(
  trx: Db,
  actor: Actor,
  ownerId: string,
  input: { name: string; expiresAt?: string | undefined },
): Promise<{ id: string; name: string; token: string }> {
  if (input.expiresAt !== undefined && new Date(input.expiresAt).getTime() <= Date.now()) {
    throw new Invalid('expiresAt must be in the future', [{ field: 'expiresAt', message: 'in the past' }]);
  }
  const token = `cairn_${randomBytes(32).toString('base64url')}`;
  const row: repo.TokenRow = {
    id: newId(),
    user_id: ownerId,
    name: input.name,
    token_hash: sha256(token),
    prefix: token.slice(0, 12),
    created_at: nowIso(),
    expires_at: input.expiresAt === undefined ? null : new Date(input.expiresAt).toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await repo.insertToken(trx, row);
  const { token_hash: _hash, ...audited } = row;
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'api_token',
    entityId: row.id,
    after: audited,
  });
  return { id: row.id, name: row.name, token };
}

/**
 * Creates a machine account for an HPC agent (admins; `actor` null is the system): role `user`, no usable
 * password (a random one nobody is shown), and `is_agent`, so that its tokens reach the agent routes only.
 */
export async function createAgentAccount(
  trx: Db,
  actor: Actor | null,
  input: { username: string; displayName: string },
): Promise<User> {
  requireAdmin(actor);
  const username = input.username.toLowerCase();
  if (await repo.findUserByUsername(trx, username)) throw new UsernameTaken(username);
  const now = nowIso();
  const row: UserRow = {
    id: newId(),
    username,
    email: `${username}@agents.cairn.invalid`,
    display_name: input.displayName,
    password_hash: await hashPassword(randomBytes(32).toString('base64url')),
    role: 'user',
    active: 1,
    is_agent: 1,
    created_at: now,
    updated_at: now,
    last_login_at: null,
  };
  await repo.insertUser(trx, row);
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'user',
    entityId: row.id,
    after: auditView(row),
  });
  return toUser(row);
}

/** Issues an API token for an agent's machine account (admins); the secret is returned once. */
export async function createAgentToken(
  trx: Db,
  actor: Actor,
  agentUserId: string,
  input: { name: string; expiresAt?: string | undefined },
): Promise<{ id: string; name: string; token: string }> {
  requireAdmin(actor);
  const user = await repo.findUserById(trx, agentUserId);
  if (!user || user.is_agent !== 1) throw new NotFound('Agent account', agentUserId);
  return issueToken(trx, actor, agentUserId, input);
}

export async function listTokens(db: Db, actor: Actor): Promise<Token[]> {
  return (await repo.listTokensOfUser(db, actor.id)).map(toToken);
}

/** Revokes one of the acting user's tokens (admins may revoke anyone's). */
export async function revokeToken(trx: Db, actor: Actor, id: string): Promise<void> {
  const row = await repo.findToken(trx, id);
  if (!row || row.revoked_at !== null || (row.user_id !== actor.id && !isAdmin(actor))) {
    throw new NotFound('Token', id);
  }
  const at = nowIso();
  await repo.revokeToken(trx, id, at);
  await recordChange(trx, actor, {
    action: 'revoke',
    entityType: 'api_token',
    entityId: id,
    before: toToken(row),
    after: { ...toToken(row), revokedAt: at },
  });
}

/** The system actor for a user named on the command line (CLI commands act as that user). */
export async function actorFor(db: Db, username: string): Promise<Actor> {
  const user = await getUserByUsername(db, username);
  if (!user.active) throw new Forbidden(`User ${username} is deactivated`);
  return { id: user.id, username: user.username, role: user.role, requestId: null };
}

/**
 * Makes sure an `admin` account exists. Returns the generated password when one had to be made up
 * (to print once), null when the account existed or the password came from configuration.
 */
export async function ensureAdmin(
  trx: Db,
  configuredPassword: string | null,
): Promise<{ created: boolean; generatedPassword: string | null }> {
  if (await repo.findUserByUsername(trx, 'admin')) return { created: false, generatedPassword: null };
  const generatedPassword = configuredPassword === null ? randomBytes(12).toString('base64url') : null;
  await createUser(trx, null, {
    username: 'admin',
    email: 'admin@cairn.local',
    password: configuredPassword ?? generatedPassword ?? '',
    role: 'admin',
    displayName: 'Administrator',
  });
  return { created: true, generatedPassword };
}

/** Removes expired web sessions (run by a scheduled task). */
export function purgeExpiredSessions(db: Db): Promise<number> {
  return repo.deleteExpiredSessions(db, nowIso());
}

export interface UserSummary {
  id: string;
  username: string;
}

// Usernames never change once created, so id → username is safe to keep for the life of the process.
const usernameCache = new Map<string, string>();

/** Usernames of users by id (other modules show who manages or changed things); cached in memory. */
export async function summarizeUsers(db: Db, ids: readonly string[]): Promise<Map<string, UserSummary>> {
  const result = new Map<string, UserSummary>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const username = usernameCache.get(id);
    if (username === undefined) missing.push(id);
    else result.set(id, { id, username });
  }
  for (const row of await repo.findUsersByIds(db, missing)) {
    if (usernameCache.size > 100_000) usernameCache.clear();
    usernameCache.set(row.id, row.username);
    result.set(row.id, { id: row.id, username: row.username });
  }
  return result;
}

/** Full public descriptions of users by id (uncached: display names and roles can change). */
export async function describeUsers(db: Db, ids: readonly string[]): Promise<Map<string, User>> {
  const rows = await repo.findUsersByIds(db, [...new Set(ids)]);
  return new Map(rows.map((row) => [row.id, toUser(row)]));
}
