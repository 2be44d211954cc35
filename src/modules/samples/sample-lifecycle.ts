/**
 * The sample lifecycle, defined once: the statuses (which the API schema and so the OpenAPI document and the web
 * UI's generated types are built from) and the moves between them. registered → received → stored ⇄ in
 * analysis → consumed or disposed; a sample can be disposed of from any live state; consumed and disposed are
 * final.
 */

export const SAMPLE_STATUSES = [
  'registered',
  'received',
  'stored',
  'in_analysis',
  'consumed',
  'disposed',
] as const;

export type SampleStatus = (typeof SAMPLE_STATUSES)[number];

const allowedTransitions: Record<SampleStatus, readonly SampleStatus[]> = {
  registered: ['received', 'disposed'],
  received: ['stored', 'in_analysis', 'disposed'],
  stored: ['in_analysis', 'consumed', 'disposed'],
  in_analysis: ['stored', 'consumed', 'disposed'],
  consumed: [],
  disposed: [],
};

/** The statuses a sample in `from` may move to (what the UI offers). */
export function nextStatuses(from: SampleStatus): readonly SampleStatus[] {
  return allowedTransitions[from];
}

/** Statuses a sample leaves for `stored` when it is put into a storage slot: it has not been used yet. */
const STORED_ONCE_IN_A_SLOT: readonly SampleStatus[] = ['registered', 'received'];

/**
 * The status of a sample once it is where it is now: a registered or received sample in a grid slot is
 * stored, as a lab would say; anywhere else (no place, a container without a slot) it keeps its status.
 */
export function statusInPlace(status: SampleStatus, inSlot: boolean): SampleStatus {
  return inSlot && STORED_ONCE_IN_A_SLOT.includes(status) ? 'stored' : status;
}

export function canTransition(from: SampleStatus, to: SampleStatus): boolean {
  return allowedTransitions[from].includes(to);
}

/**
 * Why a new sample may not start in `status`, or null when it may: consumed and disposed are final, and a
 * stored sample needs a location. Shared with the CSV importer's dry run.
 */
export function initialStatusProblem(status: SampleStatus, hasLocation: boolean): string | null {
  if (status === 'consumed' || status === 'disposed') return `a new sample cannot start ${status}`;
  if (status === 'stored' && !hasLocation) return 'a stored sample needs a location (parent)';
  return null;
}
