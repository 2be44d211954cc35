/**
 * One instrument: its settings (where it is, where it writes its data, where its sessions come from), a
 * timeline of its sessions and the sessions as a table with their status and record. Staff see every
 * session; anyone else sees the sessions logged as them (the server answers only those).
 */
import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router-dom';
import { DetailField, DetailsCard } from '../layout/details-card';
import { formatDateTime } from '../layout/format-time';
import { ListCard } from '../layout/list-card';
import { QueryPage } from '../layout/query-page';
import { harvesterLabel, sessionStatusLabels } from './instrument-labels';
import { useInstrument, useInstrumentSessions } from './instrument-queries';
import type { Instrument } from './instrument-types';
import { SessionTimeline } from './session-timeline';

export function InstrumentPage() {
  const pid = useParams().pid ?? '';
  const instrument = useInstrument(pid);
  return <QueryPage query={instrument}>{(data) => <InstrumentView instrument={data} />}</QueryPage>;
}

function InstrumentView({ instrument }: { instrument: Instrument }) {
  const sessions = useInstrumentSessions(instrument.pid);
  const items = sessions.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Title order={2} data-testid="instrument-title">
        {instrument.schemaName}
      </Title>
      <DetailsCard testId="instrument-details" description="">
        <DetailField label="PID">{instrument.pid}</DetailField>
        <DetailField label="Location">{instrument.location}</DetailField>
        <DetailField label="Sessions from">{harvesterLabel(instrument.harvester)}</DetailField>
        <DetailField label="Time zone">{instrument.timezone}</DetailField>
        <DetailField label="Property tag">{instrument.propertyTag}</DetailField>
        <DetailField label="Calendar">
          <Anchor href={instrument.calendarUrl} target="_blank" rel="noreferrer" size="sm">
            {instrument.calendarName}
          </Anchor>
        </DetailField>
        <DetailField label="Data folder" wide>
          <Text span ff="monospace" size="sm">
            {instrument.filestorePath}
          </Text>
        </DetailField>
        <DetailField label="Reservation system" wide>
          <Anchor href={instrument.apiUrl} target="_blank" rel="noreferrer" size="sm">
            {instrument.apiUrl}
          </Anchor>
        </DetailField>
        {instrument.computerName && <DetailField label="Computer">{instrument.computerName}</DetailField>}
        {instrument.computerIp && <DetailField label="Computer address">{instrument.computerIp}</DetailField>}
        {instrument.computerMount && <DetailField label="Mount">{instrument.computerMount}</DetailField>}
      </DetailsCard>
      <Group justify="space-between">
        <Title order={3}>Sessions</Title>
        <Anchor component={Link} to={`/records?instrument=${encodeURIComponent(instrument.pid)}`} size="sm">
          Records of this instrument
        </Anchor>
      </Group>
      <Card withBorder padding="lg">
        {sessions.isPending ? null : <SessionTimeline sessions={items} />}
      </Card>
      <ListCard query={sessions} empty={items.length === 0 && 'No sessions yet.'} more={sessions}>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" horizontalSpacing="md" data-testid="sessions-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Ended</Table.Th>
                <Table.Th>User</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Record</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((session) => {
                const { label, color } = sessionStatusLabels[session.status];
                return (
                  <Table.Tr key={session.sessionIdentifier}>
                    <Table.Td>{formatDateTime(session.startedAt)}</Table.Td>
                    <Table.Td>{formatDateTime(session.endedAt)}</Table.Td>
                    <Table.Td>{session.user ?? '—'}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={color} miw="max-content">
                        {label}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {session.recordId ? (
                        <Anchor component={Link} to={`/records/${session.recordId}`} size="sm">
                          Open record
                        </Anchor>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListCard>
    </Stack>
  );
}
