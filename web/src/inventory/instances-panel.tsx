/**
 * A catalogue entry's physical instances (the tubes of a plasmid) and where each one is: its container's path
 * and its slot, every step a link. Instances mostly share a few boxes, so the paths are fetched once per
 * container rather than once per instance.
 */
import { Anchor, Badge, Card, Group, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../layout/error-alert';
import { LoadMoreButton } from '../layout/load-more-button';
import { PageLoader } from '../layout/page-states';
import { useItemList, useItemPaths } from './inventory-queries';
import type { Item, PathEntry } from './inventory-types';
import { LocationBreadcrumb } from './location-breadcrumb';
import { inNameOrder } from './name-order';
import { PrintLabelsButton } from './print-labels';

export function InstancesPanel({ item }: { item: Item }) {
  const list = useItemList({ instanceOf: item.id, sort: 'name', limit: 100 });
  const instances = inNameOrder(list.data?.pages.flatMap((page) => page.items) ?? [], !list.hasNextPage);
  const containers = [
    ...new Set(instances.flatMap((instance) => (instance.parentId ? [instance.parentId] : []))),
  ];
  const paths = useItemPaths(containers);
  return (
    <Card withBorder padding={0} data-testid="instances-panel">
      <Group justify="space-between" px="lg" pt="lg" pb="sm">
        <Title order={4}>
          Instances{' '}
          {instances.length > 0 && (
            <Text span c="dimmed" size="sm" fw={400}>
              {instances.length}
              {list.hasNextPage ? '+' : ''}
            </Text>
          )}
        </Title>
        <PrintLabelsButton itemIds={instances.map((instance) => instance.id)} variant="subtle">
          Print their labels
        </PrintLabelsButton>
      </Group>
      <ErrorAlert error={list.error} />
      {list.isPending ? (
        <PageLoader />
      ) : instances.length === 0 ? (
        <Text size="sm" c="dimmed" px="lg" pb="lg">
          No tubes or other physical copies of {item.name} yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing="xs" horizontalSpacing="lg" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={110}>ID</Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th>Location</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {instances.map((instance) => (
                <InstanceRow
                  key={instance.id}
                  instance={instance}
                  path={instance.parentId ? paths.get(instance.parentId) : []}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <LoadMoreButton query={list} />
    </Card>
  );
}

function InstanceRow({
  instance,
  path,
}: {
  instance: Item;
  /** The container's path (root → container); [] at the top level; undefined while it loads. */
  path: readonly PathEntry[] | undefined;
}) {
  return (
    <Table.Tr data-testid="instance" data-item-id={instance.id}>
      <Table.Td>
        <Text size="xs" ff="monospace">
          {instance.humanId}
        </Text>
      </Table.Td>
      <Table.Td>
        <Anchor component={Link} to={`/inventory/items/${instance.id}`} size="sm" fw={500}>
          {instance.name}
        </Anchor>
      </Table.Td>
      <Table.Td data-testid="instance-location">
        <Group gap={6} wrap="nowrap">
          {path === undefined ? (
            <Text size="sm" c="dimmed">
              …
            </Text>
          ) : (
            <LocationBreadcrumb path={path} />
          )}
          {instance.slot && (
            <Badge variant="outline" size="sm" style={{ flexShrink: 0 }}>
              {instance.slot}
            </Badge>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
