/**
 * Who may see and change an item: the access line, stated here and nowhere else. The inventory is lab-wide:
 * every signed-in user sees and changes an item that no project owns. An item owned by a project (a sample)
 * is the exception: admins see and change it; otherwise the project decides by role — in a live project its
 * members and its manager change the project's items and its viewers see them; to everyone else (and, once
 * the project is deleted, to everyone but admins) they do not exist (404, left out of lists). Putting things
 * into such an item is changing it. Where such an item's place shows (a taken slot, a step of a path, the
 * container of a lab-wide item, a conflict message), others see a stand-in without its id, human id or name.
 *
 * The line answers in three forms: for one item (`assertItemAccess`: may see, may change), for the rows of a
 * list already fetched (`ProjectAccess`: `maySee`, `mayChange`), and as the scope a list query filters by
 * (`projectScopeOf`, `inScope`). The check costs nothing for lab-wide items, one query (cached on SQLite) for
 * one project, and one query for the projects of a list together.
 */
import type { Db } from '../../db/database.js';
import { DomainError, Forbidden, NotFound } from '../../errors/catalogue.js';
import type { Actor } from '../accounts/actor.js';
import { isAdmin } from '../accounts/actor.js';
import {
  accessToProjects,
  listProjectIdsOfMember,
  requireProjectAccess,
} from '../projects/projects.service.js';

/** What stands for an item the caller may not see, where a name or human id would be. */
export const RESTRICTED = '(restricted)';

/** Whether the actor sees and changes every project's items (admins): nothing is restricted for them. */
export function seesEveryProject(actor: Actor): boolean {
  return isAdmin(actor);
}

/**
 * The line for an item owned by `projectId` (null: lab-wide): returns when the actor has `access`, else
 * throws the project's NotFound (not theirs to see) or Forbidden (a viewer asking to change).
 */
async function requireAccessTo(
  db: Db,
  actor: Actor,
  projectId: string | null,
  access: 'read' | 'write',
): Promise<void> {
  if (projectId === null || seesEveryProject(actor)) return;
  await requireProjectAccess(db, actor, projectId, access);
}

/** Throws NotFound (read) or Forbidden (write, for viewers) unless the actor may see, or change, the item. */
export async function assertItemAccess(
  db: Db,
  actor: Actor,
  item: { id: string; project_id: string | null },
  access: 'read' | 'write',
): Promise<void> {
  await requireAccessTo(db, actor, item.project_id, access).catch((error: unknown) => {
    throw error instanceof NotFound ? new NotFound('Item', item.id) : error;
  });
}

/** Which project-owned items a list may include: `null` for all (admins), else these projects' items. */
export type ProjectScope = readonly string[] | null;

/**
 * The scope to filter a list by: the line as a filter. Every role sees, so it is the live projects the actor
 * is a member of, or every project for admins.
 */
export async function projectScopeOf(db: Db, actor: Actor): Promise<ProjectScope> {
  return seesEveryProject(actor) ? null : listProjectIdsOfMember(db, actor.id);
}

/** Whether an item of `projectId` may be seen within a scope (for rows already fetched). */
export function inScope(scope: ProjectScope, projectId: string | null): boolean {
  return projectId === null || scope === null || scope.includes(projectId);
}

/** What the actor may do with the items of one project: nothing (not theirs to see), read (viewer), or write. */
export type ItemAccess = 'none' | 'read' | 'write';

/** Whether an access lets the actor see an item. */
export function maySee(access: ItemAccess): boolean {
  return access !== 'none';
}

/** Whether an access lets the actor change an item or put items into it. */
export function mayChange(access: ItemAccess): boolean {
  return access === 'write';
}

/** The actor's access to items of each of these projects, for rows already fetched; one check a project. */
export class ProjectAccess {
  private constructor(private readonly byProject: ReadonlyMap<string, ItemAccess>) {}

  /** Looks up the projects among `projectIds` (nulls, lab-wide, are skipped): no query when there are none. */
  static async load(db: Db, actor: Actor, projectIds: Iterable<string | null>): Promise<ProjectAccess> {
    const ids = [...new Set([...projectIds].filter((id): id is string => id !== null))];
    if (ids.length === 0) return new ProjectAccess(new Map());
    if (seesEveryProject(actor)) return new ProjectAccess(new Map(ids.map((id) => [id, 'write'])));
    if (ids.length === 1) {
      const [id] = ids as [string];
      return new ProjectAccess(new Map([[id, await accessToProject(db, actor, id)]]));
    }
    return new ProjectAccess(await accessToProjects(db, actor, ids));
  }

  /** The access to an item owned by `projectId` (null: lab-wide, which everyone may change). */
  of(projectId: string | null): ItemAccess {
    if (projectId === null) return 'write';
    const access = this.byProject.get(projectId);
    if (access === undefined) throw new Error(`access to project ${projectId} was not loaded`);
    return access;
  }

  /** Whether the actor may see an item owned by `projectId`. */
  maySee(projectId: string | null): boolean {
    return maySee(this.of(projectId));
  }

  /** Whether the actor may change an item owned by `projectId`, or put items into it. */
  mayChange(projectId: string | null): boolean {
    return mayChange(this.of(projectId));
  }

  /** The item's human id, or the stand-in when the actor may not see it. */
  humanIdOf(row: { human_id: string; project_id: string | null }): string {
    return this.maySee(row.project_id) ? row.human_id : RESTRICTED;
  }
}

async function accessToProject(db: Db, actor: Actor, projectId: string): Promise<ItemAccess> {
  try {
    await requireAccessTo(db, actor, projectId, 'write');
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
  if (parent !== undefined && access.mayChange(parent.project_id)) return null;
  if (parent === undefined || !access.maySee(parent.project_id))
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
