/**
 * One container's contents: for grid containers the slot grid (free slots open "place an item here", a filled
 * slot selects its item, drag a filled slot onto a free one to move it), and a table of what it holds outside
 * the grid (or everything, for containers without a grid).
 */
import { Anchor, Badge, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../layout/error-alert';
import { useChildren, useItemTypes, useMoveItem } from './inventory-queries';
import type { Item, SlotOccupant } from './inventory-types';
import { ItemTable } from './item-table';
import { MoveItemDialog } from './move-item-dialog';
import { PlaceItemDialog, type PlaceTarget } from './place-item-dialog';
import { PrintLabelsButton } from './print-labels';
import { inNameOrder } from './name-order';
import { isRestricted, SlotGrid, SlotLegend } from './slot-grid';
import { inSlotOrder } from './slots';

interface ContainerViewProps {
  container: Item;
  /** Open a contained item as the container on view (the browser) or its page (the item page). */
  onBrowse?: (item: Pick<Item, 'id'>) => void;
}

function SelectedSlot({
  slot,
  occupant,
  onBrowse,
  onMove,
  onClear,
}: {
  slot: string;
  occupant: SlotOccupant;
  onBrowse?: () => void;
  onMove: () => void;
  onClear: () => void;
}) {
  // The details appear below the grid, often below the fold: bring them into view when a slot is picked.
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [slot]);
  return (
    <Card
      withBorder
      padding="sm"
      bg="blue.0"
      data-testid="selected-slot"
      ref={ref}
      style={{ scrollMarginBottom: 'var(--mantine-spacing-md)' }}
    >
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Badge variant="filled" color="blue" size="lg" radius="sm">
            {slot}
          </Badge>
          <div>
            <Text size="sm" fw={600}>
              {occupant.name}
            </Text>
            <Text size="xs" c="dimmed" ff="monospace">
              {occupant.humanId}
            </Text>
          </div>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" variant="default" component={Link} to={`/inventory/items/${occupant.itemId}`}>
            Open
          </Button>
          {onBrowse && (
            <Button size="xs" variant="default" onClick={onBrowse}>
              Browse inside
            </Button>
          )}
          <Button size="xs" variant="light" onClick={onMove}>
            Move…
          </Button>
          <Button size="xs" variant="subtle" color="gray" onClick={onClear} aria-label="Clear selection">
            ✕
          </Button>
        </Group>
      </Group>
    </Card>
  );
}

export function ContainerView({ container, onBrowse }: ContainerViewProps) {
  const children = useChildren(container.id);
  const [selected, setSelected] = useState<{ slot: string; occupant: SlotOccupant } | null>(null);
  const [placing, setPlacing] = useState<PlaceTarget | null>(null);
  const [moving, setMoving] = useState<Pick<Item, 'id' | 'humanId' | 'name' | 'parentId'> | null>(null);
  const dragMove = useMoveItem();
  const types = useItemTypes();

  if (children.isPending) return <Loader size="sm" />;
  if (children.isError) return <ErrorAlert error={children.error} />;

  const grid = children.data.pages[0]?.grid ?? null;
  const items = children.data.pages.flatMap((page) => page.items);
  const loose = inNameOrder(grid ? items.filter((item) => item.slot === null) : items, !children.hasNextPage);
  // A selection whose slot has since emptied (moved away) is dropped.
  const current =
    selected && grid?.occupancy[selected.slot]?.itemId === selected.occupant.itemId ? selected : null;
  const browse = onBrowse;
  // "Browse inside" only for occupants that are containers with a grid themselves (a box in a rack slot).
  const isGridContainer = (itemId: string) => {
    const typeId = items.find((item) => item.id === itemId)?.type.id;
    return Boolean(types.data?.find((type) => type.id === typeId)?.grid);
  };

  return (
    <Stack gap="md">
      {grid && (
        <Card withBorder padding="md">
          <Group justify="space-between" mb="sm">
            <Title order={5}>
              Slots{' '}
              <Text span c="dimmed" size="sm" fw={400}>
                {grid.rows}×{grid.columns}
              </Text>
            </Title>
            <Group gap="md">
              <SlotLegend
                free={grid.freeSlots.length}
                total={grid.rows * grid.columns}
                restricted={Object.values(grid.occupancy).filter(isRestricted).length}
              />
              <PrintLabelsButton itemIds={inSlotOrder(items).map((item) => item.id)} variant="subtle">
                Print their labels
              </PrintLabelsButton>
            </Group>
          </Group>
          <ErrorAlert error={dragMove.error} title="The move failed" />
          <SlotGrid
            grid={grid}
            selectedSlot={current?.slot ?? null}
            onSlotClick={(slot, occupant) => {
              dragMove.reset();
              if (occupant) setSelected(current?.slot === slot ? null : { slot, occupant });
              else setPlacing({ container, slot });
            }}
            onDropItem={(itemId, slot) => {
              setSelected(null);
              dragMove.mutate({ id: itemId, parentId: container.id, slot });
            }}
          />
          <Text size="xs" c="dimmed" mt="sm">
            Click a free slot to place an item there; click a filled one to select it; drag a filled slot onto
            a free one to move it.
          </Text>
          {current && (
            <Stack mt="sm">
              <SelectedSlot
                slot={current.slot}
                occupant={current.occupant}
                {...(browse &&
                  isGridContainer(current.occupant.itemId) && {
                    onBrowse: () => browse({ id: current.occupant.itemId }),
                  })}
                onMove={() =>
                  setMoving({
                    id: current.occupant.itemId,
                    humanId: current.occupant.humanId,
                    name: current.occupant.name,
                    parentId: container.id,
                  })
                }
                onClear={() => setSelected(null)}
              />
            </Stack>
          )}
        </Card>
      )}
      {(!grid || loose.length > 0) && (
        <Card withBorder padding={0}>
          <Group justify="space-between" px="md" py="sm">
            <Title order={5}>{grid ? 'Not in a slot' : 'Contents'}</Title>
            <Button size="xs" variant="light" onClick={() => setPlacing({ container, slot: null })}>
              {grid ? 'Put an item in (no slot)' : 'Add an item here'}
            </Button>
          </Group>
          <ItemTable
            items={loose}
            testId="container-children"
            showSlot={!grid}
            empty={grid ? 'Everything here sits in a slot.' : `${container.name} is empty.`}
            actions={(item) => (
              <>
                {browse && (
                  <Anchor size="xs" component="button" onClick={() => browse(item)}>
                    Browse
                  </Anchor>
                )}
                <Button size="compact-xs" variant="subtle" onClick={() => setMoving(item)}>
                  Move…
                </Button>
              </>
            )}
            hasMore={children.hasNextPage}
            loadingMore={children.isFetchingNextPage}
            onLoadMore={() => void children.fetchNextPage()}
          />
        </Card>
      )}
      <PlaceItemDialog target={placing} onClose={() => setPlacing(null)} />
      <MoveItemDialog item={moving} onClose={() => setMoving(null)} />
    </Stack>
  );
}
