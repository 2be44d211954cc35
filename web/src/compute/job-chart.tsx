/**
 * A small chart of one resource's recent finished jobs: each job a bar of its queue wait and its run time,
 * oldest on the left, with the medians above it (Mantine's BarChart, over recharts).
 */
import { BarChart } from '@mantine/charts';
import { Card, Group, Text } from '@mantine/core';
import { ErrorAlert } from '../layout/error-alert';
import { formatDateTime } from '../layout/format-time';
import { useResourceAnalyses } from './analysis-queries';
import { formatSeconds, jobTimingsOf, medianOf } from './job-timings';

/** How many of the latest finished jobs the chart shows. */
const JOBS_SHOWN = 30;

export function JobChart({ resourceId, resourceName }: { resourceId: string; resourceName: string }) {
  const recent = useResourceAnalyses(resourceId, null);
  const timings = jobTimingsOf(recent.data?.items ?? [], JOBS_SHOWN);
  const medianWait = medianOf(timings.map((timing) => timing.waitSeconds));
  const medianDuration = medianOf(timings.map((timing) => timing.durationSeconds));
  return (
    <Card withBorder padding="md" data-testid={`job-chart-${resourceName}`}>
      <Group justify="space-between" mb="xs">
        <Text fw={500} size="sm">
          {resourceName}
        </Text>
        {medianWait !== null && medianDuration !== null && (
          <Text size="xs" c="dimmed">
            median wait {formatSeconds(medianWait)} · median run {formatSeconds(medianDuration)}
          </Text>
        )}
      </Group>
      <ErrorAlert error={recent.error} title="The recent jobs did not load" />
      {timings.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="lg">
          {recent.isPending ? 'Loading…' : 'No finished jobs yet.'}
        </Text>
      ) : (
        <BarChart
          h={160}
          data={timings.map((timing) => ({
            job: formatDateTime(timing.queuedAt),
            wait: timing.waitSeconds,
            duration: timing.durationSeconds,
          }))}
          dataKey="job"
          type="stacked"
          withLegend
          withXAxis={false}
          series={[
            { name: 'wait', label: 'Queue wait', color: 'yellow.6' },
            { name: 'duration', label: 'Run time', color: 'teal.6' },
          ]}
          valueFormatter={(value) => formatSeconds(value)}
        />
      )}
    </Card>
  );
}
