/** Background tasks of accounts. */
import { defineTask } from '../../tasks/task-registry.js';
import { purgeExpiredSessions } from './accounts.service.js';

/** Hourly: removes expired web sessions. */
export const purgeSessionsTask = defineTask<null>({
  name: 'accounts.purge-expired-sessions',
  everySeconds: 3600,
  handler: async (_payload, { db, log }) => {
    const removed = await purgeExpiredSessions(db);
    if (removed > 0) log.info({ removed }, 'expired web sessions removed');
  },
});
