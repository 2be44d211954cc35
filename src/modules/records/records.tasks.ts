/** Background tasks of the records module. */
import { FileStore } from '../../files/file-store.js';
import { defineTask } from '../../tasks/task-registry.js';
import { buildNextSession, type BuildSettings } from './record-builder.service.js';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/database.js';

/** The builder's settings from the configuration. */
export function buildSettingsFrom(db: Db, config: Config, claimant: string): BuildSettings {
  return {
    db,
    files: new FileStore(config.filesDir),
    dataRoot: config.instrumentDataDir,
    noFilesDelayMs: config.recordNoFilesDelayHours * 3_600_000,
    retryWaitingMs: 10 * 60_000,
    sensitivity: config.recordClusterSensitivity,
    extensions: config.recordExtensions,
    ignore: config.recordIgnore,
    maxPreviewBytes: config.uploadLimitBytes,
    claimant,
  };
}

/** At most this many sessions a run, so that one run does not hold a worker for hours. */
const SESSIONS_PER_RUN = 50;

/** Every minute: builds the TO_BE_BUILT sessions, one at a time, each by one worker only. */
export const buildRecordsTask = defineTask<null>({
  name: 'records.build-sessions',
  everySeconds: 60,
  handler: async (_payload, { db, config, log, taskId }) => {
    const settings = buildSettingsFrom(db, config, `task-${taskId}`);
    for (let built = 0; built < SESSIONS_PER_RUN; built++) {
      const outcome = await buildNextSession(settings);
      if (outcome === null || outcome.status === 'WAITING_FOR_FILES') return;
      if (outcome.status === 'ERROR')
        log.warn({ session: outcome.sessionIdentifier, reason: outcome.reason }, 'record build failed');
      else log.info({ session: outcome.sessionIdentifier, status: outcome.status }, 'session built');
    }
  },
});
