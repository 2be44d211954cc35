/** Every task definition of every module, registered in one place so any worker can run any task. */
import { clearAbandonedUploadsTask } from '../files/files.tasks.js';
import { purgeSessionsTask } from '../modules/accounts/accounts.tasks.js';
import { harvestNemoTask } from '../modules/instruments/instruments.tasks.js';
import { buildRecordsTask } from '../modules/records/records.tasks.js';
import { applyBlastChangesTask, mergeBlastDatabasesTask } from '../modules/search/blast.tasks.js';
import { TaskRegistry } from './task-registry.js';

export function createTaskRegistry(): TaskRegistry {
  return new TaskRegistry().register(
    purgeSessionsTask,
    clearAbandonedUploadsTask,
    harvestNemoTask,
    buildRecordsTask,
    applyBlastChangesTask,
    mergeBlastDatabasesTask,
  );
}
