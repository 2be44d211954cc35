/** All SQL for analyses, their jobs, the files they produced and the resources' agent accounts. */
import { sql, type Selectable, type Updateable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import { isOneOf } from '../../db/one-of.js';
import type { Cursor } from '../../db/paging.js';
import type {
  AnalysesTable,
  AnalysisFilesTable,
  AnalysisStatus,
  ComputeTables,
  HpcJobsTable,
} from './compute.tables.js';

const computeTables = (db: Db) => tablesOf<ComputeTables>(db);
const forUpdateOnPostgres = (db: Db) => dialectOf(db) === 'postgres';

export type AnalysisRow = Selectable<AnalysesTable>;
export type JobRow = Selectable<HpcJobsTable>;
export type AnalysisFileRow = Selectable<AnalysisFilesTable>;

/** Job statuses after which nothing changes. */
export const ENDED_JOB_STATUSES = ['completed', 'failed', 'cancelled'] as const;

export async function insertAnalyses(db: Db, rows: readonly AnalysisRow[]): Promise<void> {
  if (rows.length === 0) return;
  await computeTables(db)
    .insertInto('analyses')
    .values([...rows])
    .execute();
}

export async function insertJobs(db: Db, rows: readonly JobRow[]): Promise<void> {
  if (rows.length === 0) return;
  await computeTables(db)
    .insertInto('hpc_jobs')
    .values([...rows])
    .execute();
}

export function findAnalysis(db: Db, id: string): Promise<AnalysisRow | undefined> {
  return computeTables(db).selectFrom('analyses').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAnalysisForUpdate(db: Db, id: string): Promise<AnalysisRow | undefined> {
  return computeTables(db)
    .selectFrom('analyses')
    .selectAll()
    .where('id', '=', id)
    .$if(forUpdateOnPostgres(db), (qb) => qb.forUpdate())
    .executeTakeFirst();
}

export async function updateAnalysis(db: Db, id: string, changes: Updateable<AnalysesTable>): Promise<void> {
  await computeTables(db).updateTable('analyses').set(changes).where('id', '=', id).execute();
}

export interface AnalysisFilter {
  projectId?: string | undefined;
  sampleId?: string | undefined;
  status?: AnalysisStatus | undefined;
  typeName?: string | undefined;
  resourceId?: string | undefined;
  /** The projects whose analyses the reader may see; undefined: every project. */
  visibleProjectIds?: readonly string[] | undefined;
}

/** Analyses newest first (submission time, then id), after the cursor's (submitted_at, id). */
export function listAnalyses(
  db: Db,
  filter: AnalysisFilter,
  after: Cursor | null,
  limit: number,
): Promise<AnalysisRow[]> {
  const tables = computeTables(db);
  let select = tables.selectFrom('analyses').selectAll();
  if (filter.projectId !== undefined) select = select.where('project_id', '=', filter.projectId);
  if (filter.sampleId !== undefined) select = select.where('sample_id', '=', filter.sampleId);
  if (filter.status !== undefined) select = select.where('status', '=', filter.status);
  if (filter.typeName !== undefined) select = select.where('type_name', '=', filter.typeName);
  if (filter.resourceId !== undefined) select = select.where('resource_id', '=', filter.resourceId);
  if (filter.visibleProjectIds !== undefined) {
    select = select.where(isOneOf(tables, 'analyses.project_id', filter.visibleProjectIds));
  }
  if (after !== null) {
    const value = String(after.value);
    select = select.where((eb) =>
      eb.or([
        eb('submitted_at', '<', value),
        eb.and([eb('submitted_at', '=', value), eb('id', '<', after.id)]),
      ]),
    );
  }
  return select.orderBy('submitted_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export function findJob(db: Db, id: string): Promise<JobRow | undefined> {
  return computeTables(db).selectFrom('hpc_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findJobForUpdate(db: Db, id: string): Promise<JobRow | undefined> {
  return computeTables(db)
    .selectFrom('hpc_jobs')
    .selectAll()
    .where('id', '=', id)
    .$if(forUpdateOnPostgres(db), (qb) => qb.forUpdate())
    .executeTakeFirst();
}

export function findJobsByIds(db: Db, ids: readonly string[]): Promise<JobRow[]> {
  const tables = computeTables(db);
  return tables
    .selectFrom('hpc_jobs')
    .selectAll()
    .where(isOneOf(tables, 'hpc_jobs.id', ids))
    .execute();
}

/** Every attempt of an analysis, newest first. */
export function listJobsOfAnalysis(db: Db, analysisId: string): Promise<JobRow[]> {
  return computeTables(db)
    .selectFrom('hpc_jobs')
    .selectAll()
    .where('analysis_id', '=', analysisId)
    .orderBy('attempt', 'desc')
    .execute();
}

export async function updateJob(db: Db, id: string, changes: Updateable<HpcJobsTable>): Promise<void> {
  await computeTables(db).updateTable('hpc_jobs').set(changes).where('id', '=', id).execute();
}

/**
 * Takes up to `limit` queued jobs of a resource nobody holds (or whose holder's lease ran out), oldest first,
 * and leases them to `agentId` until `leaseUntil`. `heldBefore` names those an agent had held: it may have
 * submitted them before it vanished. On PostgreSQL the rows are locked with SKIP LOCKED, so two
 * agents claiming at once take different jobs; on SQLite the write transaction already excludes the other.
 */
export async function claimQueuedJobs(
  trx: Db,
  resourceId: string,
  agentId: string,
  now: string,
  leaseUntil: string,
  limit: number,
): Promise<{ jobs: JobRow[]; heldBefore: Set<string> }> {
  const tables = computeTables(trx);
  const candidates = await tables
    .selectFrom('hpc_jobs')
    .select(['id', 'lease_owner'])
    .where('resource_id', '=', resourceId)
    .where('status', '=', 'queued')
    .where('cancel_requested_at', 'is', null)
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires_at', '<', now)]))
    .orderBy('queued_at')
    .orderBy('id')
    .limit(limit)
    .$if(forUpdateOnPostgres(trx), (qb) => qb.forUpdate().skipLocked())
    .execute();
  if (candidates.length === 0) return { jobs: [], heldBefore: new Set() };
  const ids = candidates.map((row) => row.id);
  await tables
    .updateTable('hpc_jobs')
    .set({ lease_owner: agentId, lease_expires_at: leaseUntil })
    .where(isOneOf(tables, 'hpc_jobs.id', ids))
    .execute();
  const order = new Map(ids.map((id, index) => [id, index]));
  const jobs = (await findJobsByIds(trx, ids)).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return {
    jobs,
    heldBefore: new Set(candidates.filter((row) => row.lease_owner !== null).map((row) => row.id)),
  };
}

/**
 * The unended jobs of a resource an agent should carry on with after it (re)starts: those leased to it, and
 * those a vanished agent held past its lease that the scheduler may still be running (submitted or running).
 * They are leased to `agentId`.
 */
export async function adoptJobs(
  trx: Db,
  resourceId: string,
  agentId: string,
  now: string,
  leaseUntil: string,
): Promise<JobRow[]> {
  const tables = computeTables(trx);
  const rows = await tables
    .selectFrom('hpc_jobs')
    .select('id')
    .where('resource_id', '=', resourceId)
    .where('status', 'not in', [...ENDED_JOB_STATUSES])
    .where((eb) =>
      eb.or([
        eb('lease_owner', '=', agentId),
        eb.and([
          eb('lease_owner', 'is not', null),
          eb('lease_expires_at', '<', now),
          eb('status', 'in', ['submitted', 'running']),
        ]),
      ]),
    )
    .$if(forUpdateOnPostgres(trx), (qb) => qb.forUpdate().skipLocked())
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  await tables
    .updateTable('hpc_jobs')
    .set({ lease_owner: agentId, lease_expires_at: leaseUntil })
    .where(isOneOf(tables, 'hpc_jobs.id', ids))
    .execute();
  return findJobsByIds(trx, ids);
}

/** Extends the leases of the agent's unended jobs; returns the ids of those whose cancel was asked for. */
export async function renewLeases(trx: Db, agentId: string, leaseUntil: string): Promise<string[]> {
  const tables = computeTables(trx);
  await tables
    .updateTable('hpc_jobs')
    .set({ lease_expires_at: leaseUntil })
    .where('lease_owner', '=', agentId)
    .where('status', 'not in', [...ENDED_JOB_STATUSES])
    .execute();
  const cancelled = await tables
    .selectFrom('hpc_jobs')
    .select('id')
    .where('lease_owner', '=', agentId)
    .where('status', 'not in', [...ENDED_JOB_STATUSES])
    .where('cancel_requested_at', 'is not', null)
    .execute();
  return cancelled.map((row) => row.id);
}

/** How many of a resource's jobs are in each status (the queue a resource page shows). */
export async function countJobsByStatus(db: Db, resourceId: string): Promise<Map<string, number>> {
  const rows = await computeTables(db)
    .selectFrom('hpc_jobs')
    .select(['status', sql<number>`count(*)`.as('count')])
    .where('resource_id', '=', resourceId)
    .where('status', 'not in', [...ENDED_JOB_STATUSES])
    .groupBy('status')
    .execute();
  return new Map(rows.map((row) => [row.status, Number(row.count)]));
}

export async function insertAnalysisFile(db: Db, row: AnalysisFileRow): Promise<void> {
  await computeTables(db).insertInto('analysis_files').values(row).execute();
}

export function findAnalysisFile(db: Db, id: string): Promise<AnalysisFileRow | undefined> {
  return computeTables(db).selectFrom('analysis_files').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findJobFileByName(db: Db, jobId: string, name: string): Promise<AnalysisFileRow | undefined> {
  return computeTables(db)
    .selectFrom('analysis_files')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function deleteAnalysisFile(db: Db, id: string): Promise<void> {
  await computeTables(db).deleteFrom('analysis_files').where('id', '=', id).execute();
}

/** The files of an analysis, oldest first. */
export function listAnalysisFiles(db: Db, analysisId: string): Promise<AnalysisFileRow[]> {
  return computeTables(db)
    .selectFrom('analysis_files')
    .selectAll()
    .where('analysis_id', '=', analysisId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function listJobFiles(db: Db, jobId: string): Promise<AnalysisFileRow[]> {
  return computeTables(db)
    .selectFrom('analysis_files')
    .selectAll()
    .where('job_id', '=', jobId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertResourceAgent(
  db: Db,
  row: { resource_id: string; user_id: string; created_at: string; created_by: string | null },
): Promise<void> {
  await computeTables(db).insertInto('hpc_resource_agents').values(row).execute();
}

export async function isAgentOfResource(db: Db, userId: string, resourceId: string): Promise<boolean> {
  const row = await computeTables(db)
    .selectFrom('hpc_resource_agents')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('resource_id', '=', resourceId)
    .executeTakeFirst();
  return row !== undefined;
}

export function listAgentsOfResource(db: Db, resourceId: string): Promise<string[]> {
  return computeTables(db)
    .selectFrom('hpc_resource_agents')
    .select('user_id')
    .where('resource_id', '=', resourceId)
    .orderBy('created_at')
    .execute()
    .then((rows) => rows.map((row) => row.user_id));
}

/** Analyses by id, or a page in id order after `afterId`: what the search index mirrors. */
export function findAnalysesForSearch(
  db: Db,
  selection: { ids: readonly string[] } | { afterId: string | null; limit: number },
): Promise<AnalysisRow[]> {
  const all = computeTables(db).selectFrom('analyses').selectAll();
  if ('ids' in selection) {
    return selection.ids.length === 0 ? Promise.resolve([]) : all.where('id', 'in', selection.ids).execute();
  }
  return all
    .$if(selection.afterId !== null, (q) => q.where('id', '>', selection.afterId ?? ''))
    .orderBy('id')
    .limit(selection.limit)
    .execute();
}
