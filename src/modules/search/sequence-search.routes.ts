/** HTTP route of the sequence search (BLAST+ against the items' sequences). */
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { problemResponses } from '../../http/common.schema.js';
import { SequenceSearchResultSchema, SequenceSearchSchema } from './sequence-search.schema.js';
import { searchSequences } from './sequence-search.service.js';

export function registerSequenceSearchRoutes(app: App, { database: { db }, config }: AppContext): void {
  app.post(
    '/api/sequence-search',
    {
      schema: {
        tags: ['search'],
        summary: "Search the items' sequences with BLAST+ (blastn, blastp, blastx, tblastn)",
        description:
          "Hits are checked before they are answered: only live, not hidden items the caller may see that still hold the sequence found (project-owned items for their members; admins see everything). A query that is not in the program's alphabet is 400 (`invalid_sequence`, naming the first bad character); without BLAST+ installed, or past the time limit, 503 (`blast_unavailable`, `blast_timeout`).",
        body: SequenceSearchSchema,
        response: { 200: SequenceSearchResultSchema, ...problemResponses },
      },
    },
    async (request) => searchSequences(db, config, actorOf(request), request.body),
  );
}
