/**
 * The access line of src/modules/inventory/item-access.ts, in each of its three forms (one item, fetched rows,
 * a list's scope), for every kind of caller and owner: lab-wide items are everyone's; a live project's items
 * are its members' and manager's to change and its viewers' to see; a deleted project's are admins' alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { Forbidden, NotFound } from '../../src/errors/catalogue.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import {
  assertItemAccess,
  inScope,
  ProjectAccess,
  projectScopeOf,
  type ItemAccess,
} from '../../src/modules/inventory/item-access.js';
import { addMember, deleteProject } from '../../src/modules/projects/projects.service.js';
import { createTestDatabase, dialectAvailable, dialects, type TestDatabase } from '../support/databases.js';
import { actorOfUser, buildProject, buildUser } from '../support/factories.js';

type Caller = 'admin' | 'manager' | 'member' | 'viewer' | 'outsider';
type Owner = 'lab-wide' | 'live project' | 'deleted project';

const expected: Record<Owner, Record<Caller, ItemAccess>> = {
  'lab-wide': { admin: 'write', manager: 'write', member: 'write', viewer: 'write', outsider: 'write' },
  'live project': { admin: 'write', manager: 'write', member: 'write', viewer: 'read', outsider: 'none' },
  'deleted project': { admin: 'write', manager: 'none', member: 'none', viewer: 'none', outsider: 'none' },
};

const cases = (Object.keys(expected) as Owner[]).flatMap((owner) =>
  (Object.keys(expected[owner]) as Caller[]).map((caller) => ({
    owner,
    caller,
    access: expected[owner][caller],
  })),
);

/** What `assertItemAccess` answers: 'ok', or the error it throws. */
async function outcome(check: Promise<void>): Promise<'ok' | 'NotFound' | 'Forbidden'> {
  try {
    await check;
    return 'ok';
  } catch (error) {
    if (error instanceof NotFound) return 'NotFound';
    if (error instanceof Forbidden) return 'Forbidden';
    throw error;
  }
}

describe.each(dialects)('the access line on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    let database: TestDatabase;
    const callers = new Map<Caller, Actor>();
    const owners = new Map<Owner, string | null>();

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const db = database.db;
      const managerUser = await buildUser(db);
      callers.set('manager', actorOfUser(managerUser));
      for (const caller of ['admin', 'member', 'viewer', 'outsider'] as const) {
        const user = await buildUser(db, { role: caller === 'admin' ? 'admin' : 'user' });
        callers.set(caller, actorOfUser(user));
      }
      const manager = actorOfUser(managerUser);
      const live = await buildProject(db, managerUser);
      const deleted = await buildProject(db, managerUser);
      await inTransaction(db, async (trx) => {
        for (const projectId of [live.id, deleted.id]) {
          await addMember(trx, manager, projectId, {
            username: callers.get('member')!.username,
            role: 'member',
          });
          await addMember(trx, manager, projectId, {
            username: callers.get('viewer')!.username,
            role: 'viewer',
          });
        }
        await deleteProject(trx, manager, deleted.id);
      });
      owners.set('lab-wide', null).set('live project', live.id).set('deleted project', deleted.id);
    });
    afterAll(async () => database?.destroy());

    it.each(cases)('$caller, item of a $owner: $access', async ({ owner, caller, access }) => {
      const db = database.db;
      const actor = callers.get(caller)!;
      const projectId = owners.get(owner)!;
      const item = { id: 'p-access-line', project_id: projectId };

      const rows = await ProjectAccess.load(db, actor, [projectId]);
      expect(rows.of(projectId)).toBe(access);
      expect(rows.maySee(projectId)).toBe(access !== 'none');
      expect(rows.mayChange(projectId)).toBe(access === 'write');

      expect(inScope(await projectScopeOf(db, actor), projectId)).toBe(access !== 'none');

      expect(await outcome(assertItemAccess(db, actor, item, 'read'))).toBe(
        access === 'none' ? 'NotFound' : 'ok',
      );
      expect(await outcome(assertItemAccess(db, actor, item, 'write'))).toBe(
        { none: 'NotFound', read: 'Forbidden', write: 'ok' }[access],
      );
    });
  });
});
