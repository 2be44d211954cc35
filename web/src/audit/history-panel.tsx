/**
 * The history of one entity from the audit trail: who did what when, and what changed (before → after) under
 * readable labels, with ids of types, items and projects shown by name (items linked) and a move as one line.
 * An item's history includes its files' attachment ("Attached file foo.fasta (12 kB)"), which the trail
 * records under each file; a sample's includes the records built with it and the analyses of it.
 */
import { Anchor, Badge, Button, Card, Code, Group, Table, Text, Timeline, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useSession } from '../accounts/session';
import type { AuditEvent } from '../api/types';
import { humanizeFieldName } from '../inventory/field-inputs';
import { useItemFileHistory, useItemTypes } from '../inventory/inventory-queries';
import { ItemReference } from '../inventory/item-reference';
import { ErrorAlert } from '../layout/error-alert';
import { formatFileSize } from '../layout/file-size';
import { formatDateTime } from '../layout/format-time';
import { PageLoader } from '../layout/page-states';
import { RawId } from '../layout/raw-id';
import { useProject } from '../projects/project-queries';
import {
  attachedFile,
  auditRows,
  formatAuditValue,
  mergeHistories,
  movedPlaces,
  type AttachedFile,
  type AuditReference,
  type AuditRow,
  type Place,
} from './audit-diff';
import { useEntityHistory, useSampleLinkHistory } from './audit-queries';

const actionColors: Record<string, string> = {
  create: 'teal',
  update: 'blue',
  delete: 'red',
  restore: 'grape',
  move: 'orange',
  revoke: 'red',
  attach: 'cyan',
};

/** Usernames by user id, from the actors of the events on screen (a manager is usually one of them). */
type KnownUsers = ReadonlyMap<string, string>;

function TypeReference({ id }: { id: string }) {
  const type = useItemTypes().data?.find((candidate) => candidate.id === id);
  return type ? <>{type.name}</> : <RawId id={id} />;
}

function ProjectReference({ id }: { id: string }) {
  const project = useProject(id);
  if (!project.data) return <RawId id={id} />;
  return (
    <Anchor component={Link} to={`/projects/${id}`} inherit>
      {project.data.name}
    </Anchor>
  );
}

function Reference({ reference, id, users }: { reference: AuditReference; id: string; users: KnownUsers }) {
  switch (reference) {
    case 'item':
      return <ItemReference id={id} />;
    case 'type':
      return <TypeReference id={id} />;
    case 'project':
      return <ProjectReference id={id} />;
    case 'user': {
      const username = users.get(id);
      return username === undefined ? <RawId id={id} /> : <>{username}</>;
    }
  }
}

function AuditValue({ row, value, users }: { row: AuditRow; value: unknown; users: KnownUsers }) {
  if (value === undefined || value === null || value === '')
    return (
      <Text span size="xs" c="dimmed">
        {value === undefined ? '—' : formatAuditValue(value)}
      </Text>
    );
  if (row.reference !== undefined && typeof value === 'string')
    return (
      <Text span size="xs">
        <Reference reference={row.reference} id={value} users={users} />
      </Text>
    );
  const text = formatAuditValue(value, row.kind);
  return (
    <Text span size="xs" title={text} style={{ wordBreak: 'break-word' }}>
      {text.length > 160 ? `${text.slice(0, 160)}…` : text}
    </Text>
  );
}

function DiffTable({ event, users }: { event: AuditEvent; users: KnownUsers }) {
  const rows = auditRows(event.before, event.after, { fieldLabel: humanizeFieldName });
  if (rows.length === 0) return null;
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
        {rows.map((row) => (
          <Table.Tr key={row.key} data-key={row.key}>
            <Table.Td>
              <Text span size="xs" fw={500} title={row.key}>
                {row.label}
              </Text>
            </Table.Td>
            {only !== 'after' && (
              <Table.Td>
                <AuditValue row={row} value={row.before} users={users} />
              </Table.Td>
            )}
            {only !== 'before' && (
              <Table.Td>
                <AuditValue row={row} value={row.after} users={users} />
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function PlaceText({ place }: { place: Place }) {
  if (place.parentId === null) return <>the top level</>;
  return (
    <>
      <ItemReference id={place.parentId} />
      {place.slot !== null && ` (${place.slot})`}
    </>
  );
}

/** An attachment as one line, the file's name a download link. */
function AttachLine({ file }: { file: AttachedFile }) {
  return (
    <Text size="sm" data-testid="history-attach">
      Attached file{' '}
      <Anchor href={`/api/files/${file.id}`} download={file.name} inherit>
        {file.name}
      </Anchor>
      {file.size !== null && ` (${formatFileSize(file.size)})`}
    </Text>
  );
}

/** A move as one line: "Moved from B-000012 Box 7 (A1) to B-000013 Box 8 (C4)". */
function MoveLine({ from, to }: { from: Place; to: Place }) {
  return (
    <Text size="sm" data-testid="history-move">
      Moved from <PlaceText place={from} /> to <PlaceText place={to} />
    </Text>
  );
}

function HistoryEvent({
  event,
  myId,
  users,
}: {
  event: AuditEvent;
  myId: string | undefined;
  users: KnownUsers;
}) {
  const move = event.action === 'move' ? movedPlaces(event.before, event.after) : null;
  const attached = attachedFile(event);
  const action = attached ? 'attach' : event.action;
  return (
    <div data-testid="history-event" data-action={action}>
      <Group gap="xs" mb={6}>
        <Badge size="sm" variant="light" color={actionColors[action] ?? 'gray'}>
          {action}
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
      {attached ? (
        <AttachLine file={attached} />
      ) : move ? (
        <MoveLine from={move.from} to={move.to} />
      ) : (
        <DiffTable event={event} users={users} />
      )}
    </div>
  );
}

export function HistoryPanel({ entityType, entityId }: { entityType: string; entityId: string }) {
  const history = useEntityHistory(entityType, entityId);
  const fileEvents = useItemFileHistory(entityType === 'item' ? entityId : null);
  const linkEvents = useSampleLinkHistory(entityType === 'sample' ? entityId : null);
  const myId = useSession().data?.user.id;
  const events = mergeHistories(
    history.data?.pages.flatMap((page) => page.items) ?? [],
    [...fileEvents, ...linkEvents],
    !history.hasNextPage,
  );
  const users: KnownUsers = new Map(
    events.flatMap((event) => (event.actor ? [[event.actor.id, event.actor.username] as const] : [])),
  );
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
              <HistoryEvent event={event} myId={myId} users={users} />
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
