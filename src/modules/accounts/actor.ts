/** Who is acting in a request or task: the authenticated user, carried into services and the audit trail. */
import type { SystemRole } from './accounts.tables.js';

export interface Actor {
  readonly id: string;
  readonly username: string;
  readonly role: SystemRole;
  /** A machine account serving HPC resources as their agent: it reaches the agent routes only. */
  readonly isAgent?: boolean;
  /** The request id, recorded with audit events; null outside a request. */
  readonly requestId: string | null;
}

export function isAdmin(actor: Actor): boolean {
  return actor.role === 'admin';
}

export function isStaffOrAdmin(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'staff';
}
