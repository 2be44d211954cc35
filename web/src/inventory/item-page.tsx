/**
 * One item: its identity, fields (edited through the form of its type), where it is, what it holds, its
 * files, its label, delete and restore, and its history.
 */
import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Grid,
  Group,
  Modal,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { HistoryPanel } from '../audit/history-panel';
import { ConfirmButton } from '../layout/confirm-button';
import { ErrorAlert } from '../layout/error-alert';
import { QueryPage } from '../layout/query-page';
import { ContainerView } from './container-view';
import { DetailField, DetailsCard, Stamp } from '../layout/details-card';
import { fieldText, TypeFieldValue } from './detail-field';
import {
  useChildren,
  useDeleteItem,
  useItem,
  useItemIncludingDeleted,
  useItemPath,
  useItemTypes,
  useRestoreItem,
  useUpdateItem,
} from './inventory-queries';
import type { Item, ItemType } from './inventory-types';
import { InstancesPanel } from './instances-panel';
import { ItemFilesPanel } from './item-files-panel';
import { ItemReference } from './item-reference';
import { changesOf, ItemForm } from './item-form';
import { LabelPanel } from './label-panel';
import { LocationBreadcrumb } from './location-breadcrumb';
import { MoveItemDialog } from './move-item-dialog';

function EditItemButton({ item, type }: { item: Item; type: ItemType }) {
  const [opened, { open, close }] = useDisclosure();
  const update = useUpdateItem(item.id);
  const done = () => {
    update.reset();
    close();
  };
  return (
    <>
      <Button variant="default" onClick={open}>
        Edit
      </Button>
      <Modal opened={opened} onClose={done} title={`Edit ${item.humanId}`} size="lg">
        <ItemForm
          types={[type]}
          item={item}
          submitLabel="Save"
          pending={update.isPending}
          error={update.error}
          onSubmit={(result) => {
            const changes = changesOf(item, result);
            if (Object.keys(changes).length === 0) done();
            else update.mutate(changes, { onSuccess: done });
          }}
          onCancel={done}
        />
      </Modal>
    </>
  );
}

function DeleteItemButton({ item }: { item: Item }) {
  const remove = useDeleteItem(item.id);
  return (
    <ConfirmButton
      label="Delete"
      title="Delete item"
      confirmLabel="Delete item"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate()}
    >
      Delete <b>{item.name}</b> ({item.humanId})? It can be restored later, and its history stays.
    </ConfirmButton>
  );
}

function DeletedBanner({ item }: { item: Item }) {
  const restore = useRestoreItem(item.id);
  return (
    <Alert color="red" variant="light" title="This item is deleted" data-testid="deleted-banner">
      <Group justify="space-between">
        <Text size="sm">
          It no longer shows in the inventory.{' '}
          {item.parentId === null ? (
            'Restoring brings it back.'
          ) : (
            <>
              It was in <ItemReference id={item.parentId} />
              {item.slot !== null && `, slot ${item.slot}`}; restoring puts it back there.
            </>
          )}
        </Text>
        <Button size="xs" loading={restore.isPending} onClick={() => restore.mutate()}>
          Restore
        </Button>
      </Group>
      <ErrorAlert error={restore.error} />
    </Alert>
  );
}

function Contents({ item, grid }: { item: Item; grid: boolean }) {
  const children = useChildren(item.id);
  const navigate = useNavigate();
  const holds = (children.data?.pages[0]?.items.length ?? 0) > 0;
  if (!grid && !holds) return null;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4}>Contents</Title>
        <Anchor component={Link} to={`/inventory?container=${encodeURIComponent(item.id)}`} size="sm">
          Open in the browser
        </Anchor>
      </Group>
      <ContainerView container={item} onBrowse={(child) => void navigate(`/inventory/items/${child.id}`)} />
    </Stack>
  );
}

function ItemView({ item }: { item: Item }) {
  const deleted = item.deletedAt !== null;
  const types = useItemTypes();
  const type = types.data?.find((candidate) => candidate.id === item.type.id);
  const physical = item.class === 'physical';
  const path = useItemPath(physical && !deleted ? item.id : null);
  const virtual = useItem(item.virtualId);
  const [moving, setMoving] = useState(false);
  const fieldNames = [
    ...(type?.fields.map((field) => field.name) ?? []),
    ...Object.keys(item.fields).filter((name) => !type?.fields.some((field) => field.name === name)),
  ];

  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/inventory" size="sm">
          Inventory
        </Anchor>
        {!physical && (
          <Anchor component={Link} to="/inventory?tab=catalogue" size="sm">
            Catalogue
          </Anchor>
        )}
        <Text size="sm">{item.humanId}</Text>
      </Breadcrumbs>
      {deleted && <DeletedBanner item={item} />}
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={2} data-testid="item-name">
              {item.name}
            </Title>
            <Badge variant="light" color="gray" size="lg" ff="monospace" data-testid="item-human-id">
              {item.humanId}
            </Badge>
            <Badge variant="light" size="lg">
              {item.type.name}
            </Badge>
            {item.hidden && (
              <Badge variant="outline" color="gray">
                hidden
              </Badge>
            )}
          </Group>
          {physical && path.data && (
            <Group gap={6} mt={6}>
              <Text size="sm" c="dimmed">
                Location:
              </Text>
              <LocationBreadcrumb path={path.data} includeSelf={false} />
              {item.slot && (
                <Badge variant="outline" size="sm">
                  slot {item.slot}
                </Badge>
              )}
            </Group>
          )}
        </div>
        {!deleted && (
          <Group gap="xs">
            {physical && (
              <Button variant="default" onClick={() => setMoving(true)}>
                Move…
              </Button>
            )}
            {type && <EditItemButton item={item} type={type} />}
            <DeleteItemButton item={item} />
          </Group>
        )}
      </Group>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack>
            <DetailsCard
              testId="item-details"
              description={item.description}
              emptyDescription="No description."
            >
              {fieldNames.map((name) => (
                <TypeFieldValue key={name} name={name} value={item.fields[name]} />
              ))}
              <DetailField label="Barcode">{fieldText(item.barcode ?? undefined)}</DetailField>
              {item.virtualId && (
                <DetailField label="Instance of">
                  <Anchor component={Link} to={`/inventory/items/${item.virtualId}`} size="sm">
                    {virtual.data ? `${virtual.data.name} (${virtual.data.humanId})` : item.virtualId}
                  </Anchor>
                </DetailField>
              )}
              <DetailField label="Created">
                <Stamp at={item.created.at} by={item.created.by} />
              </DetailField>
              <DetailField label="Last changed">
                <Stamp at={item.updated.at} by={item.updated.by} />
              </DetailField>
            </DetailsCard>
            {physical && !deleted && <Contents item={item} grid={Boolean(type?.grid)} />}
            {!physical && !deleted && <InstancesPanel item={item} />}
            {!deleted && <ItemFilesPanel itemId={item.id} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack>
            {!deleted && <LabelPanel item={item} />}
            <HistoryPanel entityType="item" entityId={item.id} />
          </Stack>
        </Grid.Col>
      </Grid>
      <MoveItemDialog item={moving ? item : null} onClose={() => setMoving(false)} />
    </Stack>
  );
}

export function ItemPage() {
  const { id = '' } = useParams();
  // Deleted items too: their page shows what they were and their history, and offers to restore them.
  const item = useItemIncludingDeleted(id);
  return <QueryPage query={item}>{(found) => <ItemView item={found} />}</QueryPage>;
}
