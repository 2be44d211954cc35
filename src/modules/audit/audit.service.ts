/**
 * The audit trail (spec §5): every create, update and delete appends an event — actor, time, action, entity,
 * before and after — in the caller's transaction, so a change and its record commit or roll back together.
 */
import type { Db } from '../../db/database.js';
import { nowIso, toJsonText } from '../../db/columns.js';
import type { Actor } from '../accounts/actor.js';
import { isAdmin } from '../accounts/actor.js';
import { summarizeUsers, type UserSummary } from '../accounts/accounts.service.js';
import { listProjectIdsOfMember } from '../projects/projects.service.js';
import { insertAuditEvents, listAuditEvents, type AuditEventRow } from './audit.repository.js';
import type { AuditEvent } from './audit.schema.js';

export type AuditAction = 'create' | 'update' | 'delete' | 'restore' | 'move' | 'login' | 'revoke';

export interface Change {
  action: AuditAction;
  entityType: string;
  entityId: string;
  /** The owning project, so that project members (and only they) can read the event. */
  projectId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Entity types every signed-in user may read the history of (the inventory is lab-wide readable). */
const labWideTypes: string[] = [];

/** Lets a module declare an entity type whose history is readable lab-wide. */
export function declareLabWideAuditType(entityType: string): void {
  if (!labWideTypes.includes(entityType)) labWideTypes.push(entityType);
}

/** Appends one or more events in the caller's transaction. */
export async function recordChanges(trx: Db, actor: Actor | null, changes: Change[]): Promise<void> {
  const occurredAt = nowIso();
  await insertAuditEvents(
    trx,
    changes.map((change) => ({
      occurred_at: occurredAt,
      actor_id: actor?.id ?? null,
      action: change.action,
      entity_type: change.entityType,
      entity_id: change.entityId,
      project_id: change.projectId ?? null,
      before: toJsonText(change.before),
      after: toJsonText(change.after),
      request_id: actor?.requestId ?? null,
    })),
  );
}

export function recordChange(trx: Db, actor: Actor | null, change: Change): Promise<void> {
  return recordChanges(trx, actor, [change]);
}

/**
 * Lists events newest first. Admins see everything; others see events of their projects, of lab-wide
 * entities, of themselves and of what they did.
 */
export async function listHistory(
  db: Db,
  actor: Actor,
  filter: {
    entityType?: string | undefined;
    entityId?: string | undefined;
    cursor?: number | undefined;
    limit: number;
  },
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const visibleTo = isAdmin(actor)
    ? undefined
    : { userId: actor.id, projectIds: await listProjectIdsOfMember(db, actor.id), labWideTypes };
  const rows = await listAuditEvents(db, {
    entityType: filter.entityType,
    entityId: filter.entityId,
    beforeId: filter.cursor,
    limit: filter.limit + 1,
    visibleTo,
  });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const actors = await summarizeUsers(
    db,
    page.map((row) => row.actor_id).filter((id): id is string => id !== null),
  );
  return {
    items: page.map((row) => toAuditEvent(row, actors)),
    nextCursor: rows.length > filter.limit && last ? String(last.id) : null,
  };
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
