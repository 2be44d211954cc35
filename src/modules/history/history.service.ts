/**
 * The audit trail as people read it: which events a user may see and who acted, by name. Admins see
 * everything; others see events of their projects, of lab-wide entity types (the inventory's, passed in as
 * data by whoever composes the app), of themselves and of what they did.
 */
import type { Db } from '../../db/database.js';
import { fetchPage } from '../../db/paging.js';
import type { Actor } from '../accounts/actor.js';
import { isAdmin } from '../accounts/actor.js';
import { summarizeUsers, type UserSummary } from '../accounts/accounts.service.js';
import { readAuditEvents, type AuditEventRow } from '../audit/audit.service.js';
import { listProjectIdsOfMember } from '../projects/projects.service.js';
import type { AuditEvent } from './history.schema.js';

export interface HistoryFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  /** Events older than this event id (newest first). */
  cursor?: number | undefined;
  limit: number;
}

/** Lists the events the actor may see, newest first, with who acted by name. */
export async function listHistory(
  db: Db,
  actor: Actor,
  filter: HistoryFilter,
  labWideTypes: readonly string[],
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const visibleTo = isAdmin(actor)
    ? undefined
    : { userId: actor.id, projectIds: await listProjectIdsOfMember(db, actor.id), labWideTypes };
  const page = await fetchPage(
    filter.limit,
    (limit) =>
      readAuditEvents(db, {
        entityType: filter.entityType,
        entityId: filter.entityId,
        beforeId: filter.cursor,
        limit,
        visibleTo,
      }),
    (last) => String(last.id),
  );
  const actors = await summarizeUsers(
    db,
    page.items.map((row) => row.actor_id).filter((id): id is string => id !== null),
  );
  return { items: page.items.map((row) => toAuditEvent(row, actors)), nextCursor: page.nextCursor };
}

function toAuditEvent(row: AuditEventRow, actors: Map<string, UserSummary>): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    actorId: row.actor_id,
    actor:
      row.actor_id === null
        ? null
        : (actors.get(row.actor_id) ?? { id: row.actor_id, username: '(unknown)' }),
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    projectId: row.project_id,
    before: row.before === null ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
    requestId: row.request_id,
  };
}
