/**
 * The record's acquisition activities, in time order: each with its time span, the sample it examined, its
 * setup (the values every dataset of the activity shares) and a table of its datasets with each one's own
 * metadata and the warnings reading it left.
 */
import { Anchor, Badge, Card, Group, Spoiler, Stack, Table, Text, Title } from '@mantine/core';
import { formatDateTime } from '../layout/format-time';
import { ParameterTable } from './record-parameters';
import type { RecordActivity, RecordDocument } from './record-types';

export function RecordActivities({ document }: { document: RecordDocument }) {
  if (document.activities.length === 0) return <Text c="dimmed">No activities.</Text>;
  const samples = new Map(document.samples.map((sample) => [sample.id, sample.name]));
  return (
    <Stack data-testid="record-activities">
      {document.activities.map((activity, index) => (
        <ActivityCard
          key={`${activity.start}-${index}`}
          activity={activity}
          number={index + 1}
          sampleName={activity.sampleId ? (samples.get(activity.sampleId) ?? null) : null}
        />
      ))}
    </Stack>
  );
}

function ActivityCard({
  activity,
  number,
  sampleName,
}: {
  activity: RecordActivity;
  number: number;
  sampleName: string | null;
}) {
  return (
    <Card withBorder padding="lg" data-testid="record-activity">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>Activity {number}</Title>
          <Text size="sm" c="dimmed">
            {formatDateTime(activity.start)} – {formatDateTime(activity.end)}
            {sampleName && ` · ${sampleName}`}
          </Text>
        </Group>
        <Text size="sm" fw={600}>
          Setup
        </Text>
        <ParameterTable parameters={activity.setup} testId="activity-setup" />
        <Text size="sm" fw={600}>
          Datasets ({activity.datasets.length})
        </Text>
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" horizontalSpacing="sm" data-testid="dataset-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Format</Table.Th>
                <Table.Th>Metadata</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {activity.datasets.map((dataset) => (
                <Table.Tr key={dataset.location} data-testid="dataset-row" style={{ verticalAlign: 'top' }}>
                  <Table.Td>
                    {dataset.preview ? (
                      <Anchor href={dataset.preview} target="_blank" rel="noreferrer" size="sm" fw={500}>
                        {dataset.name}
                      </Anchor>
                    ) : (
                      <Text size="sm" fw={500}>
                        {dataset.name}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                      {dataset.location}
                    </Text>
                    {dataset.description && <Text size="xs">{dataset.description}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" miw="max-content">
                      {dataset.type}
                    </Badge>
                    {dataset.role !== 'Experimental' && (
                      <Text size="xs" c="dimmed">
                        {dataset.role}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{dataset.format ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Spoiler maxHeight={120} showLabel="Show all" hideLabel="Show less">
                      <ParameterTable parameters={dataset.metadata} testId="dataset-metadata" />
                    </Spoiler>
                    {dataset.warnings.map((warning) => (
                      <Text key={warning} size="xs" c="orange">
                        {warning}
                      </Text>
                    ))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Card>
  );
}
