/** HTTP route of the audit trail: the history of an entity, newest first. */
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { problemResponses } from '../../http/common.schema.js';
import { AuditPageSchema, AuditQuerySchema } from './audit.schema.js';
import { listHistory } from './audit.service.js';

export function registerAuditRoutes(app: App, { database: { db } }: AppContext): void {
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
      listHistory(db, actorOf(request), {
        entityType: request.query.entityType,
        entityId: request.query.entityId,
        cursor: request.query.cursor === undefined ? undefined : Number(request.query.cursor),
        limit: request.query.limit ?? 50,
      }),
  );
}
