/**
 * The bulk paths' own statements (db/bulk-insert.ts, db/bulk-lookup.ts): multi-row inserts and many-value
 * lookups give back exactly what went in — text that array literals and placeholders must not bend (quotes,
 * backslashes, braces, commas, the word NULL, empty text), nulls, numbers — on both databases.
 */
import { describe, expect, it } from 'vitest';
import { insertRows } from '../../src/db/bulk-insert.js';
import { selectWhereIn } from '../../src/db/bulk-lookup.js';
import { AUDIT_COLUMNS } from '../../src/modules/audit/audit.repository.js';
import { dialectAvailable, dialects, useTestDatabase } from '../support/databases.js';

const AWKWARD = [
  'plain',
  '',
  'NULL',
  'null',
  '{a,b}',
  '"quoted", with a comma',
  'back\\slash \\" and a quote',
  'line\nbreak\ttab',
  "it's",
  'µl ☃ 𝄞',
  '  spaced  ',
];

const COLUMNS = AUDIT_COLUMNS;

describe.each(dialects)('bulk writes on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const database = useTestDatabase(dialect);

    it('inserts many rows in one statement and reads every value back as it was', async () => {
      const rows = Array.from({ length: 1200 }, (_, index) => ({
        occurred_at: `2026-11-23T12:00:00.${String(index % 1000).padStart(3, '0')}Z`,
        actor_id: null,
        action: 'create',
        entity_type: 'bulk-test',
        entity_id: `entity-${index}`,
        project_id: index % 2 === 0 ? null : (AWKWARD[index % AWKWARD.length] ?? null),
        before: null,
        after: JSON.stringify({ text: AWKWARD[index % AWKWARD.length], index }),
        request_id: AWKWARD[(index + 3) % AWKWARD.length] ?? null,
      }));
      await insertRows(database.db, 'audit_events', COLUMNS, rows);

      const stored = await database.db
        .selectFrom('audit_events')
        .select(COLUMNS)
        .where('entity_type', '=', 'bulk-test')
        .orderBy('id')
        .execute();
      expect(stored).toEqual(rows);
    });

    it('finds rows by many values, each distinct value once', async () => {
      const values = [...AWKWARD, ...Array.from({ length: 6000 }, (_, index) => `lookup-${index}`)];
      const rows = values.map((value) => ({
        occurred_at: '2026-11-23T12:00:00.000Z',
        actor_id: null,
        action: 'create',
        entity_type: 'lookup-test',
        entity_id: value,
        project_id: null,
        before: null,
        after: null,
        request_id: null,
      }));
      // In batches, as the callers keep SQLite's statements under its 32,766 parameters.
      for (let start = 0; start < rows.length; start += 1000)
        await insertRows(database.db, 'audit_events', COLUMNS, rows.slice(start, start + 1000));
      // 6,011 values and some twice: more than one chunk of 5,000, and a value absent from the table.
      const wanted = [...values, ...AWKWARD, 'absent'];
      const found = await selectWhereIn<{ entity_id: string }>(
        database.db,
        "select entity_id from audit_events where entity_type = 'lookup-test' and",
        'entity_id',
        wanted,
      );
      expect(found.map((row) => row.entity_id).sort()).toEqual([...values].sort());
    });
  });
});
