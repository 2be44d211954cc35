/** Background tasks of the file store. */
import type { Config } from '../config/config.js';
import type { Logger } from '../http/logger.js';
import { defineTask } from '../tasks/task-registry.js';
import { FileStore } from './file-store.js';

/**
 * Removes the temp files of uploads that a crash or a lost connection left in the store, once they are older
 * than CAIRN_ABANDONED_UPLOAD_HOURS (younger ones may belong to an upload in progress in another process).
 * Run at the server's start and hourly.
 */
export async function clearAbandonedUploads(
  store: FileStore,
  config: Pick<Config, 'abandonedUploadHours'>,
  log: Logger,
): Promise<void> {
  const removed = await store.removeAbandonedUploads(config.abandonedUploadHours * 3600 * 1000);
  if (removed > 0) log.info({ removed }, 'abandoned uploads removed');
}

/** Hourly: removes abandoned uploads. */
export const clearAbandonedUploadsTask = defineTask<null>({
  name: 'files.remove-abandoned-uploads',
  everySeconds: 3600,
  handler: async (_payload, { config, log }) =>
    clearAbandonedUploads(new FileStore(config.filesDir), config, log),
});
