/** The user's API tokens: list, create (the secret is shown once, with a copy button) and revoke. */
import {
  Alert,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrorOf } from '../api/api-error';
import { api, unwrap } from '../api/client';
import type { CreatedToken, Token } from '../api/types';
import { ConfirmButton } from '../layout/confirm-button';
import { ErrorAlert } from '../layout/error-alert';
import { formatDateTime } from '../layout/format-time';
import { ListCard } from '../layout/list-card';

const TOKENS_KEY = ['tokens'] as const;

function useTokens() {
  return useQuery({ queryKey: TOKENS_KEY, queryFn: () => unwrap(api.GET('/api/tokens')) });
}

function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expiresAt?: string }) => unwrap(api.POST('/api/tokens', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
}

function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
}

function NewTokenSecret({ token, onDismiss }: { token: CreatedToken; onDismiss: () => void }) {
  return (
    <Alert color="teal" title={`Token "${token.name}" created`} withCloseButton onClose={onDismiss}>
      <Stack gap="xs">
        <Text size="sm">Copy the secret now: it is shown only this once.</Text>
        <Group gap="xs" wrap="nowrap">
          <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="token-secret">
            {token.token}
          </Code>
          <CopyButton value={token.token}>
            {({ copied, copy }) => (
              <Button size="xs" variant={copied ? 'filled' : 'light'} color="teal" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The expiry date means "usable through that day" in the user's time zone.
    const expiresAt = expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined;
    create.mutate(
      { name: name.trim(), ...(expiresAt && { expiresAt }) },
      {
        onSuccess: (token) => {
          setName('');
          setExpires('');
          onCreated(token);
        },
      },
    );
  };
  return (
    <form onSubmit={submit} aria-label="New token">
      <Stack gap="xs">
        <Group align="flex-start">
          <TextInput
            label="Name"
            placeholder="e.g. analysis pipeline"
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={fieldErrorOf(create.error, 'name')}
            w={280}
          />
          <TextInput
            label="Expires (optional)"
            type="date"
            value={expires}
            onChange={(event) => setExpires(event.currentTarget.value)}
            error={fieldErrorOf(create.error, 'expiresAt')}
            w={180}
          />
          <Button type="submit" mt={25} loading={create.isPending}>
            Create token
          </Button>
        </Group>
        {create.error !== null &&
          !fieldErrorOf(create.error, 'name') &&
          !fieldErrorOf(create.error, 'expiresAt') && <ErrorAlert error={create.error} />}
      </Stack>
    </form>
  );
}

function RevokeButton({ token }: { token: Token }) {
  const revoke = useRevokeToken();
  return (
    <ConfirmButton
      label="Revoke"
      title="Revoke token"
      confirmLabel="Revoke"
      size="xs"
      variant="subtle"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={(close) => revoke.mutate(token.id, { onSuccess: close })}
    >
      Revoke <b>{token.name}</b>? Programs using it stop working at once.
    </ConfirmButton>
  );
}

export function TokensPage() {
  const tokens = useTokens();
  const rows = tokens.data ?? [];
  const [created, setCreated] = useState<CreatedToken | null>(null);
  return (
    <Stack>
      <Title order={2}>API tokens</Title>
      <Text size="sm" c="dimmed">
        Tokens let scripts and instruments call the API as you: send{' '}
        <Code>Authorization: Bearer &lt;token&gt;</Code>.
      </Text>
      <Card withBorder padding="lg">
        <CreateTokenForm onCreated={setCreated} />
      </Card>
      {created && <NewTokenSecret token={created} onDismiss={() => setCreated(null)} />}
      <ListCard query={tokens} empty={rows.length === 0 && 'You have no active tokens.'}>
        <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="tokens-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Prefix</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((token) => (
              <Table.Tr key={token.id}>
                <Table.Td fw={500}>{token.name}</Table.Td>
                <Table.Td>
                  <Code>{token.prefix}…</Code>
                </Table.Td>
                <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
                <Table.Td>{token.expiresAt ? formatDateTime(token.expiresAt) : 'never'}</Table.Td>
                <Table.Td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never'}</Table.Td>
                <Table.Td ta="right">
                  <RevokeButton token={token} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ListCard>
    </Stack>
  );
}
