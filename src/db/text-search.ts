/**
 * The lists' `q` search: text found anywhere in any of some columns, case-insensitive for ASCII on both
 * databases (ILIKE on PostgreSQL, LIKE on SQLite, whose LIKE folds ASCII case), with `%`, `_` and `\` in the
 * text taken literally.
 */
import { sql, type RawBuilder } from 'kysely';
import { type Db } from './database.js';
import { dialectOf } from './dialect.js';

/** A condition: some column contains `text` (already trimmed, not empty). */
export function containsText(db: Db, columns: readonly string[], text: string): RawBuilder<boolean> {
  const pattern = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const like = dialectOf(db) === 'postgres' ? sql.raw('ilike') : sql.raw('like');
  const matches = columns.map((column) => sql`${sql.ref(column)} ${like} ${pattern} escape '\\'`);
  return sql<boolean>`(${sql.join(matches, sql` or `)})`;
}
