/**
 * The statement texts of the bulk paths (multi-row inserts in bulk-insert.ts, many-value lookups in
 * bulk-lookup.ts), each built once per key and reused: on SQLite long texts with thousands of placeholders,
 * which then also hit the prepared-statement cache batch after batch; on PostgreSQL short ones with an array
 * parameter per column.
 */
const statements = new Map<string, string>();

/** A bulk statement's text, built once per key (at most ~200 kept; the bulk paths use a handful). */
export function bulkStatement(key: string, build: () => string): string {
  let text = statements.get(key);
  if (text === undefined) {
    text = build();
    if (statements.size > 200) statements.clear();
    statements.set(key, text);
  }
  return text;
}
