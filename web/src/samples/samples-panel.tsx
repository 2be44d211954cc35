/** A project's samples: filter by status, type and text, page with "Load more", export as CSV, register. */
import { Anchor, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { typesOfClass, useItemTypes } from '../inventory/inventory-queries';
import { ChoiceFilter, FilterBar, SearchFilter, useSearchFilter } from '../layout/filter-bar';
import { formatDate, formatDateTime } from '../layout/format-time';
import { RegisterSampleButton } from './register-sample-button';
import { useProjectSamples } from './sample-queries';
import { sampleStatusOptions } from './sample-status';
import { SampleStatusBadge } from './sample-status-badge';
import type { SampleStatus } from './sample-types';
import { ListCard } from '../layout/list-card';

export function SamplesPanel({ projectId, canRegister }: { projectId: string; canRegister: boolean }) {
  const types = useItemTypes();
  const search = useSearchFilter();
  const { q } = search;
  const [status, setStatus] = useState<SampleStatus | null>(null);
  const [type, setType] = useState<string | null>(null);
  const filter = {
    ...(q && { q }),
    ...(status && { status }),
    ...(type && { type }),
  };
  const list = useProjectSamples(projectId, filter);
  // The same filters for the CSV export (downloaded with the session cookie).
  const exportUrl = `/api/projects/${encodeURIComponent(projectId)}/samples.csv?${new URLSearchParams(filter).toString()}`;
  const samples = list.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(q || status || type);

  return (
    <Stack data-testid="samples-panel">
      <Group justify="space-between" align="flex-end">
        <FilterBar>
          <SearchFilter search={search} placeholder="Name, human id or barcode" width={260} />
          <ChoiceFilter
            label="Status"
            placeholder="Any status"
            choices={sampleStatusOptions}
            value={status}
            onChange={setStatus}
            width={170}
          />
          <ChoiceFilter
            label="Type"
            placeholder="Any type"
            choices={typesOfClass(types.data, 'physical').map((candidate) => candidate.name)}
            searchable
            value={type}
            onChange={setType}
            width={170}
          />
        </FilterBar>
        <Group gap="xs">
          <Button variant="subtle" component="a" href={exportUrl} download data-testid="export-samples">
            Export CSV
          </Button>
          {canRegister && <RegisterSampleButton projectId={projectId} />}
        </Group>
      </Group>
      <ListCard
        query={list}
        empty={samples.length === 0 && (filtered ? 'No sample matches.' : 'No samples yet.')}
        more={list}
      >
        <Table.ScrollContainer minWidth={760}>
          <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" data-testid="samples-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={110}>ID</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Collected</Table.Th>
                <Table.Th>Location</Table.Th>
                <Table.Th>Registered</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {samples.map((sample) => (
                <Table.Tr key={sample.id}>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {sample.humanId}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/samples/${sample.id}`} fw={500} size="sm">
                      {sample.name}
                    </Anchor>
                    {sample.barcode && (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {sample.barcode}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{sample.type.name}</Text>
                  </Table.Td>
                  <Table.Td>
                    <SampleStatusBadge status={sample.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(sample.collectionDate)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {sample.parentId ? (
                      <Anchor
                        component={Link}
                        to={`/inventory?container=${encodeURIComponent(sample.parentId)}`}
                        size="sm"
                      >
                        {sample.parent ? `${sample.parent.humanId} ${sample.parent.name}` : 'In a container'}
                        {sample.slot && ` · ${sample.slot}`}
                      </Anchor>
                    ) : (
                      <Text size="sm" c="dimmed">
                        Not stored
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(sample.createdAt)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListCard>
    </Stack>
  );
}
