/**
 * Lookups by many values at once for bulk paths (imports checking 100,000 barcodes): `… in (?, ?, …)` in
 * statements of up to 5,000 values whose text is built once per query, value count and dialect, with the
 * values passed as a plain parameter list — the query builder would make a node per value, and 500-value
 * chunks meant 200 statements. On SQLite the same text hits the prepared-statement cache chunk after chunk.
 */
import { CompiledQuery } from 'kysely';
import { bulkStatement } from './bulk-statements.js';
import { dialectOf, type Db } from './database.js';

const CHUNK = 5000;

function statementFor(db: Db, select: string, count: number): string {
  const dialect = dialectOf(db);
  return bulkStatement(`select\u0000${dialect}\u0000${select}\u0000${count}`, () => {
    const marks = Array.from({ length: count }, (_, i) => (dialect === 'postgres' ? `$${i + 1}` : '?'));
    return `${select} (${marks.join(', ')})`;
  });
}

/**
 * Runs `select` — a query ending in `… in` (it gets the value list) with no other parameters — for the
 * distinct values, chunk by chunk, and returns every row.
 */
export async function selectWhereIn<R>(db: Db, select: string, values: readonly string[]): Promise<R[]> {
  const distinct = [...new Set(values)];
  const rows: R[] = [];
  for (let start = 0; start < distinct.length; start += CHUNK) {
    const chunk = distinct.slice(start, start + CHUNK);
    const result = await db.executeQuery<R>(CompiledQuery.raw(statementFor(db, select, chunk.length), chunk));
    for (const row of result.rows) rows.push(row);
  }
  return rows;
}
