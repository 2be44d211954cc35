/** Test factories: valid objects with overrides, made through the services (so they are audited too). */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/db/database.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createUser } from '../../src/modules/accounts/accounts.service.js';
import type { CreateUser, User } from '../../src/modules/accounts/accounts.schema.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import type { CreateProject, Member, Project } from '../../src/modules/projects/projects.schema.js';
import { addMember, createProject } from '../../src/modules/projects/projects.service.js';

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

/** A project that `manager` manages, with the `members` given in the roles given. */
export async function buildProject(
  db: Db,
  manager: User,
  overrides: Partial<CreateProject> & { members?: ReadonlyArray<readonly [User, Member['role']]> } = {},
): Promise<Project> {
  const { members = [], ...input } = overrides;
  const actor = actorOfUser(manager);
  return inTransaction(db, async (trx) => {
    const project = await createProject(trx, actor, { name: uniqueName('Project '), ...input });
    for (const [member, role] of members) {
      await addMember(trx, actor, project.id, { username: member.username, role });
    }
    return project;
  });
}
