/**
 * Names in the order a person reads them: case and accents aside, digits by their value ("pUC19 #2" before
 * "pUC19 #10"). The server pages lists by name with ASCII case folded (it cannot compare numbers inside
 * text the same way on both databases), so a list is put in this order once all of it is loaded; a list
 * with pages still to come keeps the server's order, which the next page continues. Pure, for the tests.
 */

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function compareNames(a: string, b: string): number {
  return collator.compare(a, b);
}

/** A copy in name order (ties keep their order); `complete` false returns the list as the server sent it. */
export function inNameOrder<T extends { readonly name: string }>(items: readonly T[], complete = true): T[] {
  return complete ? [...items].sort((a, b) => compareNames(a.name, b.name)) : [...items];
}
