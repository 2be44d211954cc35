import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connectDatabase } from '../../src/db/database.js';
import { migrateToLatest, migrations } from '../../src/db/migrate.js';
import { itemPaths } from '../../src/db/migrations/0005-item-paths.js';
import { dnaSequences } from '../../src/db/migrations/0015-dna-sequences.js';
import { dialectAvailable, dialects, useTestDatabase } from '../support/databases.js';
import { runCairn } from '../support/cairn-cli.js';
import { pgUrlFor, withPgAdmin } from '../support/postgres.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Runs `cairn migrate` in a separate process (real concurrency: two processes, one database). */
async function migrateInChildProcess(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const result = await runCairn(['migrate'], { env: { ...process.env, CAIRN_LOG_LEVEL: 'info', ...env } });
  return { code: result.status, output: result.stdout + result.stderr };
}

describe.each(dialects)('migrations on %s', { timeout: 120_000 }, (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const database = useTestDatabase(dialect);

    it('are recorded once and a second run applies nothing', async () => {
      expect(await migrateToLatest(database)).toEqual([]);
      const applied = await database.db
        .selectFrom('cairn_migrations' as never)
        .select('name' as never)
        .execute();
      expect(applied).toHaveLength(migrations.length);
    });

    it('run by two processes starting at once on an empty database are applied exactly once', async () => {
      let env: Record<string, string>;
      let cleanup: () => Promise<void>;
      if (dialect === 'sqlite') {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-migrate-'));
        env = { CAIRN_DATA_DIR: dir, DATABASE_URL: '' };
        cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
      } else {
        const name = `cairn_test_migrate_${process.pid}`;
        await withPgAdmin((client) =>
          client.query(`drop database if exists ${name}`).then(() => client.query(`create database ${name}`)),
        );
        env = { DATABASE_URL: pgUrlFor(name) };
        cleanup = () =>
          withPgAdmin((client) => client.query(`drop database if exists ${name} with (force)`)).then(
            () => undefined,
          );
      }
      try {
        const results = await Promise.all([migrateInChildProcess(env), migrateInChildProcess(env)]);
        for (const result of results) expect(result.code, result.output).toBe(0);
        const appliedBy = results.filter((r) => r.output.includes('migrations applied'));
        expect(appliedBy).toHaveLength(1);
        const handle = connectDatabase(
          dialect === 'sqlite'
            ? { dialect, databaseUrl: null, sqlitePath: path.join(env.CAIRN_DATA_DIR ?? '', 'cairn.db') }
            : { dialect, databaseUrl: env.DATABASE_URL ?? null, sqlitePath: '' },
        );
        const rows = await handle.db
          .selectFrom('cairn_migrations' as never)
          .select('name' as never)
          .execute();
        await handle.destroy();
        expect(rows).toHaveLength(migrations.length);
      } finally {
        await cleanup();
      }
    });
  });
});

describe.each(dialects)('0005-item-paths on %s', { timeout: 120_000 }, (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const database = useTestDatabase(dialect, { migrated: false });

    it('gives every physical of an existing inventory its path and drops the closure table', async () => {
      const db = database.db as unknown as Parameters<typeof itemPaths.up>[0];
      const before = migrations.slice(0, migrations.indexOf(itemPaths));
      for (const migration of before) await migration.up(db, dialect);
      const types = await sql<{ id: string; name: string }>`select id, name from item_types`.execute(db);
      const typeId = (name: string) => types.rows.find((type) => type.name === name)?.id;
      const now = new Date().toISOString();
      // Inserted children first, so the backfill cannot rely on meeting parents before their contents.
      const rows: [id: string, humanId: string, type: string, parent: string | null][] = [
        ['p-tube', 'P-000003', 'tube', 'p-box'],
        ['p-box', 'P-000040', 'box 9x9', 'p-freezer'],
        ['p-freezer', 'P-000002', '-80 freezer', 'p-room'],
        ['p-room', 'P-000001', 'room', null],
        ['p-shelf', 'P-001296', 'shelf', null],
        ['v-plasmid', 'V-000001', 'plasmid', null],
      ];
      for (const [id, humanId, type] of rows) {
        await sql`insert into items (id, class, human_id, type_id, name, created_at, updated_at)
          values (${id}, ${id.startsWith('v-') ? 'virtual' : 'physical'}, ${humanId}, ${typeId(type)}, ${id},
                  ${now}, ${now})`.execute(db);
      }
      for (const [id, , , parent] of rows)
        await sql`update items set parent_id = ${parent} where id = ${id}`.execute(db);

      await itemPaths.up(db, dialect);

      const paths = await sql<{
        id: string;
        path: string | null;
      }>`select id, path from items order by id`.execute(db);
      // Keys: base 36 after a letter for its length (40 → "14", 1296 → "100").
      expect(Object.fromEntries(paths.rows.map((row) => [row.id, row.path]))).toEqual({
        'p-room': 'a1/',
        'p-freezer': 'a1/a2/',
        'p-box': 'a1/a2/b14/',
        'p-tube': 'a1/a2/b14/a3/',
        'p-shelf': 'c100/',
        'v-plasmid': null,
      });
      await expect(sql`select count(*) from item_ancestors`.execute(db)).rejects.toThrow();
    });
  });
});

describe.each(dialects)('the DNA sequences migration on %s', { timeout: 120_000 }, (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const database = useTestDatabase(dialect, { migrated: false });

    it("turns the built-in plasmids' text sequences into DNA, unless a stored value is not DNA", async () => {
      const db = database.db as unknown as Parameters<typeof dnaSequences.up>[0];
      for (const migration of migrations.slice(0, migrations.indexOf(dnaSequences)))
        await migration.up(db, dialect);
      const types = await sql<{ id: string; name: string }>`select id, name from item_types`.execute(db);
      const typeId = (name: string) => types.rows.find((type) => type.name === name)?.id;
      const now = new Date().toISOString();
      const items: [id: string, type: string, fields: Record<string, unknown>, deleted: boolean][] = [
        ['v-1', 'plasmid', { sequence: 'acgt\nnnry ', backbone: 'pUC19' }, false],
        ['v-2', 'plasmid', { backbone: 'none yet' }, false],
        ['v-3', 'plasmid', { sequence: 'GATTACA' }, true],
        ['v-4', 'primer', { sequence: 'ACGT, see the lab book' }, false],
      ];
      for (const [index, [id, type, fields, deleted]] of items.entries()) {
        await sql`insert into items (id, class, human_id, type_id, name, fields, created_at, updated_at, deleted_at)
          values (${id}, 'virtual', ${`V-00000${index + 1}`}, ${typeId(type)}, ${id}, ${JSON.stringify(fields)},
                  ${now}, ${now}, ${deleted ? now : null})`.execute(db);
      }

      await dnaSequences.up(db, dialect);

      const fieldsOf = async (table: 'items' | 'item_types', id: string | undefined) =>
        JSON.parse(
          (await sql<{ fields: string }>`select fields from ${sql.table(table)} where id = ${id}`.execute(db))
            .rows[0]?.fields ?? 'null',
        ) as unknown;
      expect(await fieldsOf('item_types', typeId('plasmid'))).toContainEqual({
        name: 'sequence',
        kind: 'sequence',
        alphabet: 'dna',
        required: false,
      });
      expect(await fieldsOf('items', 'v-1')).toEqual({ sequence: 'ACGTNNRY', backbone: 'pUC19' });
      expect(await fieldsOf('items', 'v-3')).toEqual({ sequence: 'GATTACA' });
      // A primer holds a note: the lab keeps its text field and its value.
      expect(await fieldsOf('item_types', typeId('primer'))).toContainEqual({
        name: 'sequence',
        kind: 'text',
        required: true,
      });
      expect(await fieldsOf('items', 'v-4')).toEqual({ sequence: 'ACGT, see the lab book' });
      const pending = await sql<{ item_id: string }>`select item_id from blast_pending`.execute(db);
      expect(pending.rows.map((row) => row.item_id)).toEqual(['v-1']);
    });
  });
});
