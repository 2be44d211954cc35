// Temp files of uploads that a crash or an abort left behind (issue 11, finding 10): the hourly task and the
// server's start remove those older than CAIRN_ABANDONED_UPLOAD_HOURS, and keep the fresh ones of uploads in
// progress.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/http/logger.js';
import { startServer } from '../../src/runtime.js';
import { createTaskRegistry } from '../../src/tasks/task-catalog.js';
import { TaskWorker } from '../../src/tasks/task-worker.js';
import { dialectAvailable, dialects, useTestDatabase } from '../support/databases.js';

/** Leaves an `old` temp file (two hours untouched) and a `fresh` one in the store's upload folder. */
function leaveTempFiles(filesDir: string): string {
  const uploadsDir = path.join(filesDir, '.uploads');
  fs.mkdirSync(uploadsDir, { recursive: true });
  const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
  fs.writeFileSync(path.join(uploadsDir, 'old.part'), 'x');
  fs.utimesSync(path.join(uploadsDir, 'old.part'), twoHoursAgo, twoHoursAgo);
  fs.writeFileSync(path.join(uploadsDir, 'fresh.part'), 'x');
  return uploadsDir;
}

describe.each(dialects)('abandoned uploads on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const database = useTestDatabase(dialect);
    let config: Config;

    beforeAll(() => {
      config = loadConfig(
        { CAIRN_LOG_LEVEL: 'silent', CAIRN_ABANDONED_UPLOAD_HOURS: '1' },
        {
          ...database.connection,
          filesDir: path.join(database.connection.dataDir, 'files'),
          webDir: '/nonexistent',
          host: '127.0.0.1',
          port: 0,
          adminPassword: 'abandoned-uploads-test',
        },
      );
    });

    it('are removed by the scheduled task once they are older than the configured age', async () => {
      const uploadsDir = leaveTempFiles(config.filesDir);
      const worker = new TaskWorker(database.db, createTaskRegistry(), config, createLogger(config));
      await worker.pollOnce();
      await worker.drain();
      const runs = await database.db
        .selectFrom('tasks')
        .select(['status'])
        .where('name', '=', 'files.remove-abandoned-uploads')
        .execute();
      expect(runs).toEqual([{ status: 'succeeded' }]);
      expect(fs.readdirSync(uploadsDir)).toEqual(['fresh.part']);
    });

    it('are removed when the server starts', async () => {
      fs.rmSync(config.filesDir, { recursive: true, force: true });
      const uploadsDir = leaveTempFiles(config.filesDir);
      const log = createLogger(config);
      // The test database outlives the server: it is dropped after the tests.
      const server = await startServer(
        { config, log, database: { ...database, destroy: async () => undefined } },
        { withWorker: false },
      );
      try {
        expect(fs.readdirSync(uploadsDir)).toEqual(['fresh.part']);
      } finally {
        await server.stop();
      }
    });
  });
});

describe('CAIRN_ABANDONED_UPLOAD_HOURS', () => {
  it('defaults to a day and must be a whole number of hours', () => {
    expect(loadConfig({}).abandonedUploadHours).toBe(24);
    expect(() => loadConfig({ CAIRN_ABANDONED_UPLOAD_HOURS: '0' })).toThrow(/CAIRN_ABANDONED_UPLOAD_HOURS/);
    expect(() => loadConfig({ CAIRN_ABANDONED_UPLOAD_HOURS: '1.5' })).toThrow(/CAIRN_ABANDONED_UPLOAD_HOURS/);
  });
});
