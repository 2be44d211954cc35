/**
 * Multi-row INSERTs for bulk paths (imports): the statement text is built once per table, column list, row
 * count and dialect and the values are passed as a flat parameter list, skipping the query builder's
 * per-value nodes. On SQLite the same text hits the prepared-statement cache batch after batch. Keep
 * `rows × columns` under 32,766 (SQLite) and 65,535 (PostgreSQL) parameters.
 */
import { CompiledQuery } from 'kysely';
import { bulkStatement } from './bulk-statements.js';
import { dialectOf, type Db } from './database.js';
import type { Database } from './schema.js';

function statementFor(db: Db, table: string, columns: readonly string[], rowCount: number): string {
  const dialect = dialectOf(db);
  const key = `insert\u0000${dialect}\u0000${table}\u0000${columns.join(',')}\u0000${rowCount}`;
  return bulkStatement(key, () => {
    const tuples: string[] = [];
    let n = 0;
    for (let row = 0; row < rowCount; row++) {
      const marks = columns.map(() => (dialect === 'postgres' ? `$${++n}` : '?'));
      tuples.push(`(${marks.join(', ')})`);
    }
    const columnList = columns.map((column) => `"${column}"`).join(', ');
    return `insert into "${table}" (${columnList}) values ${tuples.join(', ')}`;
  });
}

/** Inserts rows into a table in one statement, taking the listed columns from each row. */
export async function insertRows<T extends keyof Database, C extends keyof Database[T] & string>(
  db: Db,
  table: T,
  columns: readonly C[],
  rows: readonly { [K in C]: unknown }[],
): Promise<void> {
  if (rows.length === 0) return;
  const parameters: unknown[] = new Array<unknown>(rows.length * columns.length);
  let index = 0;
  for (const row of rows) {
    for (const column of columns) parameters[index++] = row[column];
  }
  await db.executeQuery(CompiledQuery.raw(statementFor(db, table, columns, rows.length), parameters));
}
