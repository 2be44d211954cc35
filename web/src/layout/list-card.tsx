/**
 * The card a list page shows its table in, the same on every list: the problem above it when the list
 * failed, a loader inside it while the first page loads, a dimmed line when there is nothing to show, and
 * "Load more" under it while the server has more pages.
 */
import { Card, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './error-alert';
import { LoadMoreButton, type PagedQuery } from './load-more-button';
import { PageLoader } from './page-states';

interface ListCardProps {
  query: { isPending: boolean; error: unknown };
  /** What an empty list says instead of the table; false while it has rows (or the table says it). */
  empty?: string | false;
  /** The paged query whose further pages "Load more" fetches. */
  more?: PagedQuery;
  children: ReactNode;
}

export function ListCard({ query, empty = false, more, children }: ListCardProps) {
  return (
    <>
      <ErrorAlert error={query.error} />
      <Card withBorder padding={0}>
        {query.isPending ? (
          <PageLoader />
        ) : empty !== false ? (
          <Text c="dimmed" ta="center" py="xl">
            {empty}
          </Text>
        ) : (
          children
        )}
      </Card>
      {more && <LoadMoreButton query={more} />}
    </>
  );
}
