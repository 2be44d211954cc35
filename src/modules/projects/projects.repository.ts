/** All SQL for projects and project_users. */
import { sql, type Selectable, type Updateable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { compiledOnce } from '../../db/read-cache.js';
import { dialectOf } from '../../db/dialect.js';
import { containsText } from '../../db/text-search.js';
import type { Cursor } from '../../db/paging.js';
import type {
  ProjectRole,
  ProjectsTable,
  ProjectsTables,
  ProjectStatus,
  ProjectUsersTable,
} from './projects.tables.js';

/** The handle with the projects module's tables only. */
const projectsTables = (db: Db) => tablesOf<ProjectsTables>(db);

export type ProjectRow = Selectable<ProjectsTable>;
export type MemberRow = Selectable<ProjectUsersTable>;
export type ProjectWithRoleRow = ProjectRow & { my_role: ProjectRole | null };

const projectWithRoleQuery = compiledOnce(
  (db, projectId, userId) =>
    projectsTables(db)
      .selectFrom('projects')
      .leftJoin('project_users', (join) =>
        join.onRef('project_users.project_id', '=', 'projects.id').on('project_users.user_id', '=', userId),
      )
      .selectAll('projects')
      .select('project_users.role as my_role')
      .where('projects.id', '=', projectId)
      .where('projects.deleted_at', 'is', null),
  { cache: true },
);

/** A live project and the given user's role in it, in one query. */
export async function findProjectWithRole(
  db: Db,
  projectId: string,
  userId: string,
): Promise<ProjectWithRoleRow | undefined> {
  return (await projectWithRoleQuery(db, projectId, userId))[0];
}

export async function insertProject(db: Db, row: ProjectRow): Promise<void> {
  await projectsTables(db).insertInto('projects').values(row).execute();
}

/**
 * Locks a project's row on PostgreSQL until the transaction ends, so that a read-modify-write (a change of
 * manager and the memberships it moves) sees the last committed manager; SQLite's write lock already does.
 */
export async function lockProject(db: Db, id: string): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await projectsTables(db).selectFrom('projects').select('id').where('id', '=', id).forUpdate().execute();
}

export async function updateProject(db: Db, id: string, changes: Updateable<ProjectsTable>): Promise<void> {
  await projectsTables(db).updateTable('projects').set(changes).where('id', '=', id).execute();
}

export type ProjectSortColumn = 'name' | 'created_at' | 'start_date';

export interface ProjectListQuery {
  /** null: every project (admins); otherwise only this user's. */
  memberId: string | null;
  viewerId: string;
  status?: ProjectStatus | undefined;
  q?: string | undefined;
  sort: ProjectSortColumn;
  descending: boolean;
  after: Cursor | null;
  limit: number;
}

export function listProjects(db: Db, query: ProjectListQuery): Promise<ProjectWithRoleRow[]> {
  // start_date may be null: sort on '' instead so that the keyset comparison stays total.
  const sortExpr =
    query.sort === 'start_date'
      ? sql<string>`coalesce(projects.start_date, '')`
      : sql.ref<string>(`projects.${query.sort}`);
  let select = projectsTables(db)
    .selectFrom('projects')
    .leftJoin('project_users', (join) =>
      join
        .onRef('project_users.project_id', '=', 'projects.id')
        .on('project_users.user_id', '=', query.viewerId),
    )
    .selectAll('projects')
    .select('project_users.role as my_role')
    .where('projects.deleted_at', 'is', null);
  if (query.memberId !== null) select = select.where('project_users.user_id', 'is not', null);
  if (query.status !== undefined) select = select.where('projects.status', '=', query.status);
  const q = query.q?.trim();
  if (q !== undefined && q !== '') {
    select = select.where(containsText(db, ['projects.name', 'projects.description'], q));
  }
  if (query.after !== null) {
    const { value, id } = query.after;
    select = query.descending
      ? select.where(
          sql<boolean>`(${sortExpr} < ${value} or (${sortExpr} = ${value} and projects.id < ${id}))`,
        )
      : select.where(
          sql<boolean>`(${sortExpr} > ${value} or (${sortExpr} = ${value} and projects.id > ${id}))`,
        );
  }
  const direction = query.descending ? sql.raw('desc') : sql.raw('asc');
  return select
    .orderBy(sql`${sortExpr} ${direction}`)
    .orderBy(sql`projects.id ${direction}`)
    .limit(query.limit)
    .execute();
}

export function listMembers(db: Db, projectId: string): Promise<MemberRow[]> {
  return projectsTables(db)
    .selectFrom('project_users')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('added_at')
    .execute();
}

export function findMember(db: Db, projectId: string, userId: string): Promise<MemberRow | undefined> {
  return projectsTables(db)
    .selectFrom('project_users')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function upsertMember(db: Db, row: MemberRow): Promise<void> {
  await projectsTables(db)
    .insertInto('project_users')
    .values(row)
    .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role: row.role }))
    .execute();
}

export async function deleteMember(db: Db, projectId: string, userId: string): Promise<void> {
  await projectsTables(db)
    .deleteFrom('project_users')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute();
}

/** The live projects a user belongs to (a deleted project's content is for admins only). */
export async function listProjectIdsOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await projectsTables(db)
    .selectFrom('project_users')
    .innerJoin('projects', 'projects.id', 'project_users.project_id')
    .select('project_users.project_id')
    .where('project_users.user_id', '=', userId)
    .where('projects.deleted_at', 'is', null)
    .execute();
  return rows.map((row) => row.project_id);
}

/** Live projects by id, or a page of them in id order after `afterId`: what the search index mirrors. */
export function findLiveProjects(
  db: Db,
  selection: { ids: readonly string[] } | { afterId: string | null; limit: number },
): Promise<ProjectRow[]> {
  const live = projectsTables(db).selectFrom('projects').selectAll().where('deleted_at', 'is', null);
  if ('ids' in selection) {
    return selection.ids.length === 0 ? Promise.resolve([]) : live.where('id', 'in', selection.ids).execute();
  }
  return live
    .$if(selection.afterId !== null, (q) => q.where('id', '>', selection.afterId ?? ''))
    .orderBy('id')
    .limit(selection.limit)
    .execute();
}

/** Live projects whose id is one of `refs` or whose name is one of them ignoring case (few references). */
export function findLiveProjectsByReference(db: Db, refs: readonly string[]): Promise<ProjectRow[]> {
  if (refs.length === 0) return Promise.resolve([]);
  const lowered = [...new Set(refs.map((ref) => ref.toLowerCase()))];
  return projectsTables(db)
    .selectFrom('projects')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('id', 'in', [...refs]), eb(sql<string>`lower(name)`, 'in', lowered)]))
    .execute();
}

/** Projects' names by id, live or deleted. */
export function findProjectNames(db: Db, ids: readonly string[]): Promise<Pick<ProjectRow, 'id' | 'name'>[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return projectsTables(db)
    .selectFrom('projects')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
}
