/**
 * A table keyed by one of the API's unions (statuses, roles) as a select's choices and as a check that a
 * select's value is one of its keys: the tables are Records over the generated union, so a value added on
 * the server fails the type check until the table names it.
 */

/** The table's keys with their labels, in the table's order. */
export function choicesOf<K extends string>(
  table: Record<K, string | { label: string }>,
): { value: K; label: string }[] {
  return (Object.keys(table) as K[]).map((value) => {
    const entry: string | { label: string } = table[value];
    return { value, label: typeof entry === 'string' ? entry : entry.label };
  });
}

/** Whether `value` (a select's, which may be null) is a key of the table. */
export function isKeyOf<K extends string>(table: Record<K, unknown>, value: string | null): value is K {
  return value !== null && Object.hasOwn(table, value);
}
