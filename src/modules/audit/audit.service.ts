/**
 * The audit trail's write side (spec §5), which every module needs and which depends on no module: every
 * create, update and delete appends an event — actor, time, action, entity, before and after — in the
 * caller's transaction, so a change and its record commit or roll back together. Reading it for people (who may
 * see which events, who acted by name) is the history module's job.
 */
import type { Db } from '../../db/database.js';
import { nowIso, toJsonText } from '../../db/columns.js';
import { notifyChangeObservers } from './change-observers.js';
import {
  findLatestAuditEventId,
  insertAuditEvents,
  listAuditEvents,
  listAuditEventsAfter,
  listAuditEventSubjects,
  type AuditEventSubject,
  type AuditAfterQuery,
  type AuditEventRow,
  type AuditQuery,
  type AuditVisibility,
} from './audit.repository.js';

export type AuditAction = 'create' | 'update' | 'delete' | 'restore' | 'move' | 'login' | 'revoke';

/** Who changed something: a user (and the request it came with), or null for the system. */
export interface AuditActor {
  readonly id: string;
  readonly requestId: string | null;
}

export interface Change {
  action: AuditAction;
  entityType: string;
  entityId: string;
  /** The owning project, so that project members (and only they) can read the event. */
  projectId?: string | null;
  before?: unknown;
  after?: unknown;
}

export type { AuditAfterQuery, AuditEventRow, AuditEventSubject, AuditQuery, AuditVisibility };

/** Appends one or more events in the caller's transaction, and lets the change observers see them there. */
export async function recordChanges(trx: Db, actor: AuditActor | null, changes: Change[]): Promise<void> {
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
  await notifyChangeObservers(trx, changes);
}

export function recordChange(trx: Db, actor: AuditActor | null, change: Change): Promise<void> {
  return recordChanges(trx, actor, [change]);
}

/** Events newest first, restricted to what `query.visibleTo` may see (undefined: everything). */
export function readAuditEvents(db: Db, query: AuditQuery): Promise<AuditEventRow[]> {
  return listAuditEvents(db, query);
}

/**
 * Events in an id range, oldest first, restricted as `readAuditEvents` is: what a live stream has not sent
 * yet, read only up to ids that are final (audit-horizon.ts), so that a stream's place is one id.
 */
export function readAuditEventsAfter(db: Db, query: AuditAfterQuery): Promise<AuditEventRow[]> {
  return listAuditEventsAfter(db, query);
}

/** The newest event's id (0 for an empty trail): where a live stream that asks for no older events starts. */
export function latestAuditEventId(db: Db): Promise<number> {
  return findLatestAuditEventId(db);
}

/**
 * What the events in an id range are about (entity type and id), at most `limit` of them: one cheap read that
 * tells a live feed which of its filtered streams have anything new at all, before it reads for each.
 */
export function readAuditEventSubjects(
  db: Db,
  range: { afterId: number; upToId: number; limit: number },
): Promise<AuditEventSubject[]> {
  return listAuditEventSubjects(db, range);
}
