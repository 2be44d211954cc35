/**
 * Choosing a place for an item: a container (found by search or scan) and, when it has a grid, one of its
 * free slots picked on the grid itself.
 */
import { Loader, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '../layout/error-alert';
import { useChildren } from './inventory-queries';
import type { Item } from './inventory-types';
import { ItemSearch } from './item-search';
import { isRestricted, SlotGrid, SlotLegend } from './slot-grid';

export interface Location {
  container: Item | null;
  slot: string | null;
}

interface LocationPickerProps {
  value: Location;
  onChange: (location: Location) => void;
  label?: string;
  /** The item being moved: it cannot go into itself, and its own slot is marked on the grid. */
  movingItemId?: string;
  slotError?: string | undefined;
  containerError?: string | undefined;
}

function SlotPicker({
  container,
  slot,
  onSlot,
  movingItemId,
  error,
}: {
  container: Item;
  slot: string | null;
  onSlot: (slot: string | null) => void;
  movingItemId?: string;
  error?: string | undefined;
}) {
  const children = useChildren(container.id);
  if (children.isPending) return <Loader size="sm" />;
  if (children.isError) return <ErrorAlert error={children.error} />;
  const grid = children.data.pages[0]?.grid ?? null;
  if (grid === null) {
    return (
      <Text size="sm" c="dimmed">
        {container.name} has no grid: the item goes into it without a slot.
      </Text>
    );
  }
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        Slot{' '}
        {slot ? (
          <Text span fw={700} c="teal.8" data-testid="picked-slot">
            {slot}
          </Text>
        ) : (
          <Text span c="dimmed">
            — click a free slot
          </Text>
        )}
      </Text>
      <SlotGrid
        grid={grid}
        selectedSlot={slot}
        clickable="free"
        onSlotClick={(picked) => onSlot(picked === slot ? null : picked)}
        {...(movingItemId !== undefined && { movingItemId })}
      />
      <SlotLegend
        free={grid.freeSlots.length}
        total={grid.rows * grid.columns}
        restricted={Object.values(grid.occupancy).filter(isRestricted).length}
      />
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
    </Stack>
  );
}

export function LocationPicker({
  value,
  onChange,
  label = 'Container',
  movingItemId,
  slotError,
  containerError,
}: LocationPickerProps) {
  return (
    <Stack gap="sm">
      <ItemSearch
        label={label}
        placeholder="Search a freezer, rack, box…"
        value={value.container}
        onChange={(container) => onChange({ container, slot: null })}
        filter={{ class: 'physical' }}
        {...(movingItemId !== undefined && { excludeIds: [movingItemId] })}
        withScan
        error={containerError}
      />
      {value.container && (
        <SlotPicker
          container={value.container}
          slot={value.slot}
          onSlot={(slot) => onChange({ ...value, slot })}
          {...(movingItemId !== undefined && { movingItemId })}
          error={slotError}
        />
      )}
    </Stack>
  );
}
