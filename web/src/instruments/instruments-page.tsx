/** Every registered instrument: its name (to its page), PID, location, where its sessions come from. */
import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ListCard } from '../layout/list-card';
import { harvesterLabel } from './instrument-labels';
import { useInstruments } from './instrument-queries';

export function InstrumentsPage() {
  const list = useInstruments();
  const instruments = list.data?.items ?? [];
  return (
    <Stack>
      <Title order={2}>Instruments</Title>
      <ListCard query={list} empty={instruments.length === 0 && 'No instruments yet.'}>
        <Table.ScrollContainer minWidth={640}>
          <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" data-testid="instruments-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Instrument</Table.Th>
                <Table.Th>PID</Table.Th>
                <Table.Th>Location</Table.Th>
                <Table.Th>Sessions from</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {instruments.map((instrument) => (
                <Table.Tr key={instrument.pid}>
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/instruments/${encodeURIComponent(instrument.pid)}`}
                      fw={500}
                      size="sm"
                    >
                      {instrument.schemaName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {instrument.pid}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{instrument.location}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{harvesterLabel(instrument.harvester)}</Text>
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
