/**
 * Recognizes unique-constraint violations from either database, so that a service can answer a race that
 * slipped past its own check (two writers claiming the same slot or barcode at once) with a clean 409.
 */

/**
 * The violated unique constraint, as its name (PostgreSQL, e.g. `items_slot_unique`) or its columns
 * (SQLite, e.g. `items.parent_id, items.slot`); null when the error is something else.
 */
export function uniqueViolation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === '23505') return typeof constraint === 'string' ? constraint : '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const text = typeof message === 'string' ? message : '';
    return text.replace(/^UNIQUE constraint failed: /, '');
  }
  return null;
}
