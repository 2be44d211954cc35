/**
 * How analysis and job statuses read and look. The tables are Records over the generated unions, so a status
 * the server adds fails the web's type check until it is named here.
 */
import { choicesOf } from '../layout/choices';
import type { AnalysisStatus, JobStatus } from './compute-types';

export const analysisStatusLabels: Record<AnalysisStatus, { label: string; color: string }> = {
  draft: { label: 'Draft', color: 'gray' },
  queued: { label: 'Queued', color: 'blue' },
  submitted: { label: 'Submitted', color: 'indigo' },
  running: { label: 'Running', color: 'violet' },
  completed: { label: 'Completed', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'orange' },
};

export const analysisStatusOptions = choicesOf(analysisStatusLabels);

const endedStatuses: ReadonlySet<string> = new Set<JobStatus>(['completed', 'failed', 'cancelled']);

/** Whether nothing more will happen to the analysis (or job) unless someone retries it. */
export function hasEnded(status: AnalysisStatus | JobStatus): boolean {
  return endedStatuses.has(status);
}

/** Cancel applies while the analysis waits or runs. */
export function mayCancel(status: AnalysisStatus): boolean {
  return status === 'queued' || status === 'submitted' || status === 'running';
}

/** Retry (a new attempt, on the same resource) applies to an analysis that has ended, however it ended. */
export function mayRetry(status: AnalysisStatus): boolean {
  return hasEnded(status);
}
