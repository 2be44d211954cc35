/**
 * One sample: where it is, its lifecycle status with a button for each allowed next state, its collection
 * date, the fields of its item, its files, its analyses (and "Run analysis"), the instrument records made with
 * it, its label, and its history (the sample's and its item's).
 */
import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Select,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { fieldErrorOf } from '../api/api-error';
import { HistoryPanel } from '../audit/history-panel';
import { SampleAnalysesPanel } from '../compute/sample-analyses-panel';
import { TypeFieldValue } from '../inventory/detail-field';
import { ItemFilesPanel } from '../inventory/item-files-panel';
import { LabelPanel } from '../inventory/label-panel';
import { LocationBreadcrumb } from '../inventory/location-breadcrumb';
import { MoveItemDialog } from '../inventory/move-item-dialog';
import { DetailField, DetailsCard } from '../layout/details-card';
import { ErrorAlert } from '../layout/error-alert';
import { formatDate, formatDateTime } from '../layout/format-time';
import { QueryPage } from '../layout/query-page';
import { useCanWriteProject, useProject } from '../projects/project-queries';
import { SampleRecordsPanel } from '../records/sample-records-panel';
import { useSample, useUpdateSample } from './sample-queries';
import { isSampleStatus, sampleStatusOptions } from './sample-status';
import { SampleStatusBadge } from './sample-status-badge';
import type { SampleDetail } from './sample-types';

/** The status and a change to any other; the server says whether the lifecycle allows it. */
function StatusCard({ sample }: { sample: SampleDetail }) {
  const update = useUpdateSample(sample.id);
  return (
    <Card withBorder padding="lg" data-testid="sample-lifecycle">
      <Group justify="space-between" mb="sm">
        <Title order={4}>Status</Title>
        <SampleStatusBadge status={sample.status} size="lg" />
      </Group>
      <ErrorAlert error={update.error} title="The status did not change" />
      <Select
        mt={update.error ? 'sm' : 0}
        label="Change status to"
        placeholder="Choose a status"
        data={sampleStatusOptions.filter((option) => sample.nextStatuses.includes(option.value))}
        disabled={update.isPending || sample.nextStatuses.length === 0}
        value={null}
        onChange={(value) => {
          if (isSampleStatus(value)) update.mutate({ status: value });
        }}
        w={240}
        comboboxProps={{ withinPortal: true }}
      />
    </Card>
  );
}

function CollectionDate({ sample }: { sample: SampleDetail }) {
  const update = useUpdateSample(sample.id);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(sample.collectionDate ?? '');
  if (!editing) {
    return (
      <Group gap={6}>
        {formatDate(sample.collectionDate)}
        <Anchor component="button" size="xs" onClick={() => setEditing(true)}>
          change
        </Anchor>
      </Group>
    );
  }
  return (
    <Group gap={4} align="flex-start" wrap="nowrap">
      <TextInput
        size="xs"
        type="date"
        aria-label="Collection date"
        value={value}
        onChange={(event) => setValue(event.currentTarget.value)}
        error={fieldErrorOf(update.error, 'collectionDate')}
      />
      <Button
        size="xs"
        loading={update.isPending}
        onClick={() =>
          update.mutate({ collectionDate: value || null }, { onSuccess: () => setEditing(false) })
        }
      >
        Save
      </Button>
    </Group>
  );
}

function SampleView({ sample }: { sample: SampleDetail }) {
  const project = useProject(sample.projectId);
  const canWrite = useCanWriteProject(sample.projectId);
  const [moving, setMoving] = useState(false);
  const item = sample.item;
  const fieldNames = Object.keys(item.fields);
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/projects" size="sm">
          Projects
        </Anchor>
        <Anchor component={Link} to={`/projects/${sample.projectId}?tab=samples`} size="sm">
          {project.data?.name ?? 'Project'}
        </Anchor>
        <Text size="sm">{sample.humanId}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Group gap="sm">
          <Title order={2} data-testid="sample-name">
            {sample.name}
          </Title>
          <Badge variant="light" color="gray" size="lg" ff="monospace">
            {sample.humanId}
          </Badge>
          <Badge variant="light" size="lg">
            {sample.type.name}
          </Badge>
          <SampleStatusBadge status={sample.status} size="lg" />
        </Group>
        <Group gap="xs">
          <Button variant="default" onClick={() => setMoving(true)}>
            Move…
          </Button>
          <Button variant="default" component={Link} to={`/inventory/items/${item.id}`}>
            Item page
          </Button>
        </Group>
      </Group>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack>
            <DetailsCard
              testId="sample-details"
              lead={
                <Group gap={6}>
                  <Text size="sm" c="dimmed">
                    Location:
                  </Text>
                  {sample.parentId ? (
                    <LocationBreadcrumb path={sample.location} includeSelf={false} />
                  ) : (
                    <Text size="sm">not stored anywhere yet</Text>
                  )}
                  {sample.slot && (
                    <Badge variant="outline" size="sm">
                      slot {sample.slot}
                    </Badge>
                  )}
                </Group>
              }
              description={item.description}
            >
              <DetailField label="Collected">
                <CollectionDate key={sample.collectionDate ?? ''} sample={sample} />
              </DetailField>
              <DetailField label="Barcode">{sample.barcode ?? '—'}</DetailField>
              {fieldNames.map((name) => (
                <TypeFieldValue key={name} name={name} value={item.fields[name]} />
              ))}
              <DetailField label="Registered">{formatDateTime(sample.createdAt)}</DetailField>
              <DetailField label="Last changed">{formatDateTime(sample.updatedAt)}</DetailField>
            </DetailsCard>
            <StatusCard sample={sample} />
            <ItemFilesPanel itemId={item.id} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack>
            <LabelPanel item={item} />
            <Tabs defaultValue="sample" keepMounted={false}>
              <Tabs.List mb="sm">
                <Tabs.Tab value="sample">Sample history</Tabs.Tab>
                <Tabs.Tab value="item">Item history</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="sample">
                <HistoryPanel entityType="sample" entityId={sample.id} />
              </Tabs.Panel>
              <Tabs.Panel value="item">
                <HistoryPanel entityType="item" entityId={item.id} />
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>
      </Grid>
      <SampleAnalysesPanel sampleId={sample.id} canRun={canWrite} />
      <SampleRecordsPanel sampleId={sample.id} />
      <MoveItemDialog item={moving ? item : null} onClose={() => setMoving(false)} />
    </Stack>
  );
}

export function SamplePage() {
  const { id = '' } = useParams();
  const sample = useSample(id);
  return <QueryPage query={sample}>{(found) => <SampleView sample={found} />}</QueryPage>;
}
