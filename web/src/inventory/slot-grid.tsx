/**
 * The slots of a grid container (a box, a plate): rows A… down, columns 1… across, each slot free (dashed,
 * its name), filled (the occupant's name and human id, with a tooltip), or restricted (hatched grey with a
 * lock: taken by a sample of a project the viewer is not a member of, which the server does not name).
 * Clicking a free or filled slot reports it; a filled slot can be dragged onto a free one to move its item.
 */
import { Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useState, type DragEvent } from 'react';
import type { GridOccupancy, SlotOccupant } from './inventory-types';
import { gridRows, rowLabel } from './slots';
import classes from './slot-grid.module.css';

const DRAG_TYPE = 'application/x-cairn-item';

/** The server marks a slot taken by an item the viewer may not see with an occupant without an id. */
export function isRestricted(occupant: SlotOccupant): boolean {
  return occupant.itemId === '';
}

function LockIcon() {
  return (
    <svg width="11" height="11" viewBox="0 0 12 12" aria-hidden className={classes.lock}>
      <rect x="2" y="5.5" width="8" height="5.5" rx="1.2" fill="currentColor" />
      <path d="M4 5.5V4a2 2 0 0 1 4 0v1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
    </svg>
  );
}

interface SlotGridProps {
  grid: Pick<GridOccupancy, 'rows' | 'columns' | 'occupancy'>;
  selectedSlot?: string | null;
  onSlotClick: (slot: string, occupant: SlotOccupant | null) => void;
  /** Which slots can be clicked: all (browsing), only free ones (picking a place). */
  clickable?: 'all' | 'free';
  /** A filled slot dropped on a free one: move that item there. Without it, nothing is draggable. */
  onDropItem?: (itemId: string, slot: string) => void;
  /** An item that is already placed in a slot and can be shown as "this one" while picking (moves). */
  movingItemId?: string;
}

function SlotCell({
  slot,
  occupant,
  selected,
  disabled,
  onClick,
  onDropItem,
  isMoving,
}: {
  slot: string;
  occupant: SlotOccupant | null;
  selected: boolean;
  disabled: boolean;
  onClick: () => void;
  onDropItem?: (itemId: string, slot: string) => void;
  isMoving: boolean;
}) {
  const [dropTarget, setDropTarget] = useState(false);
  const [dragging, setDragging] = useState(false);

  if (occupant === null) {
    const accepts = (event: DragEvent) =>
      onDropItem !== undefined && event.dataTransfer.types.includes(DRAG_TYPE);
    return (
      <UnstyledButton
        className={`${classes.slot} ${classes.free}`}
        data-testid={`slot-${slot}`}
        data-state="free"
        data-selected={selected || undefined}
        data-disabled={disabled || undefined}
        data-drop-target={dropTarget || undefined}
        aria-label={`Slot ${slot}, free`}
        aria-pressed={selected}
        disabled={disabled}
        onClick={onClick}
        onDragOver={(event) => {
          if (!accepts(event)) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = 'move';
          setDropTarget(true);
        }}
        onDragLeave={() => setDropTarget(false)}
        onDrop={(event) => {
          setDropTarget(false);
          const itemId = event.dataTransfer.getData(DRAG_TYPE);
          if (!itemId || !onDropItem) return;
          event.preventDefault();
          onDropItem(itemId, slot);
        }}
      >
        <span className={classes.slotName}>{slot}</span>
      </UnstyledButton>
    );
  }

  if (isRestricted(occupant)) {
    return (
      <Tooltip
        label={`${slot}: taken by a sample of a project you are not a member of`}
        openDelay={250}
        withArrow
      >
        <div
          className={`${classes.slot} ${classes.restricted}`}
          data-testid={`slot-${slot}`}
          data-state="restricted"
          role="img"
          aria-label={`Slot ${slot}: restricted`}
        >
          <LockIcon />
          <span className={classes.restrictedText}>restricted</span>
        </div>
      </Tooltip>
    );
  }

  return (
    <Tooltip
      label={
        <>
          <Text size="xs" fw={600}>
            {slot} · {occupant.name}
          </Text>
          <Text size="xs" ff="monospace">
            {occupant.humanId}
          </Text>
        </>
      }
      openDelay={250}
      withArrow
    >
      <UnstyledButton
        className={`${classes.slot} ${classes.filled}`}
        data-testid={`slot-${slot}`}
        data-state="filled"
        data-item-id={occupant.itemId}
        data-selected={selected || isMoving || undefined}
        data-disabled={disabled || undefined}
        data-dragging={dragging || undefined}
        aria-label={`Slot ${slot}: ${occupant.name} (${occupant.humanId})`}
        aria-pressed={selected}
        disabled={disabled}
        onClick={onClick}
        draggable={onDropItem !== undefined && !disabled}
        onDragStart={(event) => {
          event.dataTransfer.setData(DRAG_TYPE, occupant.itemId);
          event.dataTransfer.effectAllowed = 'move';
          setDragging(true);
        }}
        onDragEnd={() => setDragging(false)}
      >
        <span className={classes.name}>{occupant.name}</span>
        <span className={classes.humanId}>{occupant.humanId}</span>
      </UnstyledButton>
    </Tooltip>
  );
}

export function SlotGrid({
  grid,
  selectedSlot = null,
  onSlotClick,
  clickable = 'all',
  onDropItem,
  movingItemId,
}: SlotGridProps) {
  const minCell = grid.columns > 10 ? 40 : 48;
  return (
    <div className={classes.scroller}>
      <div
        className={classes.grid}
        style={{ gridTemplateColumns: `24px repeat(${grid.columns}, minmax(${minCell}px, 1fr))` }}
        role="grid"
        aria-label={`${grid.rows}×${grid.columns} grid`}
        data-testid="slot-grid"
      >
        <span />
        {Array.from({ length: grid.columns }, (_, column) => (
          <span key={column} className={classes.axis} role="columnheader">
            {column + 1}
          </span>
        ))}
        {gridRows(grid.rows, grid.columns).map((slots, row) => [
          <span key={`row-${row}`} className={classes.axis} role="rowheader">
            {rowLabel(row)}
          </span>,
          ...slots.map((slot) => {
            const occupant = grid.occupancy[slot] ?? null;
            const isMoving = occupant !== null && occupant.itemId === movingItemId;
            return (
              <SlotCell
                key={slot}
                slot={slot}
                occupant={occupant}
                selected={selectedSlot === slot}
                disabled={clickable === 'free' && occupant !== null}
                isMoving={isMoving}
                onClick={() => onSlotClick(slot, occupant)}
                {...(onDropItem && { onDropItem })}
              />
            );
          }),
        ])}
      </div>
    </div>
  );
}

/** A small legend for the grid's slot states (restricted only when there are any). */
export function SlotLegend({
  free,
  total,
  restricted = 0,
}: {
  free: number;
  total: number;
  restricted?: number;
}) {
  return (
    <Group gap="md" data-testid="slot-summary">
      <Text size="xs" c="dimmed">
        <span className={`${classes.legend} ${classes.filled}`} />
        {total - free - restricted} filled
      </Text>
      {restricted > 0 && (
        <Text size="xs" c="dimmed">
          <span className={`${classes.legend} ${classes.restricted}`} />
          {restricted} restricted
        </Text>
      )}
      <Text size="xs" c="dimmed">
        <span className={`${classes.legend} ${classes.free}`} />
        {free} free
      </Text>
    </Group>
  );
}
