/**
 * One search across everything in Cairn (bionet's ElasticSearch role): ranked results across kinds with
 * highlighted snippets, facet counts, keyword filters, completions as the user types, and spelling
 * suggestions from the index's own vocabulary. Every query carries the caller's visibility (project rights as
 * everywhere, sessions and records for their user and staff, hidden items only when asked), so neither hits
 * nor counts reveal what the caller may not see.
 */
import type { Db } from '../../db/database.js';
import { Invalid } from '../../errors/catalogue.js';
import { isAdmin, isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import { findPaths } from '../inventory/hierarchy.service.js';
import { RESTRICTED } from '../inventory/item-access.js';
import type { PathEntry } from '../inventory/inventory.schema.js';
import { resolveTypes } from '../inventory/types.service.js';
import { listProjectIdsOfMember } from '../projects/projects.service.js';
import * as repo from './search-index.repository.js';
import { parseCreated, parseQuery, type ParsedQuery } from './search-query.js';
import {
  SEARCH_KINDS,
  type SearchQuery,
  type SearchResult,
  type SearchResults,
  type SpellingSuggestion,
  type SuggestQuery,
  type Suggestions,
} from './search.schema.js';
import type { SearchKind } from './search.tables.js';
import { wordsOf } from './search-words.js';
import { closestWord } from './spelling.js';

/** How many matches are ranked and counted at most: the rest of a very common word's matches are not. */
export const RANKING_CAP = 1000;
/** Below this many results, the answer carries spelling suggestions. */
const FEW_RESULTS = 3;

async function visibilityOf(db: Db, actor: Actor): Promise<repo.DocumentFilter['visibility']> {
  if (isAdmin(actor)) return null;
  return {
    projectIds: await listProjectIdsOfMember(db, actor.id),
    username: actor.username,
    staff: isStaffOrAdmin(actor),
  };
}

function invalidQuery(message: string): Invalid {
  return new Invalid(message, [{ field: 'q', message }]);
}

/** The filter a parsed query and the query string's own parameters ask for, resolved to ids. */
async function filterOf(
  db: Db,
  actor: Actor,
  parsed: ParsedQuery,
  query: Pick<SearchQuery, 'kind' | 'type' | 'hidden'>,
): Promise<repo.DocumentFilter> {
  const visibility = await visibilityOf(db, actor);
  const filter: repo.DocumentFilter = { visibility, includeHidden: query.hidden === true };
  const kinds = [...(parsed.filters.get('kind') ?? []), ...(query.kind === undefined ? [] : [query.kind])];
  for (const kind of kinds) {
    if (!(SEARCH_KINDS as readonly string[]).includes(kind.toLowerCase())) {
      throw invalidQuery(`unknown kind ${kind}: one of ${SEARCH_KINDS.join(', ')}`);
    }
  }
  if (kinds.length > 0) filter.kinds = kinds.map((kind) => kind.toLowerCase() as SearchKind);
  const types = [...(parsed.filters.get('type') ?? []), ...(query.type === undefined ? [] : [query.type])];
  if (types.length > 0) {
    // An item type by id or name, or an analysis type by name (which is its id in the index).
    const itemTypes = await resolveTypes(db, types);
    filter.typeIds = [...new Set([...types, ...[...itemTypes.values()].map((type) => type.id)])];
  }
  const projects = parsed.filters.get('project');
  if (projects !== undefined) filter.projectIds = await projectIdsNamed(db, visibility, projects);
  const within = parsed.filters.get('in');
  if (within !== undefined) filter.within = await pathOf(db, visibility, within[within.length - 1] ?? '');
  const barcode = parsed.filters.get('barcode');
  if (barcode !== undefined) filter.barcode = barcode[barcode.length - 1];
  const status = parsed.filters.get('status');
  if (status !== undefined) filter.status = status[status.length - 1];
  for (const value of parsed.filters.get('created') ?? []) {
    const range = parseCreated(value);
    if (range === undefined)
      throw invalidQuery(`created:${value} is not a date filter (created:>2026-01-01)`);
    if (range.after !== undefined) filter.createdAfter = range.after;
    if (range.before !== undefined) filter.createdBefore = range.before;
  }
  return filter;
}

/** The projects the caller may see that a `project:` value names, by id or by name (any case). */
async function projectIdsNamed(
  db: Db,
  visibility: repo.DocumentFilter['visibility'],
  values: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const value of values) {
    const words = wordsOf(value);
    const candidates =
      words.length === 0
        ? []
        : await repo.findCandidates(
            db,
            [{ words, prefix: false, exclude: false }],
            { visibility, includeHidden: false, kinds: ['project'] },
            RANKING_CAP,
          );
    const named = await repo.findDocumentsById(
      db,
      candidates.map((candidate) => candidate.id),
    );
    ids.push(
      ...named.filter((row) => row.title.toLowerCase() === value.toLowerCase()).map((row) => row.entity_id),
    );
    const byId = await repo.findDocuments(db, 'project', [value]);
    ids.push(...byId.map((row) => row.entity_id));
  }
  // A project nobody may see filters to nothing rather than to everything.
  return ids.length === 0 ? ['(none)'] : [...new Set(ids)];
}

/** The materialized path of the physical an `in:` value names (id, human id or barcode) that the caller sees. */
async function pathOf(db: Db, visibility: repo.DocumentFilter['visibility'], value: string): Promise<string> {
  const row = await repo.findPhysicalByReference(db, value.trim());
  const visible =
    row !== undefined &&
    row.path !== null &&
    (visibility === null ||
      row.audience === 'everyone' ||
      (row.project_id !== null && visibility.projectIds.includes(row.project_id)));
  if (!visible) throw invalidQuery(`in:${value} names no container you can see`);
  return row.path ?? '';
}

/** The text around the first of the query's words in a document, in segments. */
export function snippetOf(
  title: string,
  body: string,
  parsed: ParsedQuery,
): { text: string; match: boolean }[] {
  const wanted = parsed.terms.filter((term) => !term.exclude);
  const matches = (word: string) =>
    wanted.some((term) =>
      term.words.some((w, i) =>
        term.prefix && i === term.words.length - 1 ? word.startsWith(w) : word === w,
      ),
    );
  const lines = body.split('\n');
  const line = lines.find((candidate) => wordsOf(candidate).some(matches)) ?? lines[0] ?? title;
  const tokens = line.split(/([\p{L}\p{N}]+)/u);
  let firstMatch = tokens.findIndex(
    (token) => wordsOf(token).length === 1 && matches(wordsOf(token)[0] ?? ''),
  );
  if (firstMatch < 0) firstMatch = 0;
  // About a dozen words either side of the first match.
  const from = Math.max(0, firstMatch - 24);
  const to = Math.min(tokens.length, firstMatch + 24);
  const segments: { text: string; match: boolean }[] = [];
  if (from > 0) segments.push({ text: '…', match: false });
  for (const token of tokens.slice(from, to)) {
    if (token === '') continue;
    const words = wordsOf(token);
    const match = words.length === 1 && matches(words[0] ?? '');
    const last = segments[segments.length - 1];
    if (last !== undefined && last.match === match && !match) last.text += token;
    else segments.push({ text: token, match });
  }
  if (to < tokens.length) segments.push({ text: '…', match: false });
  return segments;
}

/** "Did you mean": the query with each word the vocabulary lacks replaced by its nearest word. */
async function suggestSpellings(db: Db, q: string, parsed: ParsedQuery): Promise<SpellingSuggestion[]> {
  const words = [
    ...new Set(
      parsed.terms
        .filter((term) => !term.exclude && !term.prefix)
        .flatMap((term) => term.words)
        .filter((word) => /^\p{L}{3,}$/u.test(word)),
    ),
  ];
  const known = await repo.vocabularyCounts(db, words);
  const corrections: { from: string; to: string }[] = [];
  for (const word of words) {
    if ((known.get(word) ?? 0) > 0) continue;
    const to = closestWord(word, await repo.findSpellingCandidates(db, word, 20));
    if (to !== null) corrections.push({ from: word, to });
  }
  if (corrections.length === 0) return [];
  let corrected = q;
  for (const { from, to } of corrections) {
    corrected = corrected.replace(new RegExp(`(?<![\\p{L}\\p{N}])${from}(?![\\p{L}\\p{N}])`, 'giu'), to);
  }
  return [{ query: corrected, corrections }];
}

function decodeOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const offset = Number(cursor);
  if (!Number.isInteger(offset) || offset < 0 || offset > RANKING_CAP) {
    throw new Invalid('Not a cursor of this search', [
      { field: 'cursor', message: 'not a cursor of this search' },
    ]);
  }
  return offset;
}

/** The query parsed, or a 422 when it asks for nothing to find. */
function parsedSearch(q: string): ParsedQuery {
  const parsed = parseQuery(q);
  if (parsed.terms.length === 0 && parsed.filters.size === 0) throw invalidQuery('nothing to search for');
  if (parsed.terms.length > 0 && parsed.terms.every((term) => term.exclude)) {
    throw invalidQuery('a search needs a word to find, not only words to leave out');
  }
  return parsed;
}

/**
 * The ids of the items (samples included) a search finds, best first, at most `max` — what an export of a
 * search's results takes. The same query language, filters and visibility as `search`.
 */
export async function findItemIdsOfSearch(
  db: Db,
  actor: Actor,
  query: Pick<SearchQuery, 'q' | 'type' | 'hidden'>,
  max: number,
): Promise<string[]> {
  const parsed = parsedSearch(query.q);
  const filter = await filterOf(db, actor, parsed, query);
  filter.kinds = (filter.kinds ?? ['item', 'sample']).filter((kind) => kind === 'item' || kind === 'sample');
  if (filter.kinds.length === 0) return [];
  const candidates = await repo.findCandidates(db, parsed.terms, filter, max);
  const ranked = candidates.sort((a, b) => b.score - a.score || b.id - a.id).map((candidate) => candidate.id);
  const ids: string[] = [];
  for (let start = 0; start < ranked.length; start += 500) {
    const chunk = ranked.slice(start, start + 500);
    const entities = new Map((await repo.findDocumentsById(db, chunk)).map((row) => [row.id, row.entity_id]));
    for (const id of chunk) {
      const entity = entities.get(id);
      if (entity !== undefined) ids.push(entity);
    }
  }
  return ids;
}

/** Ranked results across kinds with facets, a page at a time; spelling suggestions when it finds little. */
export async function search(db: Db, actor: Actor, query: SearchQuery): Promise<SearchResults> {
  const parsed = parsedSearch(query.q);
  const offset = decodeOffset(query.cursor);
  const limit = query.limit ?? 20;
  const filter = await filterOf(db, actor, parsed, query);
  const candidates = await repo.findCandidates(db, parsed.terms, filter, RANKING_CAP);

  const kinds = new Map<SearchKind, number>();
  const types = new Map<string, { kind: SearchKind; id: string; name: string; count: number }>();
  for (const candidate of candidates) {
    kinds.set(candidate.kind, (kinds.get(candidate.kind) ?? 0) + 1);
    if (candidate.type_id !== null) {
      const key = `${candidate.kind}\u0000${candidate.type_id}`;
      const type = types.get(key) ?? {
        kind: candidate.kind,
        id: candidate.type_id,
        name: candidate.type_name ?? candidate.type_id,
        count: 0,
      };
      type.count++;
      types.set(key, type);
    }
  }
  const ranked = [...candidates].sort((a, b) => b.score - a.score || b.id - a.id);
  const page = ranked.slice(offset, offset + limit);
  const rows = new Map(
    (
      await repo.findDocumentsById(
        db,
        page.map((c) => c.id),
      )
    ).map((row) => [row.id, row]),
  );
  const physicals = [...rows.values()].filter((row) => row.path !== null).map((row) => row.entity_id);
  const paths =
    physicals.length === 0 ? new Map<string, PathEntry[]>() : await findPaths(db, actor, physicals);

  const results: SearchResult[] = [];
  for (const candidate of page) {
    const row = rows.get(candidate.id);
    if (row === undefined) continue;
    const path = paths.get(row.entity_id);
    results.push({
      kind: row.kind,
      id: row.entity_id,
      humanId: row.human_id,
      title: row.title.split('\n')[0] ?? row.title,
      snippet: snippetOf(row.title, row.body, parsed),
      location:
        path === undefined
          ? null
          : path
              .filter((entry) => entry.depth > 0)
              .sort((a, b) => b.depth - a.depth)
              .map((entry) =>
                entry.name === RESTRICTED
                  ? { id: null, humanId: null, name: RESTRICTED }
                  : { id: entry.id, humanId: entry.humanId, name: entry.name },
              ),
      type: row.type_id === null ? null : { id: row.type_id, name: row.type_name ?? row.type_id },
      status: row.status,
      updatedAt: row.updated_at,
    });
  }
  const next = offset + limit;
  return {
    results,
    nextCursor: next < ranked.length ? String(next) : null,
    total: candidates.length,
    totalIsExact: candidates.length < RANKING_CAP,
    facets: {
      kinds: [...kinds.entries()].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count),
      types: [...types.values()].sort((a, b) => b.count - a.count),
    },
    suggestions: candidates.length < FEW_RESULTS ? await suggestSpellings(db, query.q, parsed) : [],
  };
}

/** Names and human ids that complete what the user has typed so far (the last word as a prefix). */
export async function suggest(db: Db, actor: Actor, query: SuggestQuery): Promise<Suggestions> {
  const words = wordsOf(query.q);
  if (words.length === 0) return { suggestions: [] };
  const terms = words.map((word, i) => ({ words: [word], prefix: i === words.length - 1, exclude: false }));
  const filter: repo.DocumentFilter = { visibility: await visibilityOf(db, actor), includeHidden: false };
  const rows = await repo.findTitleCompletions(db, terms, filter, 200);
  const typed = query.q.trim().toLowerCase();
  const ranked = rows
    .map((row) => ({ row, name: row.title.split('\n')[0] ?? row.title }))
    .sort(
      (a, b) =>
        Number(b.row.human_id?.toLowerCase() === typed) - Number(a.row.human_id?.toLowerCase() === typed) ||
        Number(b.name.toLowerCase().startsWith(typed)) - Number(a.name.toLowerCase().startsWith(typed)) ||
        a.name.length - b.name.length ||
        a.name.localeCompare(b.name),
    );
  return {
    suggestions: ranked.slice(0, query.limit ?? 8).map(({ row, name }) => ({
      kind: row.kind,
      id: row.entity_id,
      humanId: row.human_id,
      title: name,
    })),
  };
}
