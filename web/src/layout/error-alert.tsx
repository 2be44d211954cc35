/** Shows what went wrong: the problem document's detail (and its request id, for the server log). */
import { Alert, Text } from '@mantine/core';
import { ApiError } from '../api/api-error';

export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (error === null || error === undefined) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  const message = error instanceof Error ? error.message : 'The request failed';
  return (
    <Alert color="red" variant="light" title={title ?? problem?.title ?? 'Something went wrong'} role="alert">
      <Text size="sm">{message}</Text>
      {problem && problem.status >= 500 && (
        <Text size="xs" c="dimmed" mt={4}>
          Request id {problem.requestId}
        </Text>
      )}
    </Alert>
  );
}
