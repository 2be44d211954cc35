/** All SQL for audit_events. Inserts only: the database refuses updates and deletes. */
import { sql, type Insertable, type Selectable, type SelectQueryBuilder } from 'kysely';
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

/** Who a non-admin reader is, for the visibility rule of the trail (the history module fills it in). */
export interface AuditVisibility {
  userId: string;
  projectIds: string[];
  labWideTypes: readonly string[];
}

export interface AuditQuery {
  entityType?: string | undefined;
  entityId?: string | undefined;
  /** Events older than this id (cursor; newest first). */
  beforeId?: number | undefined;
  limit: number;
  /** Restricts what a non-admin sees; undefined for admins. */
  visibleTo?: AuditVisibility | undefined;
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
  return whereVisibleTo(select, query.visibleTo).execute();
}

export interface AuditAfterQuery {
  /** Events newer than this id… */
  afterId: number;
  /** …up to this one, inclusive (the ids known to be final: audit-horizon.ts). */
  upToId: number;
  /** Only these entity types; undefined for all. */
  entityTypes?: readonly string[] | undefined;
  entityId?: string | undefined;
  limit: number;
  visibleTo?: AuditVisibility | undefined;
}

/** Events in an id range, oldest first (what a live stream has not sent yet). */
export function listAuditEventsAfter(db: Db, query: AuditAfterQuery): Promise<AuditEventRow[]> {
  let select = auditTables(db)
    .selectFrom('audit_events')
    .selectAll()
    .where('id', '>', query.afterId)
    .where('id', '<=', query.upToId)
    .orderBy('id', 'asc')
    .limit(query.limit);
  if (query.entityTypes !== undefined) {
    if (query.entityTypes.length === 0) return Promise.resolve([]);
    select = select.where('entity_type', 'in', query.entityTypes);
  }
  if (query.entityId !== undefined) select = select.where('entity_id', '=', query.entityId);
  return whereVisibleTo(select, query.visibleTo).execute();
}

/** What an event is about, without its views: enough to tell which filtered readers it may concern. */
export type AuditEventSubject = Pick<AuditEventRow, 'id' | 'entity_type' | 'entity_id'>;

/** The subjects of the events in an id range, oldest first. */
export function listAuditEventSubjects(
  db: Db,
  range: { afterId: number; upToId: number; limit: number },
): Promise<AuditEventSubject[]> {
  return auditTables(db)
    .selectFrom('audit_events')
    .select(['id', 'entity_type', 'entity_id'])
    .where('id', '>', range.afterId)
    .where('id', '<=', range.upToId)
    .orderBy('id', 'asc')
    .limit(range.limit)
    .execute();
}

type AuditSelect = SelectQueryBuilder<AuditTables, 'audit_events', AuditEventRow>;

/**
 * The visibility rule of the trail, the one place it is written: a non-admin sees what they did, their own
 * account's events, their projects' events and lab-wide entity types' events.
 */
function whereVisibleTo(select: AuditSelect, visible: AuditVisibility | undefined): AuditSelect {
  if (visible === undefined) return select;
  return select.where((eb) => {
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

/** The newest event's id, 0 for an empty trail. */
export async function findLatestAuditEventId(db: Db): Promise<number> {
  const row = await auditTables(db)
    .selectFrom('audit_events')
    .select((eb) => eb.fn.max('id').as('max_id'))
    .executeTakeFirst();
  return row?.max_id ?? 0;
}

/**
 * On PostgreSQL: the newest committed event's id, and the transactions of this database that hold a
 * transaction id at this moment (writers; each may still commit events with lower ids).
 */
export async function findLatestAuditEventIdAndWriters(
  db: Db,
): Promise<{ latestId: number; writers: string[] }> {
  const result = await sql<{ latest_id: number | null; writers: string[] }>`
    select (select max(id) from audit_events) as latest_id,
      coalesce(array_agg(backend_xid::text) filter (where backend_xid is not null), '{}') as writers
    from pg_stat_activity where datname = current_database()`.execute(auditTables(db));
  const row = result.rows[0];
  return { latestId: row?.latest_id ?? 0, writers: row?.writers ?? [] };
}
