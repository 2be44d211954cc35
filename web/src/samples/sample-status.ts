/**
 * How sample statuses read and look. The statuses are the generated API types' union (`SampleStatus`, from
 * schema.d.ts): every table here is a Record over it, so a status added to or dropped from the server's
 * schema fails the web's type check until it is named here. Which status may follow which is the server's
 * rule alone: each sample comes with its `nextStatuses`, which the sample page offers; a new sample's
 * starting status is checked by the server (a field error).
 */
import { choicesOf, isKeyOf } from '../layout/choices';
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

export const sampleStatusOptions = choicesOf(sampleStatusLabels);

export function isSampleStatus(value: string | null): value is SampleStatus {
  return isKeyOf(sampleStatusLabels, value);
}
