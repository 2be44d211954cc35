/** Request and response schemas of the text search and its suggestions. */
import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/common.schema.js';

export const SEARCH_KINDS = [
  'item',
  'sample',
  'project',
  'analysis',
  'instrument',
  'session',
  'record',
] as const;
const KindSchema = Type.Enum(SEARCH_KINDS);

export const SearchQuerySchema = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: 500,
      description:
        'Words, "phrases", prefixes (amp*), exclusions (-expired) and filters: type:, kind:, project:, in:, barcode:, status:, created:>2026-01-01',
    }),
    kind: Type.Optional(KindSchema),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "a type's id or name" })),
    hidden: Type.Optional(Type.Boolean({ description: 'include hidden physical items' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuerySchema>;

export const SearchFastaQuerySchema = Type.Object(
  {
    q: SearchQuerySchema.properties.q,
    type: SearchQuerySchema.properties.type,
    hidden: SearchQuerySchema.properties.hidden,
    field: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[a-z][a-z0-9_]*$',
        description: 'only this sequence field',
      }),
    ),
  },
  { additionalProperties: false },
);

const SnippetSchema = Type.Array(Type.Object({ text: Type.String(), match: Type.Boolean() }), {
  description: 'The text around the first match, in segments; `match` segments are the query words',
});

export const SearchResultSchema = Type.Object({
  kind: KindSchema,
  id: Type.String(),
  humanId: Nullable(Type.String()),
  title: Type.String(),
  snippet: SnippetSchema,
  location: Nullable(
    Type.Array(
      Type.Object({ id: Nullable(Type.String()), humanId: Nullable(Type.String()), name: Type.String() }),
      { description: "A physical's path, its top-level container first (restricted steps without id)" },
    ),
  ),
  type: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  status: Nullable(Type.String()),
  updatedAt: Type.String(),
});
export type SearchResult = Static<typeof SearchResultSchema>;

export const SpellingSuggestionSchema = Type.Object({
  query: Type.String({ description: 'The query with its misspelt words corrected' }),
  corrections: Type.Array(Type.Object({ from: Type.String(), to: Type.String() })),
});
export type SpellingSuggestion = Static<typeof SpellingSuggestionSchema>;

export const SearchResultsSchema = Type.Object({
  results: Type.Array(SearchResultSchema),
  nextCursor: Nullable(Type.String()),
  total: Type.Integer({ description: 'Matches the caller may see (up to the ranking cap)' }),
  totalIsExact: Type.Boolean({
    description: 'false when more matched than are ranked: `total` is then a floor',
  }),
  facets: Type.Object({
    kinds: Type.Array(Type.Object({ kind: KindSchema, count: Type.Integer() })),
    types: Type.Array(
      Type.Object({ kind: KindSchema, id: Type.String(), name: Type.String(), count: Type.Integer() }),
    ),
  }),
  suggestions: Type.Array(SpellingSuggestionSchema),
});
export type SearchResults = Static<typeof SearchResultsSchema>;

export const SuggestQuerySchema = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200 }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 8 })),
  },
  { additionalProperties: false },
);
export type SuggestQuery = Static<typeof SuggestQuerySchema>;

export const SuggestionsSchema = Type.Object({
  suggestions: Type.Array(
    Type.Object({
      kind: KindSchema,
      id: Type.String(),
      humanId: Nullable(Type.String()),
      title: Type.String(),
    }),
  ),
});
export type Suggestions = Static<typeof SuggestionsSchema>;
