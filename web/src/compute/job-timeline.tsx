/**
 * A job's way through the scheduler as a timeline: queued → submitted → running → ended, each step with its
 * time, the submission with the scheduler's job id, the end with the outcome, the scheduler's own state, the
 * exit code and the reason it gave; resource use under it where the scheduler reported it.
 */
import { Badge, Group, Text, Timeline } from '@mantine/core';
import { formatFileSize } from '../layout/file-size';
import { formatDateTime } from '../layout/format-time';
import { analysisStatusLabels, hasEnded } from './analysis-status';
import type { Job } from './compute-types';

/** Times to the second: job steps are often seconds apart. */
function formatSecondTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${formatDateTime(iso)}:${String(date.getSeconds()).padStart(2, '0')}`;
}

function EndStep({ job }: { job: Job }) {
  if (!hasEnded(job.status)) return <Text size="xs">not yet</Text>;
  const { label, color } = analysisStatusLabels[job.status];
  return (
    <>
      <Group gap={6}>
        <Badge size="sm" variant="light" color={color}>
          {label}
        </Badge>
        <Text size="xs">{formatSecondTime(job.endedAt)}</Text>
      </Group>
      <Text size="xs" c="dimmed" data-testid="job-outcome">
        {[
          job.schedulerState && `scheduler state ${job.schedulerState}`,
          job.exitCode !== null && `exit code ${job.exitCode}`,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Text>
      {job.reason && (
        <Text size="xs" c={job.status === 'failed' ? 'red' : 'dimmed'}>
          {job.reason}
        </Text>
      )}
    </>
  );
}

export function JobTimeline({ job }: { job: Job }) {
  const reached = [job.queuedAt, job.submittedAt, job.startedAt, job.endedAt].filter(Boolean).length;
  const usage = [
    job.cpuSeconds !== null && `CPU time ${job.cpuSeconds.toFixed(1)} s`,
    job.peakMemoryBytes !== null && `peak memory ${formatFileSize(job.peakMemoryBytes)}`,
  ].filter(Boolean);
  return (
    <>
      <Timeline active={reached - 1} bulletSize={18} lineWidth={2} data-testid="job-timeline">
        <Timeline.Item title="Queued">
          <Text size="xs">{formatSecondTime(job.queuedAt)}</Text>
        </Timeline.Item>
        <Timeline.Item title="Submitted">
          <Text size="xs">{formatSecondTime(job.submittedAt)}</Text>
          {job.externalId && (
            <Text size="xs" c="dimmed">
              scheduler job {job.externalId}
            </Text>
          )}
        </Timeline.Item>
        <Timeline.Item title="Running">
          <Text size="xs">{formatSecondTime(job.startedAt)}</Text>
          {job.status === 'running' && job.schedulerState && (
            <Text size="xs" c="dimmed">
              scheduler state {job.schedulerState}
            </Text>
          )}
        </Timeline.Item>
        <Timeline.Item title="Ended">
          <EndStep job={job} />
        </Timeline.Item>
      </Timeline>
      {usage.length > 0 && (
        <Text size="xs" c="dimmed" mt="sm">
          {usage.join(' · ')}
        </Text>
      )}
      {job.cancelRequestedAt && !hasEnded(job.status) && (
        <Text size="xs" c="orange" mt="xs">
          Cancel requested {formatSecondTime(job.cancelRequestedAt)}
        </Text>
      )}
    </>
  );
}
