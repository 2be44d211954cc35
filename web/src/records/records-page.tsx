/**
 * Experiment records the user may see, newest session first: filter by instrument, by project, by text (title,
 * experimenter, samples…, as the server searches) and by the days the session started between; page with
 * "Load more". The instrument, the project and the days live in the address
 * (`?instrument=…&project=…&from=2026-03-01`), so an instrument's page links to its records and the back
 * button returns to the filtered list.
 */
import { Anchor, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { useInstruments } from '../instruments/instrument-queries';
import { ChoiceFilter, FilterBar, SearchFilter, useSearchFilter } from '../layout/filter-bar';
import { formatDateTime } from '../layout/format-time';
import { ListCard } from '../layout/list-card';
import { useProjectList } from '../projects/project-queries';
import { useRecords } from './record-queries';
import type { RecordFilter, RecordSummary } from './record-types';

type AddressFilter = 'instrument' | 'project' | 'from' | 'to';

/** The start of a calendar day in the browser's time zone, as the instant the API takes; null if not a day. */
function startOfDay(day: string | null, plusDays = 0): string | null {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return null;
  date.setDate(date.getDate() + plusDays);
  return date.toISOString();
}

export function RecordsPage() {
  const instruments = useInstruments();
  const projects = useProjectList({});
  const search = useSearchFilter();
  const [params, setParams] = useSearchParams();
  const instrument = params.get('instrument');
  const project = params.get('project');
  const fromDay = params.get('from');
  const toDay = params.get('to');
  const setFilter = (key: AddressFilter) => (value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const from = startOfDay(fromDay);
  // "To" a day includes that day: sessions started before the next one.
  const to = startOfDay(toDay, 1);
  const filter: RecordFilter = {
    ...(instrument && { instrument }),
    ...(project && { project }),
    ...(search.q && { text: search.q }),
    ...(from && { from }),
    ...(to && { to }),
  };
  const list = useRecords(filter);
  const records = list.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Object.keys(filter).length > 0;
  const instrumentChoices =
    instruments.data?.items.map((candidate) => ({ value: candidate.pid, label: candidate.schemaName })) ?? [];
  const projectChoices =
    projects.data?.pages
      .flatMap((page) => page.items)
      .map((candidate) => ({ value: candidate.id, label: candidate.name })) ?? [];

  return (
    <Stack>
      <Title order={2}>Records</Title>
      <FilterBar>
        <SearchFilter search={search} placeholder="Title, experimenter, sample…" width={260} />
        <ChoiceFilter
          label="Instrument"
          placeholder="Any instrument"
          choices={instrumentChoices}
          searchable
          value={instrument}
          onChange={setFilter('instrument')}
          width={220}
        />
        <ChoiceFilter
          label="Project"
          placeholder="Any project"
          choices={projectChoices}
          searchable
          value={project}
          onChange={setFilter('project')}
          width={220}
        />
        <TextInput
          label="From"
          type="date"
          value={fromDay ?? ''}
          onChange={(event) => setFilter('from')(event.currentTarget.value)}
          w={160}
        />
        <TextInput
          label="To"
          type="date"
          value={toDay ?? ''}
          onChange={(event) => setFilter('to')(event.currentTarget.value)}
          w={160}
        />
      </FilterBar>
      <ListCard
        query={list}
        empty={records.length === 0 && (filtered ? 'No record matches.' : 'No records yet.')}
        more={list}
      >
        <RecordsTable records={records} />
      </ListCard>
    </Stack>
  );
}

function RecordsTable({ records }: { records: readonly RecordSummary[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" data-testid="records-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Record</Table.Th>
            <Table.Th>Instrument</Table.Th>
            <Table.Th>Experimenter</Table.Th>
            <Table.Th>Project</Table.Th>
            <Table.Th>Session started</Table.Th>
            <Table.Th>Ended</Table.Th>
            <Table.Th>Built</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {records.map((record) => (
            <Table.Tr key={record.id} data-testid={`record-${record.id}`}>
              <Table.Td>
                <Anchor component={Link} to={`/records/${record.id}`} fw={500} size="sm">
                  {record.title}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/instruments/${encodeURIComponent(record.instrument)}`}
                  size="sm"
                >
                  {record.instrument}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{record.user ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                {record.project ? (
                  <Anchor component={Link} to={`/projects/${record.project.id}`} size="sm">
                    {record.project.name}
                  </Anchor>
                ) : (
                  <Text size="sm">—</Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(record.startedAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(record.endedAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(record.builtAt)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
