/** All SQL for the accounts tables: users, api_tokens, web_sessions. */
import type { Selectable, Updateable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { compiledOnce } from '../../db/read-cache.js';
import type { AccountsTables, ApiTokensTable, UsersTable, WebSessionsTable } from './accounts.tables.js';

/** The handle with the accounts module's tables only. */
const accountsTables = (db: Db) => tablesOf<AccountsTables>(db);

export type UserRow = Selectable<UsersTable>;
export type TokenRow = Selectable<ApiTokensTable>;

/** What authentication needs in one query: the user behind a token or session. */
export interface CredentialOwnerRow {
  credential_id: string;
  user_id: string;
  username: string;
  role: UsersTable['role'];
  active: number;
  is_agent: number;
  expires_at: string | null;
  last_used_at?: string | null;
  csrf_token?: string;
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return accountsTables(db).selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return accountsTables(db)
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return accountsTables(db).selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function insertUser(db: Db, row: UserRow): Promise<void> {
  await accountsTables(db).insertInto('users').values(row).execute();
}

export async function updateUser(db: Db, id: string, changes: Updateable<UsersTable>): Promise<void> {
  await accountsTables(db).updateTable('users').set(changes).where('id', '=', id).execute();
}

export function listUsers(db: Db, opts: { limit: number; after: string | null }): Promise<UserRow[]> {
  let query = accountsTables(db).selectFrom('users').selectAll().orderBy('username').limit(opts.limit);
  if (opts.after !== null) query = query.where('username', '>', opts.after);
  return query.execute();
}

export async function insertToken(db: Db, row: TokenRow): Promise<void> {
  await accountsTables(db).insertInto('api_tokens').values(row).execute();
}

export function listTokensOfUser(db: Db, userId: string): Promise<TokenRow[]> {
  return accountsTables(db)
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

export function findToken(db: Db, id: string): Promise<TokenRow | undefined> {
  return accountsTables(db).selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function revokeToken(db: Db, id: string, at: string): Promise<void> {
  await accountsTables(db).updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
}

export async function touchToken(db: Db, id: string, at: string): Promise<void> {
  await accountsTables(db).updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

const tokenOwnerQuery = compiledOnce(
  (db, tokenHash) =>
    accountsTables(db)
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select([
        'api_tokens.id as credential_id',
        'api_tokens.expires_at',
        'api_tokens.last_used_at',
        'users.id as user_id',
        'users.username',
        'users.role',
        'users.active',
        'users.is_agent',
      ])
      .where('api_tokens.token_hash', '=', tokenHash)
      .where('api_tokens.revoked_at', 'is', null),
  { cache: true },
);

export async function findTokenOwner(db: Db, tokenHash: string): Promise<CredentialOwnerRow | undefined> {
  return (await tokenOwnerQuery(db, tokenHash))[0];
}

export async function insertSession(db: Db, row: Selectable<WebSessionsTable>): Promise<void> {
  await accountsTables(db).insertInto('web_sessions').values(row).execute();
}

const sessionOwnerQuery = compiledOnce(
  (db, sessionHash) =>
    accountsTables(db)
      .selectFrom('web_sessions')
      .innerJoin('users', 'users.id', 'web_sessions.user_id')
      .select([
        'web_sessions.id as credential_id',
        'web_sessions.expires_at',
        'web_sessions.csrf_token',
        'users.id as user_id',
        'users.username',
        'users.role',
        'users.active',
        'users.is_agent',
      ])
      .where('web_sessions.id', '=', sessionHash),
  { cache: true },
);

/** The user behind a browser session, answered from the per-change cache on SQLite (see compiledOnce). */
export async function findSessionOwner(db: Db, sessionHash: string): Promise<CredentialOwnerRow | undefined> {
  return (await sessionOwnerQuery(db, sessionHash))[0];
}

export async function deleteSession(db: Db, sessionHash: string): Promise<void> {
  await accountsTables(db).deleteFrom('web_sessions').where('id', '=', sessionHash).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: string): Promise<void> {
  await accountsTables(db).deleteFrom('web_sessions').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: Db, now: string): Promise<number> {
  const result = await accountsTables(db)
    .deleteFrom('web_sessions')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function findUsersByIds(db: Db, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return accountsTables(db).selectFrom('users').selectAll().where('id', 'in', ids).execute();
}
