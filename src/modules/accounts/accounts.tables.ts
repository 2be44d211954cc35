import type { Generated } from 'kysely';

/** Kysely table types of the accounts module: users, API tokens and web sessions. Timestamps are ISO-8601 text. */

export type SystemRole = 'admin' | 'staff' | 'user';

export interface UsersTable {
  id: string;
  username: string;
  email: string;
  display_name: string | null;
  password_hash: string;
  role: SystemRole;
  /** 1 active, 0 deactivated (integers keep booleans portable across SQLite and PostgreSQL). */
  active: number;
  /** 1 for a machine account serving HPC resources as their agent: it reaches the agent routes only. */
  is_agent: Generated<number>;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 (hex) of the secret; the secret itself is shown once and never stored. */
  token_hash: string;
  /** The first characters of the secret, to tell tokens apart in a list. */
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface WebSessionsTable {
  /** SHA-256 (hex) of the cookie value. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface AccountsTables {
  users: UsersTable;
  api_tokens: ApiTokensTable;
  web_sessions: WebSessionsTable;
}
