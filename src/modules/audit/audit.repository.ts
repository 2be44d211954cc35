/** All SQL for audit_events. Inserts only: the database refuses updates and deletes. */
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AuditEventsTable } from './audit.tables.js';

export type AuditEventRow = Selectable<AuditEventsTable>;

export async function insertAuditEvents(db: Db, rows: Insertable<AuditEventsTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('audit_events').values(rows).execute();
}

export interface AuditQuery {
  entityType?: string | undefined;
  entityId?: string | undefined;
  /** Events older than this id (cursor; newest first). */
  beforeId?: number | undefined;
  limit: number;
  /** Restricts what a non-admin sees; undefined for admins. */
  visibleTo?: { userId: string; projectIds: string[]; labWideTypes: readonly string[] } | undefined;
}

export function listAuditEvents(db: Db, query: AuditQuery): Promise<AuditEventRow[]> {
  let select = db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.entityType !== undefined) select = select.where('entity_type', '=', query.entityType);
  if (query.entityId !== undefined) select = select.where('entity_id', '=', query.entityId);
  if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
  const visible = query.visibleTo;
  if (visible !== undefined) {
    select = select.where((eb) => {
      const ors = [
        eb('actor_id', '=', visible.userId),
        eb.and([eb('entity_type', '=', 'user'), eb('entity_id', '=', visible.userId)]),
      ];
      if (visible.projectIds.length > 0) ors.push(eb('project_id', 'in', visible.projectIds));
      if (visible.labWideTypes.length > 0) {
        ors.push(eb.and([eb('project_id', 'is', null), eb('entity_type', 'in', visible.labWideTypes)]));
      }
      return eb.or(ors);
    });
  }
  return select.execute();
}
