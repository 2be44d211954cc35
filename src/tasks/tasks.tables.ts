/** Kysely table type of the durable task queue. */
import type { Generated } from 'kysely';

export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface TasksTable {
  id: Generated<number>;
  name: string;
  payload: string;
  status: TaskStatus;
  /** Not before this time (ISO-8601); pushed back by retries. */
  run_at: string;
  attempts: number;
  max_attempts: number;
  /** Set for tasks that must exist once (schedules, debounced upkeep); unique while set. */
  unique_key: string | null;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface TasksTables {
  tasks: TasksTable;
}
