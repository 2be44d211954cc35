/** Keyset (cursor) pagination: a cursor is the sort value and id of the last row of a page, opaque to clients. */
import { Invalid } from '../errors/catalogue.js';

export interface Cursor {
  readonly value: string | number | null;
  readonly id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string | undefined): Cursor | null {
  if (raw === undefined || raw === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      ['string', 'number'].includes(typeof parsed[0]) &&
      typeof parsed[1] === 'string'
    ) {
      return { value: parsed[0] as string | number, id: parsed[1] };
    }
  } catch {
    // fall through to the problem below
  }
  throw new Invalid('The cursor is not one this server gave out', [
    { field: 'cursor', message: 'malformed' },
  ]);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Reads the pages of a list whose request was checked when the reader was made (access, filters), so that
 * reading a page, given a cursor of the reader's own, does not fail on them: what streamed exports need,
 * which cannot answer an error once the first bytes are sent.
 */
export type PageReader<T> = (cursor: string | null) => Promise<Page<T>>;

/** Cuts a fetched `limit + 1` rows into a page and the cursor of its last row. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
  cursorOf: (row: Row) => Cursor,
): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}
