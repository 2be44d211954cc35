/**
 * `isOneOf` binds a set of values as one parameter on both databases: more values than SQLite allows
 * parameters, and values that an array literal or JSON would have to escape, match exactly.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOneOf } from '../../src/db/one-of.js';
import { createTestDatabase, dialectAvailable, dialects, type TestDatabase } from '../support/databases.js';

const AWKWARD = ['a,b', '"quoted"', '{braced}', 'back\\slash', "it's", 'NULL', ' padded ', 'ünï', '[1]'];

describe.each(dialects)('isOneOf on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => database?.destroy());

    const candidates = () =>
      sql.join(
        [...AWKWARD, 'plain', 'other'].map((value) => sql`select ${value} as v`),
        sql` union all `,
      );
    const matching = async (values: readonly string[]) => {
      const { db } = database;
      const result = await sql<{
        v: string;
      }>`select t.v from (${candidates()}) as t where ${isOneOf(db, 't.v', values)}`.execute(db);
      return result.rows.map((row) => row.v).sort();
    };

    it('matches values that arrays and JSON escape, and nothing else', async () => {
      expect(await matching([...AWKWARD, 'absent'])).toEqual([...AWKWARD].sort());
      expect(await matching(['a', 'b', 'quoted', 'braced'])).toEqual([]);
    });

    it('matches nothing for no values', async () => {
      expect(await matching([])).toEqual([]);
    });

    it('takes more values than SQLite allows parameters, as one', async () => {
      const many = Array.from({ length: 40_000 }, (_, i) => `value ${i}`);
      expect(await matching([...many, 'plain'])).toEqual(['plain']);
    });
  });
});
