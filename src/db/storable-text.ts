/**
 * Text the databases cannot store, refused wherever text comes in (the HTTP hook for path, query and JSON
 * body values, the CSV reader for cells) so that both databases answer alike:
 * - U+0000: PostgreSQL refuses it in text (an error mid-transaction); SQLite keeps it, but its string
 *   functions (`length`, `like`, `substr`) stop there.
 * - a lone UTF-16 surrogate (JSON's `"\ud800"`): not a Unicode character, so it has no UTF-8 form; node-postgres
 *   sends U+FFFD in its place and better-sqlite3 writes bytes that read back as three U+FFFD, so the value
 *   would change silently, and differently on each database. A whole pair (an emoji) is ordinary text.
 */

/** A value found somewhere in a request: where (a JSON pointer, or `query/q`) and what is wrong with it. */
export interface UnstorableText {
  readonly field: string;
  readonly message: string;
}

/** Why `text` cannot be stored, or null when it can. */
export function unstorableTextProblem(text: string): string | null {
  if (!text.includes('\u0000') && isWellFormed(text)) return null;
  return text.includes('\u0000')
    ? 'contains a NUL character (U+0000), which cannot be stored'
    : 'contains a lone UTF-16 surrogate (half of a character), which cannot be stored';
}

// String.prototype.isWellFormed (Node 20) is not in TypeScript's ES2023 lib.
const wellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(text: string): boolean {
  return wellFormed === undefined ? !LONE_SURROGATE.test(text) : wellFormed.call(text);
}

/** A JSON pointer token (RFC 6901). */
function pointerToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** At most this many places are listed (a large import body could have thousands). */
const MAX_LISTED = 20;

/**
 * Every string in a parsed value (object keys included) that cannot be stored, as `prefix` + its JSON
 * pointer (`/name`, `/items/0/fields/note`); a bad key is named by its object's pointer.
 */
export function findUnstorableText(value: unknown, prefix = ''): UnstorableText[] {
  const found: UnstorableText[] = [];
  const visit = (node: unknown, pointer: string): void => {
    if (found.length >= MAX_LISTED) return;
    if (typeof node === 'string') {
      const message = unstorableTextProblem(node);
      if (message !== null) found.push({ field: pointer || '/', message });
    } else if (Array.isArray(node)) {
      node.forEach((element, index) => visit(element, `${pointer}/${index}`));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, element] of Object.entries(node)) {
        const message = unstorableTextProblem(key);
        if (message !== null && found.length < MAX_LISTED)
          found.push({ field: pointer || '/', message: `has a key that ${message}` });
        visit(element, `${pointer}/${pointerToken(key)}`);
      }
    }
  };
  visit(value, prefix);
  return found;
}
