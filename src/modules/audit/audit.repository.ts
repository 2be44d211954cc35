/** All SQL for audit_events. Inserts only: the database refuses updates and deletes. */
import type { Insertable, Selectable } from 'kysely';
import { insertRows } from '../../db/bulk-insert.js';
import { tablesOf, type Db } from '../../db/database.js';
import type { AuditEventsTable, AuditTables } from './audit.tables.js';

/** The handle with the audit module's tables only. */
const auditTables = (db: Db) => tablesOf<AuditTables>(db);

export type AuditEventRow = Selectable<AuditEventsTable>;

/** The columns an appended event sets (all but its id). */
export const AUDIT_COLUMNS = [
  'occurred_at',
  'actor_id',
  'action',
  'entity_type',
  'entity_id',
  'project_id',
  'before',
  'after',
  'request_id',
] as const;

/** An event to append, every column given (null where it has no value). */
export type NewAuditEvent = Required<Omit<Insertable<AuditEventsTable>, 'id'>>;

/** Appends events; big batches (imports) go as multi-row inserts of 1,000 rows each (bulk-insert.ts). */
export async function insertAuditEvents(db: Db, rows: NewAuditEvent[]): Promise<void> {
  if (rows.length === 1) {
    await auditTables(db).insertInto('audit_events').values(rows).execute();
    return;
  }
  for (let start = 0; start < rows.length; start += 1000) {
    await insertRows(auditTables(db), 'audit_events', AUDIT_COLUMNS, rows.slice(start, start + 1000));
  }
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
  let select = auditTables(db)
    .selectFrom('audit_events')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit);
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
