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

/**
 * Reads one page of a list: asks `fetchRows` for one row more than the page holds, which tells whether another
 * page follows without counting, and gives the page's rows with the cursor of its last row (null on the last
 * page). `cursorOf` says how a row continues the list: `encodeCursor` of its sort value and id for keyset
 * lists, or a plain value (an event or task id, a username) for lists that page by one column.
 */
export async function fetchPage<Row>(
  limit: number,
  fetchRows: (rowsWanted: number) => Promise<Row[]>,
  cursorOf: (last: Row) => string,
): Promise<Page<Row>> {
  return cutPage(await fetchRows(limit + 1), limit, cursorOf);
}

function cutPage<Row>(rows: Row[], limit: number, cursorOf: (last: Row) => string): Page<Row> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
