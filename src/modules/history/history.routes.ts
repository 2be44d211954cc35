/** HTTP route of the history: the audit trail of an entity as the caller may see it, newest first. */
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { problemResponses } from '../../http/common.schema.js';
import { AuditPageSchema, AuditQuerySchema } from './history.schema.js';
import { listHistory } from './history.service.js';

export function registerHistoryRoutes(
  app: App,
  { database: { db }, labWideAuditTypes, hideUnseenAuditReferences }: AppContext,
): void {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit events (who changed what, before and after), newest first; filter by entity',
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      listHistory(
        db,
        actorOf(request),
        {
          entityType: request.query.entityType,
          entityId: request.query.entityId,
          cursor: request.query.cursor === undefined ? undefined : Number(request.query.cursor),
          limit: request.query.limit ?? 50,
        },
        labWideAuditTypes,
        hideUnseenAuditReferences,
      ),
  );
}
