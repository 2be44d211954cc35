/**
 * A filter by a set of values that another part of the code chose (the ids of a project's samples), bound as
 * ONE parameter however many values there are: PostgreSQL `column = any($1::text[])`, SQLite
 * `column in (select value from json_each($1))`. A placeholder per value would be parsed and bound one by
 * one on every page, and SQLite allows at most 32,766 of them.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { dialectOf } from './dialect.js';

/** A condition: `column` (a qualified column name) holds one of `values`; false when there are none. */
export function isOneOf<Tables>(
  db: Kysely<Tables>,
  column: string,
  values: readonly string[],
): RawBuilder<boolean> {
  const ref = sql.ref(column);
  return dialectOf(db) === 'postgres'
    ? sql<boolean>`${ref} = any(${[...values]}::text[])`
    : sql<boolean>`${ref} in (select value from json_each(${JSON.stringify(values)}))`;
}
