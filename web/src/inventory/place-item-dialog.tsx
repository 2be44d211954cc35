/**
 * "Place an item here": into a container (and a slot of its grid), either a new item of a physical type or an
 * existing one found by search or by scanning its barcode, which is then moved here.
 */
import { Alert, Button, Group, Modal, Stack, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { fieldErrorOf } from '../api/api-error';
import { ErrorAlert } from '../layout/error-alert';
import { typesOfClass, useCreateItem, useItemTypes, useMoveItem } from './inventory-queries';
import type { Item } from './inventory-types';
import { creationOf, ItemForm } from './item-form';
import { ItemSearch } from './item-search';

export interface PlaceTarget {
  container: Pick<Item, 'id' | 'humanId' | 'name'>;
  slot: string | null;
}

function targetText({ container, slot }: PlaceTarget): string {
  return slot
    ? `slot ${slot} of ${container.name} (${container.humanId})`
    : `${container.name} (${container.humanId})`;
}

function NewItemTab({ target, onDone }: { target: PlaceTarget; onDone: (item: Item) => void }) {
  const types = useItemTypes();
  const create = useCreateItem();
  const physical = typesOfClass(types.data, 'physical');
  if (types.isError) return <ErrorAlert error={types.error} />;
  return (
    <ItemForm
      key={physical.length}
      types={physical}
      initialType={target.slot && physical.some((type) => type.name === 'tube') ? 'tube' : undefined}
      submitLabel="Create here"
      pending={create.isPending}
      error={create.error}
      onSubmit={(result) =>
        create.mutate(
          { ...creationOf(result), parentId: target.container.id, slot: target.slot },
          { onSuccess: onDone },
        )
      }
    />
  );
}

function ExistingItemTab({ target, onDone }: { target: PlaceTarget; onDone: (item: Item) => void }) {
  const [item, setItem] = useState<Item | null>(null);
  const move = useMoveItem();
  return (
    <Stack gap="sm">
      <ErrorAlert error={move.error} />
      <ItemSearch
        label="Find the item"
        value={item}
        onChange={(next) => {
          setItem(next);
          move.reset();
        }}
        filter={{ class: 'physical' }}
        excludeIds={[target.container.id]}
        withScan
        error={fieldErrorOf(move.error, 'parentId') ?? fieldErrorOf(move.error, 'slot')}
      />
      {item?.parentId && (
        <Alert variant="light" color="blue" p="xs">
          <Text size="xs">It leaves its current place{item.slot ? ` (slot ${item.slot})` : ''}.</Text>
        </Alert>
      )}
      <Group justify="flex-end" mt="xs">
        <Button
          disabled={item === null}
          loading={move.isPending}
          onClick={() =>
            item &&
            move.mutate(
              { id: item.id, parentId: target.container.id, slot: target.slot },
              { onSuccess: onDone },
            )
          }
        >
          Move here
        </Button>
      </Group>
    </Stack>
  );
}

export function PlaceItemDialog({
  target,
  onClose,
  onPlaced,
}: {
  target: PlaceTarget | null;
  onClose: () => void;
  onPlaced?: (item: Item) => void;
}) {
  const done = (item: Item) => {
    onPlaced?.(item);
    onClose();
  };
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={target?.slot ? `Place an item in slot ${target.slot}` : 'Put an item here'}
      size="lg"
    >
      {target && (
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Into {targetText(target)}.
          </Text>
          <Tabs defaultValue="new" keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="new">New item</Tabs.Tab>
              <Tabs.Tab value="existing">Existing item</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="new">
              <NewItemTab target={target} onDone={done} />
            </Tabs.Panel>
            <Tabs.Panel value="existing">
              <ExistingItemTab target={target} onDone={done} />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Modal>
  );
}
