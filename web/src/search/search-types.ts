/** The search module's API shapes, from the generated paths. */
import type { Ok, QueryOf } from '../api/types';

export type SearchResults = Ok<'/api/search', 'get'>;
export type SearchResult = SearchResults['results'][number];
export type SearchKind = SearchResult['kind'];
export type SnippetSegment = SearchResult['snippet'][number];
export type SearchQuery = QueryOf<'/api/search'>;
/** What the results page asks for: the query without its paging. */
export type SearchFilter = Omit<SearchQuery, 'cursor' | 'limit'>;
export type Suggestion = Ok<'/api/search/suggest', 'get'>['suggestions'][number];
