/**
 * Task definitions: a task name maps to one payload type and one handler. Handlers are idempotent (a retry
 * runs them again) and get a context with the database; schedules enqueue a task once per time slot.
 */
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../http/logger.js';

export interface TaskContext {
  readonly db: Db;
  readonly config: Config;
  readonly log: Logger;
  readonly taskId: number;
  readonly attempt: number;
}

export interface TaskDefinition<Payload> {
  readonly name: string;
  readonly handler: (payload: Payload, context: TaskContext) => Promise<void>;
  readonly maxAttempts?: number;
  /** When set, the worker enqueues this task once every `everySeconds` (payload: null). */
  readonly everySeconds?: number;
}

export type AnyTaskDefinition = TaskDefinition<never>;

export function defineTask<Payload>(definition: TaskDefinition<Payload>): TaskDefinition<Payload> {
  return definition;
}

export class TaskRegistry {
  readonly #definitions = new Map<string, AnyTaskDefinition>();

  register(...definitions: AnyTaskDefinition[]): this {
    for (const definition of definitions) {
      if (this.#definitions.has(definition.name)) throw new Error(`Task ${definition.name} is defined twice`);
      this.#definitions.set(definition.name, definition);
    }
    return this;
  }

  get(name: string): AnyTaskDefinition | undefined {
    return this.#definitions.get(name);
  }

  all(): AnyTaskDefinition[] {
    return [...this.#definitions.values()];
  }
}
