/** Test factories: valid objects with overrides, made through the services (so they are audited too). */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/database.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createUser } from '../../src/modules/accounts/accounts.service.js';
import type { CreateUser, User } from '../../src/modules/accounts/accounts.schema.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import type { CreateProject, Project } from '../../src/modules/projects/projects.schema.js';
import { createProject } from '../../src/modules/projects/projects.service.js';

export const TEST_PASSWORD = 'correct horse battery';

export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export async function buildUser(db: Db, overrides: Partial<CreateUser> = {}): Promise<User> {
  const username = overrides.username ?? uniqueName('user');
  return inTransaction(db, (trx) =>
    createUser(trx, null, {
      username,
      email: `${username}@test.local`,
      password: TEST_PASSWORD,
      role: 'user',
      ...overrides,
    }),
  );
}

export function actorOfUser(user: User): Actor {
  return { id: user.id, username: user.username, role: user.role, requestId: null };
}

export async function buildProject(
  db: Db,
  manager: User,
  overrides: Partial<CreateProject> = {},
): Promise<Project> {
  return inTransaction(db, (trx) =>
    createProject(trx, actorOfUser(manager), { name: uniqueName('Project '), ...overrides }),
  );
}
