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

/**
 * Blanks, in place, the references in events' before/after views that the actor may not follow: a higher
 * module's rule (the inventory's, for items in containers the actor may not see), passed in as data.
 */
export type HideUnseenReferences = (
  db: Db,
  actor: Actor,
  views: readonly Record<string, unknown>[],
) => Promise<void>;

/**
 * Lists the events the actor may see, newest first, with who acted by name; what they reference and the
 * actor may not see is blanked by `hideUnseenReferences`.
 */
export async function listHistory(
  db: Db,
  actor: Actor,
  filter: HistoryFilter,
  labWideTypes: readonly string[],
  hideUnseenReferences: HideUnseenReferences,
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
  const events = page.items.map((row) => toAuditEvent(row, actors));
  const views = events.flatMap((event) => [event.before, event.after]).filter(isView);
  await hideUnseenReferences(db, actor, views);
  return { items: events, nextCursor: page.nextCursor };
}

function isView(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
