/**
 * Who may see and change project-owned items. The inventory is lab-wide: every signed-in user reads it. An
 * item owned by a project (a sample) is the exception: only admins and that project's members see it —
 * to everyone else it does not exist (404, left out of lists) — and changing it, or putting things into it,
 * needs write access to the project. Where such an item's place shows (a taken slot, a step of a path, the
 * container of a lab-wide item, a conflict message), others see a stand-in without its id, human id or name.
 * The check costs nothing for lab-wide items and one query for project-owned ones.
 */
import type { Db } from '../../db/database.js';
import { DomainError, Forbidden, NotFound } from '../../errors/catalogue.js';
import type { Actor } from '../accounts/actor.js';
import { isAdmin } from '../accounts/actor.js';
import { listProjectIdsOfMember, requireProjectAccess } from '../projects/projects.service.js';

/** What stands for an item the caller may not see, where a name or human id would be. */
export const RESTRICTED = '(restricted)';

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

/** What the actor may do with the items of one project: nothing (not a member), read (viewer), or write. */
export type ItemAccess = 'none' | 'read' | 'write';

/** The actor's access to items of each of these projects, for rows already fetched; one check a project. */
export class ProjectAccess {
  private constructor(private readonly byProject: ReadonlyMap<string, ItemAccess>) {}

  /** Looks up the projects among `projectIds` (nulls, lab-wide, are skipped): no query when there are none. */
  static async load(db: Db, actor: Actor, projectIds: Iterable<string | null>): Promise<ProjectAccess> {
    const byProject = new Map<string, ItemAccess>();
    for (const id of projectIds) {
      if (id === null || byProject.has(id)) continue;
      if (isAdmin(actor)) byProject.set(id, 'write');
      else byProject.set(id, await accessToProject(db, actor, id));
    }
    return new ProjectAccess(byProject);
  }

  /** The access to an item owned by `projectId` (null: lab-wide, which everyone may change). */
  of(projectId: string | null): ItemAccess {
    if (projectId === null) return 'write';
    const access = this.byProject.get(projectId);
    if (access === undefined) throw new Error(`access to project ${projectId} was not loaded`);
    return access;
  }

  /** The item's human id, or the stand-in when the actor may not see it. */
  humanIdOf(row: { human_id: string; project_id: string | null }): string {
    return this.of(row.project_id) === 'none' ? RESTRICTED : row.human_id;
  }
}

async function accessToProject(db: Db, actor: Actor, projectId: string): Promise<ItemAccess> {
  try {
    await requireProjectAccess(db, actor, projectId, 'write');
    return 'write';
  } catch (error) {
    if (error instanceof Forbidden) return 'read';
    if (error instanceof NotFound) return 'none';
    throw error;
  }
}

/** Why the actor may not put items into a parent: what to answer, and the message for its field. */
export interface PlacementRefusal {
  status: 403 | 404;
  code: 'not_found' | 'forbidden';
  message: string;
}

/**
 * Why the actor may not put items into `parent` (a live or deleted item, or undefined when there is none
 * with the id they gave), or null when they may: a parent they may not see is answered as one that does
 * not exist (404), one they may only read with 403.
 */
export function placementRefusal(
  access: ProjectAccess,
  parentId: string,
  parent: { human_id: string; project_id: string | null } | undefined,
): PlacementRefusal | null {
  const level = parent === undefined ? 'none' : access.of(parent.project_id);
  if (level === 'write') return null;
  if (level === 'none' || parent === undefined)
    return { status: 404, code: 'not_found', message: `there is no item ${parentId}` };
  return {
    status: 403,
    code: 'forbidden',
    message: `you may not put items into ${parent.human_id}: its project gives you read access only`,
  };
}

/** A refusal as the error to throw, its message on `field`. */
export function placementError(refusal: PlacementRefusal, field: string): DomainError {
  const detail = `Cannot put items there: ${refusal.message}`;
  return new DomainError(refusal.code, detail, [{ field, message: refusal.message }]);
}
