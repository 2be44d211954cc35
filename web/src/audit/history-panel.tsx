/** The history of one entity from the audit trail: who did what when, and what changed (before → after). */
import { Badge, Button, Card, Code, Group, Table, Text, Timeline, Title } from '@mantine/core';
import { useSession } from '../accounts/session';
import type { AuditEvent } from '../api/types';
import { ErrorAlert } from '../layout/error-alert';
import { formatDateTime } from '../layout/format-time';
import { PageLoader } from '../layout/page-states';
import { changedKeys, formatAuditValue } from './audit-diff';
import { useEntityHistory } from './audit-queries';

const actionColors: Record<string, string> = {
  create: 'teal',
  update: 'blue',
  delete: 'red',
  restore: 'grape',
  move: 'orange',
  revoke: 'red',
};

function AuditValue({ value }: { value: unknown }) {
  if (value === undefined)
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  const text = formatAuditValue(value);
  return (
    <Text span size="xs" ff="monospace" title={text} style={{ wordBreak: 'break-word' }}>
      {text.length > 160 ? `${text.slice(0, 160)}…` : text}
    </Text>
  );
}

function DiffTable({ event }: { event: AuditEvent }) {
  const changes = changedKeys(event.before, event.after);
  if (changes.length === 0) return null;
  // A creation has only an "after", a deletion only a "before": one value column is enough.
  const only = event.before === null ? 'after' : event.after === null ? 'before' : null;
  return (
    <Table withTableBorder withColumnBorders fz="xs" verticalSpacing={4} layout="fixed">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="30%">Field</Table.Th>
          {only === null ? (
            <>
              <Table.Th>Before</Table.Th>
              <Table.Th>After</Table.Th>
            </>
          ) : (
            <Table.Th>Value</Table.Th>
          )}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((change) => (
          <Table.Tr key={change.key}>
            <Table.Td>
              <Text span size="xs" fw={500}>
                {change.key}
              </Text>
            </Table.Td>
            {only !== 'after' && (
              <Table.Td>
                <AuditValue value={change.before} />
              </Table.Td>
            )}
            {only !== 'before' && (
              <Table.Td>
                <AuditValue value={change.after} />
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function HistoryEvent({ event, myId }: { event: AuditEvent; myId: string | undefined }) {
  return (
    <div data-testid="history-event" data-action={event.action}>
      <Group gap="xs" mb={6}>
        <Badge size="sm" variant="light" color={actionColors[event.action] ?? 'gray'}>
          {event.action}
        </Badge>
        <Text size="sm">{formatDateTime(event.occurredAt)}</Text>
        <Text size="xs" c="dimmed">
          by{' '}
          {event.actorId === null ? (
            'the system'
          ) : (
            <>
              {event.actor ? (
                <Text span inherit fw={500}>
                  {event.actor.username}
                </Text>
              ) : (
                <Code>{event.actorId}</Code>
              )}
              {event.actorId === myId && ' (you)'}
            </>
          )}
        </Text>
      </Group>
      <DiffTable event={event} />
    </div>
  );
}

export function HistoryPanel({ entityType, entityId }: { entityType: string; entityId: string }) {
  const history = useEntityHistory(entityType, entityId);
  const myId = useSession().data?.user.id;
  const events = history.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card withBorder padding="lg" data-testid="history-panel" aria-label="History">
      <Title order={4} mb="md">
        History
      </Title>
      {history.isPending ? (
        <PageLoader />
      ) : history.isError ? (
        <ErrorAlert error={history.error} />
      ) : events.length === 0 ? (
        <Text c="dimmed" size="sm">
          No recorded changes.
        </Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} active={events.length - 1}>
          {events.map((event) => (
            <Timeline.Item key={event.id} color={actionColors[event.action] ?? 'gray'}>
              <HistoryEvent event={event} myId={myId} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {history.hasNextPage && (
        <Button
          variant="subtle"
          mt="md"
          onClick={() => void history.fetchNextPage()}
          loading={history.isFetchingNextPage}
        >
          Load older changes
        </Button>
      )}
    </Card>
  );
}
