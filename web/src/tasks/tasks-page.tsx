/** The background task queue, read-only (admins): what is queued, running, done or failed, and why. */
import { Badge, Code, Group, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import type { TaskStatus } from '../api/types';
import { choicesOf } from '../layout/choices';
import { ChoiceFilter } from '../layout/filter-bar';
import { formatDateTime } from '../layout/format-time';
import { ListCard } from '../layout/list-card';

const taskStatuses: Record<TaskStatus, { label: string; color: string }> = {
  queued: { label: 'Queued', color: 'gray' },
  running: { label: 'Running', color: 'blue' },
  succeeded: { label: 'Succeeded', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
};
const statusOptions = choicesOf(taskStatuses);

function useTasks(status: TaskStatus | null) {
  return useInfiniteQuery({
    queryKey: ['tasks', status],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/tasks', {
          params: { query: { limit: 50, cursor: pageParam, ...(status && { status }) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
}

export function TasksPage() {
  const [status, setStatus] = useState<TaskStatus | null>(null);
  const tasks = useTasks(status);
  const rows = tasks.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Tasks</Title>
        <ChoiceFilter
          label="Status"
          labelHidden
          placeholder="Any status"
          choices={statusOptions}
          value={status}
          onChange={setStatus}
          width={180}
        />
      </Group>
      <ListCard query={tasks} empty={rows.length === 0 && 'No tasks.'} more={tasks}>
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="tasks-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Task</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Run at</Table.Th>
                <Table.Th>Finished</Table.Th>
                <Table.Th>Last error</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((task) => (
                <Table.Tr key={task.id}>
                  <Table.Td>{task.id}</Table.Td>
                  <Table.Td>
                    <Tooltip label={<Code>{JSON.stringify(task.payload)}</Code>} multiline maw={480}>
                      <Code>{task.name}</Code>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={taskStatuses[task.status].color}>
                      {taskStatuses[task.status].label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {task.attempts} / {task.maxAttempts}
                  </Table.Td>
                  <Table.Td>{formatDateTime(task.runAt)}</Table.Td>
                  <Table.Td>{formatDateTime(task.finishedAt)}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c="red" lineClamp={2} title={task.lastError ?? undefined}>
                      {task.lastError ?? ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListCard>
    </Stack>
  );
}
