/**
 * The hierarchy index becomes a materialized path on each physical (`items.path`) instead of the closure
 * table `item_ancestors`. A path is the chain of path keys from the top-level item down to the item itself,
 * each followed by `/` (`a3/b1k/c2bx/`); a physical's key is the number of its human id in base 36 after a
 * letter giving its length (`P-000123` → `b3f`), unique, never reused, and sorting as the numbers do. A subtree is then one range of one index, and an import writes one index entry per item
 * instead of one closure row per (item, ancestor) pair — five rows a tube in a typical freezer.
 *
 * The key rule is written out here rather than imported from the module: a released migration must keep
 * doing the same whatever later code says.
 */
import { sql } from 'kysely';
import type { Migration } from '../migrate.js';

interface PhysicalRow {
  id: string;
  human_id: string;
  parent_id: string | null;
}

/** Rows per backfill UPDATE batch (the whole backfill runs inside the migration's transaction). */
const BATCH = 500;

export const itemPaths: Migration = {
  name: '0005-item-paths',
  async up(db, dialect) {
    // Byte order on PostgreSQL too, so that `path >= P and path < P || '~'` is exactly P's subtree.
    await db.schema
      .alterTable('items')
      .addColumn('path', 'text', (c) => (dialect === 'postgres' ? c.modifyEnd(sql`collate "C"`) : c))
      .execute();

    const result =
      await sql<PhysicalRow>`select id, human_id, parent_id from items where class = 'physical'`.execute(db);
    const byId = new Map(result.rows.map((row) => [row.id, row]));
    const paths = new Map<string, string>();
    const pathOf = (row: PhysicalRow): string => {
      const known = paths.get(row.id);
      if (known !== undefined) return known;
      // Walk up to the nearest item whose path is known (or the top), then fill in on the way back down.
      const chain: PhysicalRow[] = [];
      let current: PhysicalRow | undefined = row;
      const seen = new Set<string>();
      while (current !== undefined && !paths.has(current.id)) {
        if (seen.has(current.id)) throw new Error(`item ${current.id} is inside itself`);
        seen.add(current.id);
        chain.push(current);
        current = current.parent_id === null ? undefined : byId.get(current.parent_id);
      }
      let prefix = current === undefined ? '' : (paths.get(current.id) ?? '');
      for (const item of chain.reverse()) {
        const digits = Number(item.human_id.slice(2)).toString(36);
        prefix += `${String.fromCharCode(96 + digits.length)}${digits}/`;
        paths.set(item.id, prefix);
      }
      return prefix;
    };
    for (const row of result.rows) pathOf(row);

    const entries = [...paths];
    for (let start = 0; start < entries.length; start += BATCH) {
      const batch = entries.slice(start, start + BATCH);
      const cases = sql.join(
        batch.map(([id, path]) => sql`when ${id} then ${path}`),
        sql` `,
      );
      await sql`update items set path = case id ${cases} end where id in (${sql.join(batch.map(([id]) => id))})`.execute(
        db,
      );
    }
    await db.schema.createIndex('items_path_idx').on('items').column('path').execute();
    await db.schema.dropTable('item_ancestors').execute();
  },
};
