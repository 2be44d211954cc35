/** User administration (admins): list, create, deactivate and reactivate accounts. */
import {
  Badge,
  Button,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { fieldErrorOf } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { CreateUser, SystemRole, User } from '../api/types';
import { choicesOf, isKeyOf } from '../layout/choices';
import { ErrorAlert } from '../layout/error-alert';
import { useFormValues } from '../layout/form-values';
import { formatDateTime } from '../layout/format-time';
import { useCurrentUser } from './session';
import { ListCard } from '../layout/list-card';

const USERS_KEY = ['users'] as const;

const systemRoles: Record<SystemRole, { label: string; color: string }> = {
  admin: { label: 'Administrator', color: 'red' },
  staff: { label: 'Staff', color: 'blue' },
  user: { label: 'User', color: 'gray' },
};
const roleOptions = choicesOf(systemRoles);

function useUsers() {
  return useInfiniteQuery({
    queryKey: USERS_KEY,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/users', { params: { query: { limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUser) => unwrap(api.POST('/api/users', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

function useSetActive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      unwrap(api.PATCH('/api/users/{id}', { params: { path: { id } }, body: { active } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

const emptyUser = { username: '', email: '', displayName: '', password: '', role: 'user' as SystemRole };

function NewUserButton() {
  const [opened, { open, close }] = useDisclosure();
  const create = useCreateUser();
  const { values, setValues, text: set, reset } = useFormValues(emptyUser);
  const done = () => {
    create.reset();
    reset();
    close();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { displayName, ...rest } = values;
    create.mutate(
      {
        ...rest,
        username: rest.username.trim(),
        email: rest.email.trim(),
        ...(displayName.trim() && { displayName: displayName.trim() }),
      },
      { onSuccess: done },
    );
  };
  const error = create.error;
  return (
    <>
      <Button onClick={open}>New user</Button>
      <Modal opened={opened} onClose={done} title="New user">
        <form onSubmit={submit} aria-label="New user">
          <Stack>
            <ErrorAlert error={error} />
            <TextInput
              label="Username"
              description="Lower-case letters, digits, dot, dash, underscore"
              required
              data-autofocus
              value={values.username}
              onChange={set('username')}
              error={fieldErrorOf(error, 'username')}
            />
            <TextInput
              label="Display name"
              value={values.displayName}
              onChange={set('displayName')}
              error={fieldErrorOf(error, 'displayName')}
            />
            <TextInput
              label="Email"
              type="email"
              required
              value={values.email}
              onChange={set('email')}
              error={fieldErrorOf(error, 'email')}
            />
            <PasswordInput
              label="Password"
              description="At least 8 characters"
              required
              autoComplete="new-password"
              value={values.password}
              onChange={set('password')}
              error={fieldErrorOf(error, 'password')}
            />
            <Select
              label="Role"
              data={roleOptions}
              allowDeselect={false}
              value={values.role}
              onChange={(value) =>
                isKeyOf(systemRoles, value) && setValues((current) => ({ ...current, role: value }))
              }
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={done}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending}>
                Create user
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function ActiveToggle({ user }: { user: User }) {
  const me = useCurrentUser();
  const setActive = useSetActive();
  if (user.id === me.id) return null;
  return (
    <Button
      size="xs"
      variant="subtle"
      color={user.active ? 'red' : 'teal'}
      loading={setActive.isPending}
      onClick={() => setActive.mutate({ id: user.id, active: !user.active })}
      title={setActive.error instanceof Error ? setActive.error.message : undefined}
    >
      {user.active ? 'Deactivate' : 'Reactivate'}
    </Button>
  );
}

export function UsersPage() {
  const users = useUsers();
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <NewUserButton />
      </Group>
      <ListCard query={users} more={users}>
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Last login</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((user) => (
                <Table.Tr key={user.id} c={user.active ? undefined : 'dimmed'}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {user.username}
                    </Text>
                    {user.displayName && (
                      <Text size="xs" c="dimmed">
                        {user.displayName}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{user.email}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={systemRoles[user.role].color}>
                      {systemRoles[user.role].label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="dot" color={user.active ? 'teal' : 'gray'}>
                      {user.active ? 'Active' : 'Deactivated'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{formatDateTime(user.lastLoginAt)}</Table.Td>
                  <Table.Td ta="right">
                    <ActiveToggle user={user} />
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
