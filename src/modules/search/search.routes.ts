/** HTTP routes of the text search: results with facets and spelling suggestions, and completions. */
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { sendDownload } from '../../http/downloads.js';
import { problemResponses } from '../../http/common.schema.js';
import { Type } from 'typebox';
import { exportSelectionFasta, MAX_SELECTION } from '../bulk/fasta-export.service.js';
import {
  SearchFastaQuerySchema,
  SearchQuerySchema,
  SearchResultsSchema,
  SuggestionsSchema,
  SuggestQuerySchema,
} from './search.schema.js';
import * as searching from './search.service.js';

export function registerSearchRoutes(app: App, { database: { db } }: AppContext): void {
  const tags = ['search'];
  const who =
    'Only what the caller may see is found or counted: project-owned things for their members, sessions and records for their user and staff, hidden items only with `hidden=true`; admins see everything.';

  app.get(
    '/api/search',
    {
      schema: {
        tags,
        summary:
          'Search everything: ranked results across kinds, facets, and "did you mean" when little is found',
        description: `${who} Ranking and counts cover the first ${searching.RANKING_CAP} matches.`,
        querystring: SearchQuerySchema,
        response: { 200: SearchResultsSchema, ...problemResponses },
      },
    },
    async (request) => searching.search(db, actorOf(request), request.query),
  );

  app.get(
    '/api/search/suggest',
    {
      schema: {
        tags,
        summary: 'Names and human ids completing what has been typed so far',
        description: who,
        querystring: SuggestQuerySchema,
        response: { 200: SuggestionsSchema, ...problemResponses },
      },
    },
    async (request) => searching.suggest(db, actorOf(request), request.query),
  );

  app.get(
    '/api/search/items.fasta',
    {
      schema: {
        tags,
        summary: 'The sequences of the items a search finds, best first, as FASTA (imports again as is)',
        description: `${who} At most ${MAX_SELECTION.toLocaleString('en')} items.`,
        produces: ['text/x-fasta'],
        querystring: SearchFastaQuerySchema,
        response: { 200: Type.String({ description: 'FASTA text' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { field, ...query } = request.query;
      const ids = await searching.findItemIdsOfSearch(db, actor, query, MAX_SELECTION);
      const chunks = await exportSelectionFasta(db, actor, ids, field);
      return sendDownload(reply, chunks, 'text/x-fasta; charset=utf-8', 'search.fasta');
    },
  );
}
