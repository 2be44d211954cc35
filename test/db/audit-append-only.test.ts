import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { recordChange } from '../../src/modules/audit/audit.service.js';
import { createProject } from '../../src/modules/projects/projects.service.js';
import { dialectAvailable, dialects, useTestDatabase } from '../support/databases.js';
import { actorOfUser, buildUser } from '../support/factories.js';

describe.each(dialects)('audit trail on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const database = useTestDatabase(dialect);

    it('is append-only: the database itself refuses UPDATE and DELETE', async () => {
      await inTransaction(database.db, (trx) =>
        recordChange(trx, null, { action: 'create', entityType: 'thing', entityId: 't1', after: { a: 1 } }),
      );
      await expect(sql`update audit_events set action = 'forged'`.execute(database.db)).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`delete from audit_events`.execute(database.db)).rejects.toThrow(/append-only/);
      if (dialect === 'postgres') {
        await expect(sql`truncate audit_events`.execute(database.db)).rejects.toThrow(/append-only/);
      }
      const rows = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_id', '=', 't1')
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.action).toBe('create');
    });

    it('commits or rolls back together with the change it records', async () => {
      const user = await buildUser(database.db);
      await expect(
        inTransaction(database.db, async (trx) => {
          await createProject(trx, actorOfUser(user), { name: 'Rolled back' });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const projects = await database.db
        .selectFrom('projects')
        .selectAll()
        .where('name', '=', 'Rolled back')
        .execute();
      expect(projects).toHaveLength(0);
      const events = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('entity_type', '=', 'project')
        .where('actor_id', '=', user.id)
        .execute();
      expect(events).toHaveLength(0);
    });
  });
});
