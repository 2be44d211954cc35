/**
 * The details card of an entity's page (project, item, sample): what leads it (a location…), the
 * description, then labelled values in a grid.
 */
import { Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatDateTime } from './format-time';

export function DetailsCard({
  testId,
  lead,
  description,
  emptyDescription,
  children,
}: {
  testId: string;
  lead?: ReactNode;
  description: string;
  /** Shown, dimmed, when there is no description; without it an empty description shows nothing. */
  emptyDescription?: string;
  /** DetailField values. */
  children: ReactNode;
}) {
  const shown = description || emptyDescription;
  return (
    <Card withBorder padding="lg" data-testid={testId}>
      <Stack>
        {lead}
        {shown && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={description ? undefined : 'dimmed'}>
            {shown}
          </Text>
        )}
        {/* Dense: short values fill the cells a wide one left free on the row before it. */}
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" style={{ gridAutoFlow: 'row dense' }}>
          {children}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

/**
 * One labelled value (the label in small capitals; a unit, if any, kept as it is written). A wide one takes a
 * row of the grid to itself; `extra` sits at the label's end (a copy button).
 */
export function DetailField({
  label,
  unit,
  wide = false,
  extra,
  children,
}: {
  label: string;
  unit?: string | null;
  wide?: boolean;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div style={wide ? { gridColumn: '1 / -1', minWidth: 0 } : { minWidth: 0 }}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed" fw={600}>
          <Text span inherit tt="uppercase">
            {label}
          </Text>
          {unit && ` (${unit})`}
        </Text>
        {extra}
      </Group>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

/** When something was done, and by whom when known: "2026-11-23 12:04 by alice". */
export function Stamp({ at, by }: { at: string; by?: { username: string } | null }) {
  return (
    <>
      {formatDateTime(at)}
      {by && (
        <Text span size="xs" c="dimmed">
          {' '}
          by {by.username}
        </Text>
      )}
    </>
  );
}
