/** Kysely table type of the audit trail: one append-only row per change. */
import type { Generated } from 'kysely';

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: string;
  /** The user who made the change; null for the system (migrations, tasks without a user). */
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  /** The project the entity belongs to, for visibility; null for lab-wide entities. */
  project_id: string | null;
  /** JSON text of the entity before and after the change (null for create / delete respectively). */
  before: string | null;
  after: string | null;
  request_id: string | null;
}

export interface AuditTables {
  audit_events: AuditEventsTable;
}
