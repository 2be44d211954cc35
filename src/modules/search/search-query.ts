/**
 * What a search box's text asks for (pure): words, "phrases", prefixes (`amp*`), exclusions (`-expired`) and
 * keyword filters (`type:plasmid`, `kind:sample`, `project:…`, `in:…`, `barcode:…`, `status:…`,
 * `created:>2026-01-01`). A filter's value may be quoted (`project:"Yeast screen"`). Anything that is not a
 * known keyword is searched as words, so `ratio:1:2` still finds its words.
 */
import { wordsOf } from './search-words.js';
import type { MatchTerm } from './search-index.repository.js';

export const FILTER_KEYWORDS = ['type', 'kind', 'project', 'in', 'barcode', 'status', 'created'] as const;
export type FilterKeyword = (typeof FILTER_KEYWORDS)[number];

export interface CreatedRange {
  after?: string;
  before?: string;
}

export interface ParsedQuery {
  terms: MatchTerm[];
  /** Keyword filters by keyword; a keyword given twice keeps both values (either may match). */
  filters: Map<FilterKeyword, string[]>;
  /** The words as typed, for "did you mean": each positive term's words in order. */
  text: string;
}

/** `>2026-01-01`, `<2026-02-01`, `>=…`, `<=…` or a plain date (that day). Undefined: not a date filter. */
export function parseCreated(value: string): CreatedRange | undefined {
  const match = /^(>=|<=|>|<)?(\d{4}-\d{2}-\d{2})$/.exec(value);
  if (match === null) return undefined;
  const [, op, date] = match;
  if (date === undefined || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return undefined;
  const nextDay = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  switch (op) {
    case '>':
      return { after: nextDay };
    case '>=':
      return { after: date };
    case '<':
      return { before: date };
    case '<=':
      return { before: nextDay };
    case undefined:
      return { after: date, before: nextDay };
  }
}

/** The next token: a quoted phrase (with its sign and keyword), or a run without spaces. */
const TOKEN = /(-?)(?:([a-z]+):)?(?:"([^"]*)"?|(\S+))/giy;

export function parseQuery(q: string): ParsedQuery {
  const terms: MatchTerm[] = [];
  const filters = new Map<FilterKeyword, string[]>();
  let position = 0;
  for (;;) {
    while (position < q.length && /\s/.test(q[position] ?? '')) position++;
    if (position >= q.length) break;
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(q);
    if (match === null) break;
    position = TOKEN.lastIndex;
    const [, minus = '', keyword, phrase, bare] = match;
    const value = phrase ?? bare ?? '';
    const key = keyword?.toLowerCase();
    if (key !== undefined && (FILTER_KEYWORDS as readonly string[]).includes(key) && minus === '') {
      if (value.trim() !== '')
        filters.set(key as FilterKeyword, [...(filters.get(key as FilterKeyword) ?? []), value.trim()]);
      continue;
    }
    const text = keyword === undefined ? value : `${keyword}:${value}`;
    const prefix = phrase === undefined && text.endsWith('*');
    const words = wordsOf(text);
    if (words.length === 0) continue;
    terms.push({ words, prefix, exclude: minus === '-' });
  }
  return {
    terms,
    filters,
    text: terms
      .filter((term) => !term.exclude)
      .map((term) => term.words.join(' '))
      .join(' '),
  };
}
