/** A table of items (a container's contents, the catalogue): human id, name, type, slot, barcode. */
import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Item } from './inventory-types';

interface ItemTableProps {
  items: readonly Item[];
  showSlot?: boolean;
  /** Extra actions per row (e.g. "Browse" into a container). */
  actions?: (item: Item) => ReactNode;
  empty?: string;
  testId?: string;
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?: () => void;
}

export function ItemTable({
  items,
  showSlot = false,
  actions,
  empty = 'Nothing here yet.',
  testId,
  hasMore,
  loadingMore,
  onLoadMore,
}: ItemTableProps) {
  if (items.length === 0) {
    return (
      <Text c="dimmed" ta="center" size="sm" py="lg">
        {empty}
      </Text>
    );
  }
  return (
    <>
      <Table.ScrollContainer minWidth={560}>
        <Table highlightOnHover verticalSpacing="xs" horizontalSpacing="md" data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={110}>ID</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Type</Table.Th>
              {showSlot && <Table.Th w={70}>Slot</Table.Th>}
              <Table.Th>Barcode</Table.Th>
              {actions && <Table.Th w={1} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => (
              <Table.Tr key={item.id}>
                <Table.Td>
                  <Text size="xs" ff="monospace">
                    {item.humanId}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Anchor component={Link} to={`/inventory/items/${item.id}`} size="sm" fw={500}>
                      {item.name}
                    </Anchor>
                    {item.hidden && (
                      <Badge size="xs" color="gray" variant="light">
                        hidden
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{item.type.name}</Text>
                </Table.Td>
                {showSlot && (
                  <Table.Td>
                    <Text size="sm">{item.slot ?? '—'}</Text>
                  </Table.Td>
                )}
                <Table.Td>
                  <Text
                    size="sm"
                    ff={item.barcode ? 'monospace' : undefined}
                    c={item.barcode ? undefined : 'dimmed'}
                  >
                    {item.barcode ?? '—'}
                  </Text>
                </Table.Td>
                {actions && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      {actions(item)}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {hasMore && onLoadMore && (
        <Group justify="center" py="sm">
          <Button variant="default" size="xs" onClick={onLoadMore} loading={loadingMore}>
            Load more
          </Button>
        </Group>
      )}
    </>
  );
}
