/**
 * Words for the instruments module's codes: a session's record status (NexusLIMS's states) as the pages say
 * and colour it (the timeline's bars and the sessions table alike), and where an instrument's sessions come
 * from.
 */
import type { Instrument, SessionStatus } from './instrument-types';

export const sessionStatusLabels: Record<SessionStatus, { label: string; color: string }> = {
  WAITING_FOR_END: { label: 'In progress', color: 'blue' },
  TO_BE_BUILT: { label: 'To be built', color: 'yellow' },
  COMPLETED: { label: 'Record built', color: 'green' },
  ERROR: { label: 'Build failed', color: 'red' },
  NO_FILES_FOUND: { label: 'No files found', color: 'gray' },
  NO_RESERVATION: { label: 'No reservation', color: 'orange' },
  NO_CONSENT: { label: 'No consent', color: 'grape' },
};

export function harvesterLabel(harvester: Instrument['harvester']): string {
  switch (harvester) {
    case 'nemo':
      return 'NEMO';
    case 'api':
      return 'Session logger (API)';
    case null:
      return 'Not harvested';
  }
}
