/** "Move…": pick a new container (and slot) for a physical item, or take it out to the top level. */
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { fieldErrorOf } from '../api/api-error';
import { ErrorAlert } from '../layout/error-alert';
import { useChildren, useItem, useMoveItem } from './inventory-queries';
import type { Item } from './inventory-types';
import { LocationPicker, type Location } from './location-picker';

function MoveForm({
  item,
  onDone,
}: {
  item: Pick<Item, 'id' | 'humanId' | 'name' | 'parentId'>;
  onDone: () => void;
}) {
  const parent = useItem(item.parentId);
  // "and everything in it" only for an item that holds something (what sits in its slots counts even when
  // hidden or another project's).
  const children = useChildren(item.id);
  const first = children.data?.pages[0];
  const holds =
    first !== undefined && (first.items.length > 0 || Object.keys(first.grid?.occupancy ?? {}).length > 0);
  const [location, setLocation] = useState<Location | null>(null);
  const current: Location = location ?? { container: parent.data ?? null, slot: null };
  const move = useMoveItem();
  const submit = (target: Location) =>
    move.mutate(
      { id: item.id, parentId: target.container?.id ?? null, slot: target.slot },
      { onSuccess: onDone },
    );
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" data-testid="move-summary">
        Moving {item.name} ({item.humanId}){holds ? ' and everything in it' : ''}.
      </Text>
      <ErrorAlert error={move.error} />
      <LocationPicker
        label="Destination container"
        value={current}
        onChange={setLocation}
        movingItemId={item.id}
        containerError={fieldErrorOf(move.error, 'parentId')}
        slotError={fieldErrorOf(move.error, 'slot')}
      />
      <Group justify="space-between" mt="xs">
        <Button variant="subtle" color="gray" onClick={() => submit({ container: null, slot: null })}>
          Move to the top level
        </Button>
        <Button
          disabled={current.container === null}
          loading={move.isPending}
          onClick={() => submit(current)}
        >
          Move
        </Button>
      </Group>
    </Stack>
  );
}

export function MoveItemDialog({
  item,
  onClose,
}: {
  item: Pick<Item, 'id' | 'humanId' | 'name' | 'parentId'> | null;
  onClose: () => void;
}) {
  return (
    <Modal opened={item !== null} onClose={onClose} title={item ? `Move ${item.name}` : 'Move'} size="xl">
      {item && <MoveForm item={item} onDone={onClose} />}
    </Modal>
  );
}
