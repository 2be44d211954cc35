/**
 * The details card of an entity's page (project, item, sample): what leads it (a location…), the
 * description, then labelled values in a grid.
 */
import { Card, SimpleGrid, Stack, Text } from '@mantine/core';
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
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md">
          {children}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

/** One labelled value (the label in small capitals; a unit, if any, kept as it is written). */
export function DetailField({
  label,
  unit,
  children,
}: {
  label: string;
  unit?: string | null;
  children: ReactNode;
}) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600}>
        <Text span inherit tt="uppercase">
          {label}
        </Text>
        {unit && ` (${unit})`}
      </Text>
      <Text size="sm" component="div">
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
