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
import {
  readAuditEvents,
  readAuditEventsAfter,
  type AuditEventRow,
  type AuditVisibility,
} from '../audit/audit.service.js';
import { listProjectIdsOfMember } from '../projects/projects.service.js';
import type { AuditEvent, LiveEvent } from './history.schema.js';

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
  const visibleTo = await visibilityOf(db, actor, labWideTypes);
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
  return {
    items: await toVisibleEvents(db, actor, page.items, hideUnseenReferences),
    nextCursor: page.nextCursor,
  };
}

export interface LiveEventFilter {
  /** Events newer than this id… */
  afterId: number;
  /** …up to this one, inclusive: ids known to be final (audit/audit-horizon.ts). */
  upToId: number;
  /** Only these entity types; undefined for all. */
  entityTypes?: readonly string[] | undefined;
  entityId?: string | undefined;
  limit: number;
}

/**
 * The events after a given one that the actor may see, oldest first, in the small form a live stream sends:
 * the same visibility and the same blanking as the history, so a stream shows nothing the history would not.
 */
export async function listEventsAfter(
  db: Db,
  actor: Actor,
  filter: LiveEventFilter,
  labWideTypes: readonly string[],
  hideUnseenReferences: HideUnseenReferences,
): Promise<LiveEvent[]> {
  const rows = await readAuditEventsAfter(db, {
    ...filter,
    visibleTo: await visibilityOf(db, actor, labWideTypes),
  });
  if (rows.length === 0) return [];
  const events = await toVisibleEvents(db, actor, rows, hideUnseenReferences, { withBefore: false });
  return events.map((event) => ({
    id: event.id,
    occurredAt: event.occurredAt,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    projectId: event.projectId,
    actor: event.actor,
    after: event.after,
  }));
}

/** What restricts the actor's view of the trail: nothing for admins (read afresh, as memberships change). */
async function visibilityOf(
  db: Db,
  actor: Actor,
  labWideTypes: readonly string[],
): Promise<AuditVisibility | undefined> {
  if (isAdmin(actor)) return undefined;
  return { userId: actor.id, projectIds: await listProjectIdsOfMember(db, actor.id), labWideTypes };
}

/** Rows as events with who acted by name, their views blanked where they reference what the actor may not see. */
async function toVisibleEvents(
  db: Db,
  actor: Actor,
  rows: readonly AuditEventRow[],
  hideUnseenReferences: HideUnseenReferences,
  { withBefore = true }: { withBefore?: boolean } = {},
): Promise<AuditEvent[]> {
  const actors = await summarizeUsers(
    db,
    rows.map((row) => row.actor_id).filter((id): id is string => id !== null),
  );
  const events = rows.map((row) => toAuditEvent(row, actors, withBefore));
  const views = events.flatMap((event) => [event.before, event.after]).filter(isView);
  await hideUnseenReferences(db, actor, views);
  return events;
}

function isView(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toAuditEvent(row: AuditEventRow, actors: Map<string, UserSummary>, withBefore: boolean): AuditEvent {
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
    before: row.before === null || !withBefore ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
    requestId: row.request_id,
  };
}
