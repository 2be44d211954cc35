/**
 * What a page, or a panel of one, shows for the query it is about, the same everywhere: a loader while it
 * loads, the not-found page when the server answers 404, the problem document's title and detail for any
 * other failure, and otherwise the page itself, drawn from the query's data.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError } from '../api/api-error';
import { ErrorAlert } from './error-alert';
import { NotFoundPage, PageLoader } from './page-states';

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

interface QueryPageProps<T> {
  query: UseQueryResult<T>;
  /** What a 404 shows instead of the not-found page (a panel inside a page says it in place). */
  notFound?: ReactNode;
  children: (data: T) => ReactNode;
}

export function QueryPage<T>({ query, notFound = <NotFoundPage />, children }: QueryPageProps<T>) {
  if (query.isPending) return <PageLoader />;
  if (query.isError) return isNotFound(query.error) ? notFound : <ErrorAlert error={query.error} />;
  return children(query.data);
}
