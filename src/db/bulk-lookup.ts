/**
 * Lookups by many values at once for bulk paths (imports checking 100,000 barcodes), in chunks of up to 5,000
 * values, skipping the query builder's node per value (500-value chunks through it meant 200 statements):
 * - SQLite: `… column in (?, ?, …)`, the text built once per query and value count, so the same text hits the
 *   prepared-statement cache chunk after chunk;
 * - PostgreSQL: `… column = any($1::text[])`, one array parameter, which it does not parse and bind anew
 *   placeholder by placeholder for every chunk (see bulk-insert.ts).
 */
import { CompiledQuery } from 'kysely';
import { bulkStatement } from './bulk-statements.js';
import { type Db } from './database.js';
import { dialectOf } from './dialect.js';

const CHUNK = 5000;

function statementFor(db: Db, select: string, column: string, count: number): string {
  const dialect = dialectOf(db);
  return bulkStatement(`select\u0000${dialect}\u0000${select}\u0000${column}\u0000${count}`, () =>
    dialect === 'postgres'
      ? `${select} "${column}" = any($1::text[])`
      : `${select} "${column}" in (${Array.from({ length: count }, () => '?').join(', ')})`,
  );
}

/**
 * Runs `select` — a query ending in `where …` or `and`, with no parameters of its own — with the condition
 * that `column` is one of the values, for the distinct values chunk by chunk, and returns every row.
 */
export async function selectWhereIn<R>(
  db: Db,
  select: string,
  column: string,
  values: readonly string[],
): Promise<R[]> {
  const distinct = [...new Set(values)];
  const postgres = dialectOf(db) === 'postgres';
  const rows: R[] = [];
  for (let start = 0; start < distinct.length; start += CHUNK) {
    const chunk = distinct.slice(start, start + CHUNK);
    const statement = statementFor(db, select, column, postgres ? 0 : chunk.length);
    const result = await db.executeQuery<R>(CompiledQuery.raw(statement, postgres ? [chunk] : chunk));
    for (const row of result.rows) rows.push(row);
  }
  return rows;
}
