/**
 * The sample lifecycle as the server enforces it (samples.service.ts): registered → received → stored ⇄ in
 * analysis → consumed or disposed; disposed is reachable from any live state, consumed and disposed are final.
 * The UI offers only these moves; the server still decides (409 invalid_transition).
 */
import type { SampleStatus } from './sample-types';

export const sampleStatusLabels: Record<SampleStatus, string> = {
  registered: 'Registered',
  received: 'Received',
  stored: 'Stored',
  in_analysis: 'In analysis',
  consumed: 'Consumed',
  disposed: 'Disposed',
};

export const sampleStatusColors: Record<SampleStatus, string> = {
  registered: 'gray',
  received: 'blue',
  stored: 'teal',
  in_analysis: 'violet',
  consumed: 'orange',
  disposed: 'red',
};

export const nextSampleStatuses: Record<SampleStatus, readonly SampleStatus[]> = {
  registered: ['received', 'disposed'],
  received: ['stored', 'in_analysis', 'disposed'],
  stored: ['in_analysis', 'consumed', 'disposed'],
  in_analysis: ['stored', 'consumed', 'disposed'],
  consumed: [],
  disposed: [],
};

/** The verb on a button that moves a sample to a status. */
export const sampleStatusActions: Record<SampleStatus, string> = {
  registered: 'Register',
  received: 'Mark received',
  stored: 'Mark stored',
  in_analysis: 'Start analysis',
  consumed: 'Mark consumed',
  disposed: 'Dispose',
};

export const sampleStatuses = Object.keys(sampleStatusLabels) as SampleStatus[];

export const sampleStatusOptions = sampleStatuses.map((status) => ({
  value: status,
  label: sampleStatusLabels[status],
}));

export function isSampleStatus(value: string | null): value is SampleStatus {
  return value !== null && value in sampleStatusLabels;
}
