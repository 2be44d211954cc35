/**
 * Who may see and change project-owned items. The inventory is lab-wide: every signed-in user reads it. An
 * item owned by a project (a sample) is the exception: only admins and that project's members see it —
 * to everyone else it does not exist (404, left out of lists) — and changing it needs write access to the
 * project. The check costs nothing for lab-wide items and one query for project-owned ones.
 */
import type { Db } from '../../db/database.js';
import { NotFound } from '../../errors/catalogue.js';
import type { Actor } from '../accounts/actor.js';
import { isAdmin } from '../accounts/actor.js';
import { listProjectIdsOfMember, requireProjectAccess } from '../projects/projects.service.js';

/** Which project-owned items a list may include: `null` for all (admins), else these projects' items. */
export type ProjectScope = readonly string[] | null;

export async function projectScopeOf(db: Db, actor: Actor): Promise<ProjectScope> {
  return isAdmin(actor) ? null : listProjectIdsOfMember(db, actor.id);
}

/** Throws NotFound (read) or Forbidden (write, for viewers) unless the actor may access the item. */
export async function assertItemAccess(
  db: Db,
  actor: Actor,
  item: { id: string; project_id: string | null },
  access: 'read' | 'write',
): Promise<void> {
  if (item.project_id === null || isAdmin(actor)) return;
  await requireProjectAccess(db, actor, item.project_id, access).catch((error: unknown) => {
    throw error instanceof NotFound ? new NotFound('Item', item.id) : error;
  });
}

/** Whether a project-owned item is visible within a scope (for rows already fetched). */
export function inScope(scope: ProjectScope, projectId: string | null): boolean {
  return projectId === null || scope === null || scope.includes(projectId);
}
