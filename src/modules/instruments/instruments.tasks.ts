/** Background tasks of the instruments module. */
import { defineTask } from '../../tasks/task-registry.js';
import { harvestNemo, type HarvestOptions } from './nemo-harvest.service.js';

const DAY_MS = 86_400_000;

/** What a scheduled harvest uses: a week's lookback (NexusLIMS's), a month back on a server's first harvest. */
export function harvestOptionsFrom(config: {
  nemoWithoutReservation: HarvestOptions['rules']['withoutReservation'];
  nemoConsent: HarvestOptions['rules']['consent'];
}): HarvestOptions {
  return {
    rules: { withoutReservation: config.nemoWithoutReservation, consent: config.nemoConsent },
    lookbackMs: 7 * DAY_MS,
    firstHarvestMs: 30 * DAY_MS,
    timeoutMs: 30_000,
    retries: 4,
  };
}

/** Every 5 minutes: the configured NEMO servers' ended usage events become sessions, each exactly once. */
export const harvestNemoTask = defineTask<null>({
  name: 'instruments.harvest-nemo',
  everySeconds: 300,
  handler: async (_payload, { db, config, log }) => {
    if (config.nemoServers.length === 0) return;
    const report = await harvestNemo(db, config.nemoServers, harvestOptionsFrom(config));
    for (const server of report.servers) {
      if (server.error !== null)
        log.warn({ server: server.address, err: server.error }, 'NEMO harvest failed');
      else if (server.written > 0)
        log.info({ server: server.address, sessions: server.written }, 'NEMO sessions harvested');
    }
  },
});
