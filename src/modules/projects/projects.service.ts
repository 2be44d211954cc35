/**
 * Projects (seed: lims-hpc Projects and ProjectUsers). A project has one manager and members with roles:
 * a viewer reads, a member also writes project content, a manager also manages members and the project
 * itself. Non-members get 404 (the project's existence is not revealed); admins see everything.
 */
import type { Db } from '../../db/database.js';
import { newId, nowIso } from '../../db/columns.js';
import { Forbidden, Invalid, NotFound } from '../../errors/catalogue.js';
import { decodeCursor, encodeCursor, fetchPage, type Page } from '../../db/paging.js';
import { describeUsers, getUserByUsername, summarizeUsers } from '../accounts/accounts.service.js';
import { isAdmin, type Actor } from '../accounts/actor.js';
import { recordChange } from '../audit/audit.service.js';
import * as repo from './projects.repository.js';
import type { User } from '../accounts/accounts.schema.js';
import type { CreateProject, Member, Project, ProjectSort, UpdateProject } from './projects.schema.js';
import type { ProjectRole, ProjectStatus } from './projects.tables.js';

/** What a caller needs to be allowed: read (any member), write (member or manager), manage (manager). */
export type ProjectAccess = 'read' | 'write' | 'manage';

const roleAllows: Record<ProjectRole, Record<ProjectAccess, boolean>> = {
  viewer: { read: true, write: false, manage: false },
  member: { read: true, write: true, manage: false },
  manager: { read: true, write: true, manage: true },
};

/**
 * Loads a project the actor may access at the given level: 404 for non-members, 403 for members whose role
 * is too low. Other modules (samples, analyses) call this before touching project content.
 */
export async function requireProjectAccess(
  db: Db,
  actor: Actor,
  projectId: string,
  access: ProjectAccess,
): Promise<repo.ProjectWithRoleRow> {
  const row = await repo.findProjectWithRole(db, projectId, actor.id);
  if (!row || (row.my_role === null && !isAdmin(actor))) throw new NotFound('Project', projectId);
  if (!isAdmin(actor) && row.my_role !== null && !roleAllows[row.my_role][access]) {
    throw new Forbidden(`Your role in this project (${row.my_role}) does not allow this`);
  }
  return row;
}

async function toProjects(db: Db, rows: repo.ProjectWithRoleRow[]): Promise<Project[]> {
  const managers = await summarizeUsers(
    db,
    rows.map((row) => row.manager_id),
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
    manager: managers.get(row.manager_id) ?? { id: row.manager_id, username: '(unknown)' },
    myRole: row.my_role,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

async function toProject(db: Db, row: repo.ProjectWithRoleRow): Promise<Project> {
  const [project] = await toProjects(db, [row]);
  return project as Project;
}

function checkDates(startDate: string | null | undefined, endDate: string | null | undefined): void {
  if (startDate && endDate && endDate < startDate) {
    throw new Invalid('endDate is before startDate', [{ field: 'endDate', message: 'before startDate' }]);
  }
}

/** The user named as a project's manager, on create and update alike: an existing, active user. */
async function findNewManager(trx: Db, username: string): Promise<User> {
  const manager = await getUserByUsername(trx, username);
  if (!manager.active)
    throw new Invalid('The manager is deactivated', [{ field: 'managerUsername', message: 'deactivated' }]);
  return manager;
}

/** Gives a user a role in a project (adding them if they are not a member), audited. */
async function setMemberRole(
  trx: Db,
  actor: Actor,
  projectId: string,
  userId: string,
  role: ProjectRole,
): Promise<repo.MemberRow> {
  const existing = await repo.findMember(trx, projectId, userId);
  const row = { project_id: projectId, user_id: userId, role, added_at: existing?.added_at ?? nowIso() };
  await repo.upsertMember(trx, row);
  await recordChange(trx, actor, {
    action: existing ? 'update' : 'create',
    entityType: 'project_member',
    entityId: `${projectId}:${userId}`,
    projectId,
    before: existing ?? null,
    after: row,
  });
  return row;
}

/** Creates a project; its manager (the creator unless named) becomes a member with role manager. */
export async function createProject(trx: Db, actor: Actor, input: CreateProject): Promise<Project> {
  checkDates(input.startDate, input.endDate);
  const manager =
    input.managerUsername === undefined ? null : await findNewManager(trx, input.managerUsername);
  const now = nowIso();
  const row: repo.ProjectRow = {
    id: newId(),
    name: input.name.trim(),
    description: input.description ?? '',
    start_date: input.startDate ?? null,
    end_date: input.endDate ?? null,
    status: input.status ?? 'planned',
    manager_id: manager?.id ?? actor.id,
    created_at: now,
    created_by: actor.id,
    updated_at: now,
    updated_by: actor.id,
    deleted_at: null,
  };
  if (row.name === '') throw new Invalid('name is empty', [{ field: 'name', message: 'empty' }]);
  await repo.insertProject(trx, row);
  await repo.upsertMember(trx, {
    project_id: row.id,
    user_id: row.manager_id,
    role: 'manager',
    added_at: now,
  });
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'project',
    entityId: row.id,
    projectId: row.id,
    after: row,
  });
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'project_member',
    entityId: `${row.id}:${row.manager_id}`,
    projectId: row.id,
    after: { projectId: row.id, userId: row.manager_id, role: 'manager' },
  });
  const myRole = row.manager_id === actor.id ? 'manager' : null;
  return toProject(trx, { ...row, my_role: myRole });
}

/** One project, for anyone who may read it. */
export async function getProject(db: Db, actor: Actor, id: string): Promise<Project> {
  return toProject(db, await requireProjectAccess(db, actor, id, 'read'));
}

const sortColumns = { name: 'name', createdAt: 'created_at', startDate: 'start_date' } as const;

/** The projects the actor can see (admins: all), filtered, sorted and paged by cursor. */
export async function listProjects(
  db: Db,
  actor: Actor,
  query: {
    limit: number;
    cursor?: string | undefined;
    status?: ProjectStatus | undefined;
    q?: string | undefined;
    sort?: ProjectSort | undefined;
  },
): Promise<Page<Project>> {
  const sort = query.sort ?? 'name';
  const descending = sort.startsWith('-');
  const column = sortColumns[sort.replace('-', '') as keyof typeof sortColumns];
  const after = decodeCursor(query.cursor);
  const page = await fetchPage(
    query.limit,
    (limit) =>
      repo.listProjects(db, {
        memberId: isAdmin(actor) ? null : actor.id,
        viewerId: actor.id,
        status: query.status,
        q: query.q,
        sort: column,
        descending,
        after,
        limit,
      }),
    (row) =>
      encodeCursor({ value: column === 'start_date' ? (row.start_date ?? '') : row[column], id: row.id }),
  );
  return { items: await toProjects(db, page.items), nextCursor: page.nextCursor };
}

/**
 * Changes a project's fields (members and managers); changing the status or the manager needs the manager
 * role. A new manager (an active user) becomes a member with role manager, and the previous manager stays a
 * member with role member; each membership change is audited. Naming the current manager changes nothing.
 */
export async function updateProject(
  trx: Db,
  actor: Actor,
  id: string,
  changes: UpdateProject,
): Promise<Project> {
  await repo.lockProject(trx, id);
  const current = await requireProjectAccess(trx, actor, id, 'write');
  const managerChange = changes.managerUsername !== undefined || changes.status !== undefined;
  if (managerChange) await requireProjectAccess(trx, actor, id, 'manage');
  const startDate = changes.startDate === undefined ? current.start_date : changes.startDate;
  const endDate = changes.endDate === undefined ? current.end_date : changes.endDate;
  checkDates(startDate, endDate);
  const named =
    changes.managerUsername === undefined ? null : await findNewManager(trx, changes.managerUsername);
  const newManager = named?.id === current.manager_id ? null : named;
  const now = nowIso();
  const update = {
    ...(changes.name !== undefined && { name: changes.name.trim() }),
    ...(changes.description !== undefined && { description: changes.description }),
    ...(changes.startDate !== undefined && { start_date: changes.startDate }),
    ...(changes.endDate !== undefined && { end_date: changes.endDate }),
    ...(changes.status !== undefined && { status: changes.status }),
    ...(newManager !== null && { manager_id: newManager.id }),
    updated_at: now,
    updated_by: actor.id,
  };
  if (update.name === '') throw new Invalid('name is empty', [{ field: 'name', message: 'empty' }]);
  await repo.updateProject(trx, id, update);
  const { my_role: myRole, ...before } = current;
  const after = { ...before, ...update };
  await recordChange(trx, actor, {
    action: 'update',
    entityType: 'project',
    entityId: id,
    projectId: id,
    before,
    after,
  });
  if (newManager === null) return toProject(trx, { ...after, my_role: myRole });
  await setMemberRole(trx, actor, id, newManager.id, 'manager');
  // A manager cannot be removed, so the previous manager's membership is there to turn into a member's.
  await setMemberRole(trx, actor, id, current.manager_id, 'member');
  const mine = await repo.findMember(trx, id, actor.id);
  return toProject(trx, { ...after, my_role: mine?.role ?? null });
}

/** Soft-deletes a project (managers and admins); its history stays readable by admins. */
export async function deleteProject(trx: Db, actor: Actor, id: string): Promise<void> {
  const current = await requireProjectAccess(trx, actor, id, 'manage');
  const now = nowIso();
  await repo.updateProject(trx, id, { deleted_at: now, updated_at: now, updated_by: actor.id });
  const { my_role: _role, ...before } = current;
  await recordChange(trx, actor, {
    action: 'delete',
    entityType: 'project',
    entityId: id,
    projectId: id,
    before,
    after: null,
  });
}

export async function listMembers(db: Db, actor: Actor, projectId: string): Promise<Member[]> {
  await requireProjectAccess(db, actor, projectId, 'read');
  const rows = await repo.listMembers(db, projectId);
  const users = await describeUsers(
    db,
    rows.map((row) => row.user_id),
  );
  return rows.map((row) => ({
    userId: row.user_id,
    username: users.get(row.user_id)?.username ?? '(unknown)',
    displayName: users.get(row.user_id)?.displayName ?? null,
    role: row.role,
    addedAt: row.added_at,
  }));
}

/** Adds a member or changes a member's role (managers and admins). */
export async function addMember(
  trx: Db,
  actor: Actor,
  projectId: string,
  input: { username: string; role: ProjectRole },
): Promise<Member> {
  const project = await requireProjectAccess(trx, actor, projectId, 'manage');
  const user = await getUserByUsername(trx, input.username);
  if (!user.active)
    throw new Invalid('That user is deactivated', [{ field: 'username', message: 'deactivated' }]);
  if (user.id === project.manager_id && input.role !== 'manager') {
    throw new Invalid('The project manager keeps the manager role; name another manager first', [
      { field: 'role', message: 'project manager' },
    ]);
  }
  const row = await setMemberRole(trx, actor, projectId, user.id, input.role);
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: row.role,
    addedAt: row.added_at,
  };
}

/** Removes a member (managers and admins); the project manager cannot be removed. */
export async function removeMember(trx: Db, actor: Actor, projectId: string, userId: string): Promise<void> {
  const project = await requireProjectAccess(trx, actor, projectId, 'manage');
  const existing = await repo.findMember(trx, projectId, userId);
  if (!existing) throw new NotFound('Member', userId);
  if (userId === project.manager_id) {
    throw new Invalid('The project manager cannot be removed; name another manager first', [
      { field: 'userId', message: 'project manager' },
    ]);
  }
  await repo.deleteMember(trx, projectId, userId);
  await recordChange(trx, actor, {
    action: 'delete',
    entityType: 'project_member',
    entityId: `${projectId}:${userId}`,
    projectId,
    before: existing,
    after: null,
  });
}

/**
 * The ids of the projects a user belongs to, deleted ones left out (audit visibility, which samples the user
 * sees in the inventory): a deleted project's samples and history are for admins only, as the project is.
 */
export function listProjectIdsOfMember(db: Db, userId: string): Promise<string[]> {
  return repo.listProjectIdsOfUser(db, userId);
}

/** A project as the search index reads it (no access check: the index keeps the project's id to filter by). */
export interface SearchableProject {
  id: string;
  name: string;
  description: string;
  status: ProjectStatus;
  createdAt: string;
  updatedAt: string;
}

/** Live projects by id, or a page in id order: deleted and unknown ids are left out (their documents go). */
export async function readSearchableProjects(
  db: Db,
  selection: { ids: readonly string[] } | { afterId: string | null; limit: number },
): Promise<SearchableProject[]> {
  return (await repo.findLiveProjects(db, selection)).map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/**
 * The live project that references from outside (an instrument reservation's project answer, its NEMO project's
 * name) mean, tried in order: a reference is a project's id, or the exact name of exactly one project ignoring
 * case. A name two projects share means neither, so nothing is guessed; null when no reference matches. One query.
 */
export async function matchProject(
  db: Db,
  refs: readonly string[],
): Promise<{ id: string; name: string } | null> {
  const wanted = refs.map((ref) => ref.trim()).filter((ref) => ref !== '');
  const rows = await repo.findLiveProjectsByReference(db, wanted);
  for (const ref of wanted) {
    const byId = rows.find((row) => row.id === ref);
    if (byId !== undefined) return { id: byId.id, name: byId.name };
    const named = rows.filter((row) => row.name.toLowerCase() === ref.toLowerCase());
    if (named.length === 1) return { id: named[0]!.id, name: named[0]!.name };
  }
  return null;
}

/**
 * Projects' names by id, for links the reader was already allowed to follow (a record's project shown to its
 * members and admins).
 */
export async function namesOfProjects(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await repo.findProjectNames(db, ids)).map((row) => [row.id, row.name]));
}
