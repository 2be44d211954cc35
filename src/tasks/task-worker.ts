/**
 * The worker loop: claims due tasks, runs their handlers (up to `concurrency` at once), records the outcome,
 * and enqueues scheduled tasks once per slot (the slot is in the unique key, so several workers agree).
 * Runs inside `cairn serve` and alone as `cairn worker`. `stop()` waits for running handlers.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../http/logger.js';
import {
  claimTasks,
  completeTask,
  enqueueTask,
  failAbandonedTasks,
  failTask,
  type TaskRow,
} from './task-queue.js';
import type { TaskRegistry } from './task-registry.js';

export class TaskWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly #running = new Set<Promise<void>>();
  /** The last schedule slot this worker enqueued per task name (saves a write on every poll). */
  readonly #scheduledSlots = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = true;
  #polling: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly registry: TaskRegistry,
    private readonly config: Config,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (!this.#stopped || this.config.workerConcurrency === 0) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Polls at once instead of waiting for the next interval (after enqueueing work in this process). */
  nudge(): void {
    if (!this.#stopped && this.#polling === null) this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#polling;
    await Promise.allSettled([...this.#running]);
  }

  /** Claims and runs one batch; returns how many tasks it started. Exposed for tests and `cairn worker --once`. */
  async pollOnce(): Promise<number> {
    await this.#enqueueSchedules();
    await failAbandonedTasks(this.db);
    const free = this.config.workerConcurrency - this.#running.size;
    if (free <= 0) return 0;
    const tasks = await claimTasks(this.db, this.id, free, this.config.taskLeaseSeconds);
    for (const task of tasks) {
      const run = this.#run(task).finally(() => {
        this.#running.delete(run);
        this.nudge();
      });
      this.#running.add(run);
    }
    return tasks.length;
  }

  /** Waits for the handlers started so far (tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#running]);
  }

  #schedule(delayMs: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#polling = this.pollOnce()
        .catch((error: unknown) => this.log.error({ err: error }, 'task poll failed'))
        .then(() => {
          this.#polling = null;
          if (!this.#stopped) this.#schedule(this.config.workerPollMs);
        });
    }, delayMs);
    this.#timer.unref();
  }

  async #run(task: TaskRow): Promise<void> {
    const definition = this.registry.get(task.name);
    const log = this.log.child({ taskId: task.id, task: task.name, attempt: task.attempts });
    try {
      if (!definition) throw new Error(`No handler for task ${task.name}`);
      await definition.handler(JSON.parse(task.payload) as never, {
        db: this.db,
        config: this.config,
        log,
        taskId: task.id,
        attempt: task.attempts,
      });
      await completeTask(this.db, task);
      log.debug('task succeeded');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const status = await failTask(this.db, task, message).catch(() => null);
      log.warn({ err: error, status }, 'task failed');
    }
  }

  async #enqueueSchedules(): Promise<void> {
    const now = Date.now();
    for (const definition of this.registry.all()) {
      if (definition.everySeconds === undefined) continue;
      const slot = Math.floor(now / (definition.everySeconds * 1000));
      if (this.#scheduledSlots.get(definition.name) === slot) continue;
      this.#scheduledSlots.set(definition.name, slot);
      await enqueueTask(this.db, definition.name, null, {
        uniqueKey: `schedule:${definition.name}:${slot}`,
        maxAttempts: definition.maxAttempts ?? 3,
      });
    }
  }
}
