import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/http/logger.js';
import { inTransaction } from '../../src/db/transaction.js';
import {
  backoffSeconds,
  claimTasks,
  enqueueTask,
  findTask,
  completeTask,
} from '../../src/tasks/task-queue.js';
import { defineTask, TaskRegistry } from '../../src/tasks/task-registry.js';
import { TaskWorker } from '../../src/tasks/task-worker.js';
import { dialectAvailable, dialects, useTestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait-for.js';

const config = loadConfig(
  { CAIRN_LOG_LEVEL: 'silent' },
  { workerConcurrency: 4, taskLeaseSeconds: 1, workerPollMs: 50 },
);
const log = createLogger(config);

describe.each(dialects)('task queue on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const database = useTestDatabase(dialect);
    const runs: Array<{ name: string; payload: unknown; attempt: number }> = [];
    let failuresLeft = 0;
    const registry = new TaskRegistry().register(
      defineTask<{ n: number }>({
        name: 'test.record',
        handler: async (payload, { attempt }) => {
          runs.push({ name: 'test.record', payload, attempt });
        },
      }),
      defineTask<null>({
        name: 'test.flaky',
        maxAttempts: 3,
        handler: async (payload, { attempt }) => {
          runs.push({ name: 'test.flaky', payload, attempt });
          if (failuresLeft-- > 0) throw new Error(`flaky failure ${attempt}`);
        },
      }),
    );

    it('never runs a task enqueued in a transaction that rolled back', async () => {
      await expect(
        inTransaction(database.db, async (trx) => {
          await enqueueTask(trx, 'test.record', { n: 1 });
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      const committed = await inTransaction(database.db, (trx) => enqueueTask(trx, 'test.record', { n: 2 }));
      const worker = new TaskWorker(database.db, registry, config, log);
      await worker.pollOnce();
      await worker.drain();
      expect(runs.filter((r) => r.name === 'test.record').map((r) => r.payload)).toEqual([{ n: 2 }]);
      expect((await findTask(database.db, committed ?? 0))?.status).toBe('succeeded');
    });

    it('runs a task again after its lease expires when its worker died, exactly once', async () => {
      const id = await enqueueTask(database.db, 'test.record', { n: 3 });
      // A worker claims it and "dies" (never completes).
      const [claimed] = await claimTasks(database.db, 'dead-worker', 10, 1);
      expect(claimed?.id).toBe(id);
      // Before the lease expires nobody else can take it.
      expect(await claimTasks(database.db, 'other', 10, 1)).toEqual([]);
      // Once the lease has expired, two workers polling side by side: one of them takes it.
      const workers = [
        new TaskWorker(database.db, registry, config, log),
        new TaskWorker(database.db, registry, config, log),
      ];
      let started = 0;
      await waitFor('claiming the task again once its lease expired', async () => {
        for (const count of await Promise.all(workers.map((w) => w.pollOnce()))) started += count;
        return started > 0;
      });
      await Promise.all(workers.map((w) => w.drain()));
      expect(started).toBe(1);
      expect(runs.filter((r) => (r.payload as { n?: number } | null)?.n === 3)).toHaveLength(1);
      const task = await findTask(database.db, id ?? 0);
      expect(task).toMatchObject({ status: 'succeeded', attempts: 2 });
      // The dead worker's late completion is fenced off.
      expect(claimed && (await completeTask(database.db, claimed))).toBe(false);
    });

    it('retries a failing task with exponential backoff, then gives up after max attempts', async () => {
      failuresLeft = 10;
      const id = (await enqueueTask(database.db, 'test.flaky', null, { maxAttempts: 2 })) ?? 0;
      const worker = new TaskWorker(database.db, registry, config, log);
      await worker.pollOnce();
      await worker.drain();
      const afterFirst = await findTask(database.db, id);
      expect(afterFirst).toMatchObject({ status: 'queued', attempts: 1, last_error: 'flaky failure 1' });
      const delayMs = new Date(afterFirst?.run_at ?? 0).getTime() - Date.now();
      expect(delayMs).toBeGreaterThan(0);
      expect(delayMs).toBeLessThanOrEqual(backoffSeconds(1) * 1000);
      expect(await worker.pollOnce()).toBe(0); // not due yet
      await waitFor('running the retry once it falls due', async () => (await worker.pollOnce()) === 1);
      expect(Date.now()).toBeGreaterThanOrEqual(new Date(afterFirst?.run_at ?? 0).getTime());
      await worker.drain();
      expect(await findTask(database.db, id)).toMatchObject({
        status: 'failed',
        attempts: 2,
        last_error: 'flaky failure 2',
      });
      expect(backoffSeconds(3)).toBe(8);
      expect(backoffSeconds(30)).toBe(3600);
    });

    it('hands each task to exactly one of several competing workers', async () => {
      const base = runs.length;
      await inTransaction(database.db, async (trx) => {
        for (let n = 100; n < 140; n++) await enqueueTask(trx, 'test.record', { n });
      });
      const workers = Array.from({ length: 3 }, () => new TaskWorker(database.db, registry, config, log));
      for (let round = 0; round < 20; round++) {
        const started = await Promise.all(workers.map((w) => w.pollOnce()));
        await Promise.all(workers.map((w) => w.drain()));
        if (started.every((n) => n === 0)) break;
      }
      const ns = runs.slice(base).map((r) => (r.payload as { n: number }).n);
      expect(ns.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
    });

    it('enqueues a unique key only once', async () => {
      const first = await enqueueTask(database.db, 'test.record', { n: 9 }, { uniqueKey: 'only-once' });
      const second = await enqueueTask(database.db, 'test.record', { n: 9 }, { uniqueKey: 'only-once' });
      expect(first).not.toBeNull();
      expect(second).toBeNull();
    });
  });
});
