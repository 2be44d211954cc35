/** Read access to the task queue for administrators: what is queued, running, failed and why. */
import { Type, type Static } from 'typebox';
import type { Db } from '../db/database.js';
import { fetchPage } from '../db/paging.js';
import { Forbidden, NotFound } from '../errors/catalogue.js';
import { isAdmin, type Actor } from '../modules/accounts/actor.js';
import { findTask, listTasks as listTaskRows, type TaskRow } from './task-queue.js';
import type { TaskStatus } from './tasks.tables.js';

export const TaskStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
]);

export const TaskSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  payload: Type.Unknown(),
  status: TaskStatusSchema,
  runAt: Type.String(),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lockedBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});
export type Task = Static<typeof TaskSchema>;

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    name: row.name,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status,
    runAt: row.run_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    lockedBy: row.locked_by,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new Forbidden('Only administrators see the task queue');
}

export async function listTasks(
  db: Db,
  actor: Actor,
  query: {
    status?: TaskStatus | undefined;
    name?: string | undefined;
    cursor?: number | undefined;
    limit: number;
  },
): Promise<{ items: Task[]; nextCursor: string | null }> {
  requireAdmin(actor);
  const page = await fetchPage(
    query.limit,
    (limit) => listTaskRows(db, { ...query, beforeId: query.cursor, limit }),
    (last) => String(last.id),
  );
  return { items: page.items.map(toTask), nextCursor: page.nextCursor };
}

export async function getTask(db: Db, actor: Actor, id: number): Promise<Task> {
  requireAdmin(actor);
  const row = await findTask(db, id);
  if (!row) throw new NotFound('Task', String(id));
  return toTask(row);
}
