/**
 * HPC resources (admins): the machines and clusters analyses run on, with each one's health (its status as
 * the server answers it, offline once its agent's heartbeats stop, and how long ago its agent was last
 * heard), its queue (how many analyses wait and run there), its scheduler settings, and a chart of its recent
 * jobs' queue waits and run times; admins register resources and set them online, offline or draining.
 */
import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { fieldErrorOf } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { choicesOf, isKeyOf } from '../layout/choices';
import { ErrorAlert } from '../layout/error-alert';
import { useFormValues } from '../layout/form-values';
import { formatAge, formatDateTime } from '../layout/format-time';
import { ListCard } from '../layout/list-card';
import { QUEUE_COUNT_LIMIT, useResourceAnalyses } from './analysis-queries';
import type { CreateHpcResource, HpcResource, HpcResourceStatus, HpcResourceType } from './compute-types';
import { JobChart } from './job-chart';

export const RESOURCES_KEY = ['hpc-resources'] as const;

const statuses: Record<HpcResourceStatus, { label: string; color: string }> = {
  online: { label: 'Online', color: 'teal' },
  draining: { label: 'Draining', color: 'yellow' },
  offline: { label: 'Offline', color: 'gray' },
};
const statusOptions = choicesOf(statuses);

const types: Record<HpcResourceType, { label: string }> = {
  local: { label: 'Local (this server)' },
  slurm: { label: 'Slurm cluster' },
};
const typeOptions = choicesOf(types);

function useResources() {
  return useInfiniteQuery({
    queryKey: RESOURCES_KEY,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/hpc-resources', { params: { query: { limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

function useCreateResource() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateHpcResource) => unwrap(api.POST('/api/hpc-resources', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: RESOURCES_KEY }),
  });
}

function useSetStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: HpcResourceStatus }) =>
      unwrap(api.PATCH('/api/hpc-resources/{id}', { params: { path: { id } }, body: { status } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: RESOURCES_KEY }),
  });
}

const emptyResource = {
  name: '',
  description: '',
  type: 'slurm' as HpcResourceType,
  partition: '',
  account: '',
  maxConcurrent: '' as number | string,
  defaultTime: '',
  defaultMemory: '',
};

/** The settings a form gives, without the blank ones. */
function settingsOf(values: typeof emptyResource): CreateHpcResource['settings'] {
  const text = (value: string) => value.trim() || undefined;
  const settings = {
    partition: text(values.partition),
    account: text(values.account),
    maxConcurrent: typeof values.maxConcurrent === 'number' ? values.maxConcurrent : undefined,
    defaultTime: text(values.defaultTime),
    defaultMemory: text(values.defaultMemory),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

function NewResourceButton() {
  const [opened, { open, close }] = useDisclosure();
  const create = useCreateResource();
  const { values, setValues, text: set, reset } = useFormValues(emptyResource);
  const done = () => {
    create.reset();
    reset();
    close();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        name: values.name.trim(),
        type: values.type,
        ...(values.description.trim() && { description: values.description.trim() }),
        settings: settingsOf(values),
      },
      { onSuccess: done },
    );
  };
  const error = create.error;
  return (
    <>
      <Button onClick={open}>New resource</Button>
      <Modal opened={opened} onClose={done} title="New HPC resource">
        <form onSubmit={submit} aria-label="New HPC resource">
          <Stack>
            <ErrorAlert error={error} />
            <TextInput
              label="Name"
              required
              data-autofocus
              value={values.name}
              onChange={set('name')}
              error={fieldErrorOf(error, 'name')}
            />
            <TextInput
              label="Description"
              value={values.description}
              onChange={set('description')}
              error={fieldErrorOf(error, 'description')}
            />
            <Select
              label="Type"
              data={typeOptions}
              allowDeselect={false}
              value={values.type}
              onChange={(value) =>
                isKeyOf(types, value) && setValues((current) => ({ ...current, type: value }))
              }
            />
            <Group grow>
              <TextInput
                label="Partition"
                value={values.partition}
                onChange={set('partition')}
                error={fieldErrorOf(error, 'settings.partition')}
              />
              <TextInput
                label="Account"
                value={values.account}
                onChange={set('account')}
                error={fieldErrorOf(error, 'settings.account')}
              />
            </Group>
            <Group grow>
              <NumberInput
                label="Jobs at once"
                min={1}
                allowDecimal={false}
                value={values.maxConcurrent}
                onChange={(value) => setValues((current) => ({ ...current, maxConcurrent: value }))}
                error={fieldErrorOf(error, 'settings.maxConcurrent')}
              />
              <TextInput
                label="Default time"
                description="[D-]HH:MM:SS or minutes"
                value={values.defaultTime}
                onChange={set('defaultTime')}
                error={fieldErrorOf(error, 'settings.defaultTime')}
              />
              <TextInput
                label="Default memory"
                description="e.g. 4G"
                value={values.defaultMemory}
                onChange={set('defaultMemory')}
                error={fieldErrorOf(error, 'settings.defaultMemory')}
              />
            </Group>
            <Group justify="flex-end">
              <Button variant="default" onClick={done}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Register resource
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function StatusSelect({ resource }: { resource: HpcResource }) {
  const setStatus = useSetStatus();
  return (
    <Select
      size="xs"
      w={130}
      aria-label={`Status of ${resource.name}`}
      data={statusOptions}
      allowDeselect={false}
      value={resource.status}
      disabled={setStatus.isPending}
      error={setStatus.error instanceof Error ? setStatus.error.message : undefined}
      onChange={(value) => isKeyOf(statuses, value) && setStatus.mutate({ id: resource.id, status: value })}
    />
  );
}

/** The time now, moving on every `everyMs` (heartbeat ages stay true while the page is open). */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "12" or, for a full page of them, "200+". */
function countOf(page: { items: unknown[]; nextCursor: string | null } | undefined): number | string | null {
  if (!page) return null;
  return page.nextCursor === null ? page.items.length : `${QUEUE_COUNT_LIMIT}+`;
}

const queueStatuses = ['queued', 'submitted', 'running'] as const;

/** How many of the resource's analyses are in one status, linked to the list of them. */
function QueueCount({ resource, status }: { resource: HpcResource; status: (typeof queueStatuses)[number] }) {
  const analyses = useResourceAnalyses(resource.id, status);
  const count = analyses.isError ? '?' : (countOf(analyses.data) ?? '…');
  const query = new URLSearchParams({ resourceId: resource.id, status }).toString();
  return (
    <Anchor component={Link} to={`/analyses?${query}`} size="sm" c={count === 0 ? 'dimmed' : undefined}>
      {count} {status}
    </Anchor>
  );
}

/**
 * The resource's queue: analyses waiting for its agent (queued), handed to its scheduler and waiting there
 * (submitted), and running.
 */
function QueueCounts({ resource }: { resource: HpcResource }) {
  return (
    <Text size="sm" style={{ whiteSpace: 'nowrap' }} data-testid={`queue-${resource.name}`}>
      {queueStatuses.map((status, index) => (
        <span key={status}>
          {index > 0 && ' · '}
          <QueueCount resource={resource} status={status} />
        </span>
      ))}
    </Text>
  );
}

/** Partition, account, limits and defaults, as one line. */
function settingsText(resource: HpcResource): string {
  const { partition, account, maxConcurrent, defaultTime, defaultMemory } = resource.settings;
  const parts = [
    partition && `partition ${partition}`,
    account && `account ${account}`,
    maxConcurrent !== undefined && `${maxConcurrent} at once`,
    defaultTime && `time ${defaultTime}`,
    defaultMemory && `memory ${defaultMemory}`,
  ];
  return parts.filter(Boolean).join(' · ') || '—';
}

export function HpcResourcesPage() {
  const resources = useResources();
  const rows = resources.data?.pages.flatMap((page) => page.items) ?? [];
  const now = useNow(5_000);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>HPC resources</Title>
        <NewResourceButton />
      </Group>
      <ListCard query={resources} more={resources}>
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="hpc-resources-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Resource</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Health</Table.Th>
                <Table.Th>Queue</Table.Th>
                <Table.Th>Settings</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((resource) => (
                <Table.Tr key={resource.id} data-testid={`resource-${resource.name}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {resource.name}
                    </Text>
                    {resource.description && (
                      <Text size="xs" c="dimmed">
                        {resource.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{types[resource.type].label}</Table.Td>
                  <Table.Td>
                    <Badge variant="dot" color={statuses[resource.status].color}>
                      {statuses[resource.status].label}
                    </Badge>
                    <Text size="xs" c="dimmed" mt={4}>
                      {resource.lastHeartbeatAt === null ? (
                        resource.type === 'local' ? (
                          'embedded agent'
                        ) : (
                          'no heartbeat yet'
                        )
                      ) : (
                        <span title={formatDateTime(resource.lastHeartbeatAt)}>
                          heartbeat {formatAge(resource.lastHeartbeatAt, now)}
                        </span>
                      )}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <QueueCounts resource={resource} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{settingsText(resource)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <StatusSelect resource={resource} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListCard>
      {rows.length > 0 && (
        <>
          <Title order={3} mt="md">
            Recent jobs
          </Title>
          <Text size="sm" c="dimmed">
            Queue wait (queued to started) and run time (started to ended) of each resource&apos;s latest
            finished jobs.
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {rows.map((resource) => (
              <JobChart key={resource.id} resourceId={resource.id} resourceName={resource.name} />
            ))}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
