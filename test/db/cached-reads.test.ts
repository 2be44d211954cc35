/**
 * `compiledOnce(…, { cache: true })` answers from memory until the database changes; every kind of write this
 * process makes through Kysely must end the cached answers, a write that reads rows back (RETURNING) too.
 */
import { describe, expect, it } from 'vitest';
import { compiledOnce } from '../../src/db/read-cache.js';
import { dialectAvailable, dialects, useTestDatabase } from '../support/databases.js';
import { buildUser } from '../support/factories.js';

const displayNameOf = compiledOnce(
  (db, id) => db.selectFrom('users').select('display_name').where('id', '=', id),
  { cache: true },
);

describe.each(dialects)('cached reads on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const database = useTestDatabase(dialect);

    it('sees an update made outside a transaction, with and without RETURNING', async () => {
      const user = await buildUser(database.db);
      const read = async () => (await displayNameOf(database.db, user.id))[0]?.display_name;
      expect(await read()).toBe(user.displayName);

      await database.db
        .updateTable('users')
        .set({ display_name: 'Renamed' })
        .where('id', '=', user.id)
        .execute();
      expect(await read()).toBe('Renamed');

      const returned = await database.db
        .updateTable('users')
        .set({ display_name: 'Renamed again' })
        .where('id', '=', user.id)
        .returning('display_name')
        .execute();
      expect(returned).toEqual([{ display_name: 'Renamed again' }]);
      expect(await read()).toBe('Renamed again');
    });

    it('sees a committed transaction and not a rolled-back one', async () => {
      const user = await buildUser(database.db);
      const read = async () => (await displayNameOf(database.db, user.id))[0]?.display_name;
      expect(await read()).toBe(user.displayName);
      await database.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({ display_name: 'In a transaction' })
          .where('id', '=', user.id)
          .execute();
      });
      expect(await read()).toBe('In a transaction');
      await expect(
        database.db.transaction().execute(async (trx) => {
          await trx
            .updateTable('users')
            .set({ display_name: 'Rolled back' })
            .where('id', '=', user.id)
            .execute();
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await read()).toBe('In a transaction');
    });
  });
});
