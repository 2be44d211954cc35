/**
 * A project's samples: filter by status, type and text, page with "Load more", export as CSV, register, and
 * select several to start one analysis of each ("Analyze selected").
 */
import { Anchor, Button, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { NewAnalysisDialog } from '../compute/new-analysis-dialog';
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
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [analyzing, setAnalyzing] = useState(false);
  const shownIds = samples.map((sample) => sample.id);
  const allShownSelected = shownIds.length > 0 && shownIds.every((id) => selected.has(id));
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

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
          {canRegister && (
            <Button variant="default" disabled={selected.size === 0} onClick={() => setAnalyzing(true)}>
              Analyze selected{selected.size > 0 && ` (${selected.size})`}
            </Button>
          )}
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
                {canRegister && (
                  <Table.Th w={40}>
                    <Checkbox
                      aria-label="Select all samples shown"
                      checked={allShownSelected}
                      indeterminate={!allShownSelected && shownIds.some((id) => selected.has(id))}
                      onChange={(event) =>
                        setSelected(event.currentTarget.checked ? new Set(shownIds) : new Set())
                      }
                    />
                  </Table.Th>
                )}
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
                  {canRegister && (
                    <Table.Td>
                      <Checkbox
                        aria-label={`Select ${sample.name}`}
                        checked={selected.has(sample.id)}
                        onChange={(event) => toggle(sample.id, event.currentTarget.checked)}
                      />
                    </Table.Td>
                  )}
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
      <NewAnalysisDialog sampleIds={analyzing ? [...selected] : []} onClose={() => setAnalyzing(false)} />
    </Stack>
  );
}
