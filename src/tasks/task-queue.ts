/**
 * The durable task queue, in the database (portable: SQLite and PostgreSQL).
 *
 * Glossary: a *task* is a named unit of background work with a JSON payload; *enqueue* adds one inside the
 * caller's transaction (it never runs if that transaction rolls back); a worker *claims* due tasks under a
 * *lease* (`locked_until`); a task whose lease expires (its worker died) is claimed again; a failed attempt
 * is retried with exponential backoff until `max_attempts`. Claims use `FOR UPDATE SKIP LOCKED` on
 * PostgreSQL; on SQLite the single writer lock serializes them. Completion is fenced by (locked_by, attempts)
 * so a worker that lost its lease cannot overwrite the newer attempt's outcome.
 */
import { sql, type Selectable } from 'kysely';
import { type Db } from '../db/database.js';
import { dialectOf } from '../db/dialect.js';
import { nowIso } from '../db/columns.js';
import type { TasksTable, TaskStatus } from './tasks.tables.js';

export type TaskRow = Selectable<TasksTable>;

export interface EnqueueOptions {
  /** Not before this time; default now. */
  runAt?: Date;
  maxAttempts?: number;
  /** At most one task with this key ever exists; a second enqueue with it is a no-op. */
  uniqueKey?: string;
}

/** Adds a task in the caller's transaction. Returns its id, or null when `uniqueKey` already existed. */
export async function enqueueTask(
  trx: Db,
  name: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<number | null> {
  const now = nowIso();
  const row = await trx
    .insertInto('tasks')
    .values({
      name,
      payload: JSON.stringify(payload ?? null),
      status: 'queued',
      run_at: (options.runAt ?? new Date()).toISOString(),
      attempts: 0,
      max_attempts: options.maxAttempts ?? 5,
      unique_key: options.uniqueKey ?? null,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Claims up to `limit` due tasks for `workerId`: queued ones whose time has come, and running ones whose
 * lease has expired. Each claim counts an attempt.
 */
export async function claimTasks(
  db: Db,
  workerId: string,
  limit: number,
  leaseSeconds: number,
): Promise<TaskRow[]> {
  const now = new Date();
  const nowText = now.toISOString();
  const lockedUntil = new Date(now.getTime() + leaseSeconds * 1000).toISOString();
  const skipLocked = dialectOf(db) === 'postgres' ? sql` for update skip locked` : sql``;
  const result = await sql<TaskRow>`
    update tasks set status = 'running', locked_by = ${workerId}, locked_until = ${lockedUntil},
      attempts = attempts + 1, updated_at = ${nowText}
    where id in (
      select id from tasks
      where (status = 'queued' and run_at <= ${nowText})
         or (status = 'running' and locked_until < ${nowText} and attempts < max_attempts)
      order by run_at, id
      limit ${limit}${skipLocked}
    )
    returning *`.execute(db);
  return result.rows;
}

/** Marks a claimed task done; false when this worker no longer holds it. */
export async function completeTask(db: Db, task: TaskRow): Promise<boolean> {
  const now = nowIso();
  const result = await db
    .updateTable('tasks')
    .set({
      status: 'succeeded',
      finished_at: now,
      updated_at: now,
      locked_by: null,
      locked_until: null,
      last_error: null,
    })
    .where('id', '=', task.id)
    .where('locked_by', '=', task.locked_by)
    .where('attempts', '=', task.attempts)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The delay before retry number `attempts` (1, 2, …): 2^attempts seconds, capped at an hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(2 ** attempts, 3600);
}

/** Records a failed attempt: queued again after a backoff, or failed for good after the last attempt. */
export async function failTask(db: Db, task: TaskRow, error: string): Promise<TaskStatus | null> {
  const now = new Date();
  const finalAttempt = task.attempts >= task.max_attempts;
  const status: TaskStatus = finalAttempt ? 'failed' : 'queued';
  const result = await db
    .updateTable('tasks')
    .set({
      status,
      run_at: new Date(now.getTime() + backoffSeconds(task.attempts) * 1000).toISOString(),
      last_error: error.slice(0, 4000),
      locked_by: null,
      locked_until: null,
      updated_at: now.toISOString(),
      finished_at: finalAttempt ? now.toISOString() : null,
    })
    .where('id', '=', task.id)
    .where('locked_by', '=', task.locked_by)
    .where('attempts', '=', task.attempts)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? status : null;
}

/** Running tasks whose lease expired on their last attempt can never be claimed again: mark them failed. */
export async function failAbandonedTasks(db: Db): Promise<number> {
  const now = nowIso();
  const result = await db
    .updateTable('tasks')
    .set({
      status: 'failed',
      last_error: 'lease expired on the last attempt',
      finished_at: now,
      updated_at: now,
      locked_by: null,
      locked_until: null,
    })
    .where('status', '=', 'running')
    .where('locked_until', '<', now)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function findTask(db: Db, id: number): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listTasks(
  db: Db,
  query: {
    status?: TaskStatus | undefined;
    name?: string | undefined;
    beforeId?: number | undefined;
    limit: number;
  },
): Promise<TaskRow[]> {
  let select = db.selectFrom('tasks').selectAll().orderBy('id', 'desc').limit(query.limit);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.name !== undefined) select = select.where('name', '=', query.name);
  if (query.beforeId !== undefined) select = select.where('id', '<', query.beforeId);
  return select.execute();
}
