/** Where an item is, root → … → the item, each step a link (with the slot it sits in). */
import { Anchor, Breadcrumbs, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { PathEntry } from './inventory-types';

interface LocationBreadcrumbProps {
  path: readonly PathEntry[];
  /** Where a step leads; by default the item's page. */
  hrefOf?: (entry: PathEntry) => string;
  /** Whether the last step (the item itself) is shown. */
  includeSelf?: boolean;
}

export function LocationBreadcrumb({
  path,
  hrefOf = (entry) => `/inventory/items/${entry.id}`,
  includeSelf = true,
}: LocationBreadcrumbProps) {
  // The server lists root → item; depth 0 is the item itself.
  const steps = includeSelf ? path : path.filter((entry) => entry.depth > 0);
  if (steps.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Top level
      </Text>
    );
  }
  return (
    <Breadcrumbs separatorMargin={6} data-testid="location-path" style={{ flexWrap: 'wrap' }}>
      {steps.map((entry) => (
        <Anchor
          key={entry.id}
          component={Link}
          to={hrefOf(entry)}
          size="sm"
          title={`${entry.humanId} · ${entry.type.name}`}
        >
          {entry.name}
          {entry.slot && (
            <Text span size="xs" c="dimmed">
              {' '}
              @ {entry.slot}
            </Text>
          )}
        </Anchor>
      ))}
    </Breadcrumbs>
  );
}
