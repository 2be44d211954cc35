/**
 * Materialized paths, the hierarchy index (bionet indexDB's tree index): every physical stores the chain of
 * path keys from its top-level ancestor down to itself, each followed by `/` — `a3/b1k/c2bx/` is item c2bx in
 * b1k in a3. A physical's key is the number of its human id in base 36 after one letter giving its length
 * (`P-000123` → `b3f`): unique, short, never reused, and sorting as the numbers do, so that siblings come in
 * the order they were created. Everything below an item is the one index range [path, path + '~') (keys are [0-9a-z/], all
 * below `~`; PostgreSQL compares the column in byte order), and an item lies inside another when its path
 * starts with the other's.
 */

/** The path key of the physical with human id number `counterValue`: `a`…`z` for its length, then base 36. */
export function pathKey(counterValue: number): string {
  const digits = counterValue.toString(36);
  return `${String.fromCharCode(96 + digits.length)}${digits}`;
}

/** The path of a physical with key `key` under a parent with `parentPath` (null: at the top level). */
export function childPath(parentPath: string | null, key: string): string {
  return `${parentPath ?? ''}${key}/`;
}

/** The last key of a path: the item's own. */
export function ownKey(path: string): string {
  return path.slice(path.lastIndexOf('/', path.length - 2) + 1, -1);
}

/** How many levels down a path is: 1 for a top-level item. */
export function depthOf(path: string): number {
  let depth = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) depth++;
  return depth;
}

/** The exclusive upper bound of the subtree rooted at `path`: every path below sorts before it. */
export function subtreeEnd(path: string): string {
  return `${path}~`;
}

/** Whether the item at `path` is the item at `ancestorPath` or lies inside it. */
export function isWithin(path: string, ancestorPath: string): boolean {
  return path.startsWith(ancestorPath);
}
