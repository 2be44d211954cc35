/**
 * Multi-row INSERTs for bulk paths (imports), skipping the query builder's per-value nodes:
 * - SQLite: `insert … values (?, …), (?, …)` with the values as a flat parameter list; the statement text is
 *   built once per table, column list and row count, so the same text hits the prepared-statement cache
 *   batch after batch. Keep `rows × columns` under SQLite's 32,766 parameters.
 * - PostgreSQL: `insert … select * from unnest($1::text[], $2::integer[], …)`, one array parameter per
 *   column whatever the row count, because PostgreSQL parses and binds a statement of 10,000 placeholders
 *   anew on every execution (bench/README.md, Decisions). The arrays' element types are read from the
 *   catalog once per table.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { bulkStatement } from './bulk-statements.js';
import { dialectOf } from './dialect.js';

function sqliteStatement(table: string, columns: readonly string[], rowCount: number): string {
  const key = `insert\u0000sqlite\u0000${table}\u0000${columns.join(',')}\u0000${rowCount}`;
  return bulkStatement(key, () => {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const columnList = columns.map((column) => `"${column}"`).join(', ');
    return `insert into "${table}" (${columnList}) values ${Array.from({ length: rowCount }, () => tuple).join(', ')}`;
  });
}

/** Column → SQL type (`text`, `integer`, …) by table, as the catalog gave it. */
const columnTypes = new Map<string, Promise<ReadonlyMap<string, string>>>();

function typesOf<Tables>(db: Kysely<Tables>, table: string): Promise<ReadonlyMap<string, string>> {
  let types = columnTypes.get(table);
  if (types === undefined) {
    types = db
      .executeQuery<{ name: string; type: string }>(
        CompiledQuery.raw(
          `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
           where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
          [table],
        ),
      )
      .then((result) => new Map(result.rows.map((row) => [row.name, row.type])));
    // A failed read (e.g. in a transaction that is being rolled back) is tried again next time.
    types.catch(() => columnTypes.delete(table));
    columnTypes.set(table, types);
  }
  return types;
}

async function postgresStatement<Tables>(
  db: Kysely<Tables>,
  table: string,
  columns: readonly string[],
): Promise<string> {
  let types = await typesOf(db, table);
  if (columns.some((column) => !types.has(column))) {
    // Read before a migration added the column (one process, one schema, but tests migrate step by step).
    columnTypes.delete(table);
    types = await typesOf(db, table);
  }
  const key = `insert\u0000postgres\u0000${table}\u0000${columns.join(',')}`;
  return bulkStatement(key, () => {
    const arrays = columns.map((column, index) => {
      const type = types.get(column);
      if (type === undefined) throw new Error(`${table} has no column ${column}`);
      return `$${index + 1}::${type}[]`;
    });
    const columnList = columns.map((column) => `"${column}"`).join(', ');
    return `insert into "${table}" (${columnList}) select * from unnest(${arrays.join(', ')})`;
  });
}

/**
 * Inserts rows into a table in one statement, taking the listed columns from each row; the table is one of
 * the handle's (a repository passes its module's handle, see `tablesOf`).
 */
export async function insertRows<Tables, T extends keyof Tables & string, C extends keyof Tables[T] & string>(
  db: Kysely<Tables>,
  table: T,
  columns: readonly C[],
  rows: readonly { [K in C]: unknown }[],
): Promise<void> {
  if (rows.length === 0) return;
  if (dialectOf(db) === 'postgres') {
    const text = await postgresStatement(db, table, columns);
    const arrays = columns.map((column) => rows.map((row) => row[column]));
    await db.executeQuery(CompiledQuery.raw(text, arrays));
    return;
  }
  const parameters: unknown[] = new Array<unknown>(rows.length * columns.length);
  let index = 0;
  for (const row of rows) {
    for (const column of columns) parameters[index++] = row[column];
  }
  await db.executeQuery(CompiledQuery.raw(sqliteStatement(table, columns, rows.length), parameters));
}
