/** Background tasks of the BLAST databases: applying queued sequence changes, and merging. */
import { defineTask } from '../../tasks/task-registry.js';
import {
  applyPendingSequenceChanges,
  BLAST_APPLY_TASK,
  BLAST_MERGE_TASK,
  blastFilesOf,
  rebuildBlastDatabases,
} from './blast-upkeep.js';

/**
 * Enqueued by every change of a sequence (and every half minute, in case a run failed for good): applies what
 * is queued within seconds, by one worker at a time.
 */
export const applyBlastChangesTask = defineTask<null>({
  name: BLAST_APPLY_TASK,
  everySeconds: 30,
  maxAttempts: 10,
  handler: async (_payload, { db, config, log, taskId }) => {
    const applied = await applyPendingSequenceChanges(db, blastFilesOf(config), `task-${taskId}`);
    if (applied > 0) log.debug({ applied }, 'sequence changes applied to the BLAST databases');
  },
});

/** Enqueued when the recent volume has grown: writes new main volumes in the background. */
export const mergeBlastDatabasesTask = defineTask<null>({
  name: BLAST_MERGE_TASK,
  maxAttempts: 5,
  handler: async (_payload, { db, config, log, taskId }) => {
    // BlastBusy (another worker holds the lease) fails this attempt: the retry comes after the backoff.
    const { sequences } = await rebuildBlastDatabases(db, blastFilesOf(config), `task-${taskId}`);
    log.info({ sequences }, 'BLAST databases merged');
  },
});
