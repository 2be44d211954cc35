/**
 * The length limits of an item's text, defined once: the HTTP schemas declare them (inventory.schema.ts) and
 * the item rules (item-rules.ts) hold every create to them, however the item arrives (one body, a bulk
 * create, a CSV or bionet import). Lengths count characters as JSON Schema does (code points), so the two
 * agree on text outside the Basic Multilingual Plane.
 */

export const MAX_ITEM_NAME = 300;
export const MAX_ITEM_DESCRIPTION = 20_000;
export const MAX_BARCODE = 300;

/** Characters as JSON Schema's maxLength counts them: a surrogate pair is one. */
function codePoints(text: string, atMost: number): number {
  // A string is never longer in code points than in UTF-16 units: most need no counting.
  if (text.length <= atMost) return text.length;
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    count++;
  }
  return count;
}

/** Why text is too long for its limit, in the words the HTTP schema's validator uses, or null. */
export function lengthProblem(text: string, max: number): string | null {
  return codePoints(text, max) > max ? `must NOT have more than ${max} characters` : null;
}
