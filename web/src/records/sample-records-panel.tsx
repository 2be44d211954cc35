/** The records made with a sample (its reservation named it), newest session first, each linking to its page. */
import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../layout/format-time';
import { ListCard } from '../layout/list-card';
import { useSampleRecords } from './record-queries';

export function SampleRecordsPanel({ sampleId }: { sampleId: string }) {
  const list = useSampleRecords(sampleId);
  const records = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack data-testid="sample-records">
      <Title order={4}>Records</Title>
      <ListCard query={list} empty={records.length === 0 && 'No instrument records yet.'} more={list}>
        <Table verticalSpacing="xs" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Record</Table.Th>
              <Table.Th>Instrument</Table.Th>
              <Table.Th>Experimenter</Table.Th>
              <Table.Th>Session started</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {records.map((record) => (
              <Table.Tr key={record.id} data-testid={`sample-record-${record.id}`}>
                <Table.Td>
                  <Anchor component={Link} to={`/records/${record.id}`} size="sm" fw={500}>
                    {record.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>{record.instrument}</Table.Td>
                <Table.Td>{record.user ?? '—'}</Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDateTime(record.startedAt)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ListCard>
    </Stack>
  );
}
