/** The few whole-page states every page group shares: loading, not found, coming soon, admins only. */
import { Badge, Center, Loader, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useIsAdmin } from '../accounts/session';

export function PageLoader() {
  return (
    <Center h={240}>
      <Loader aria-label="Loading" />
    </Center>
  );
}

export function NotFoundPage() {
  return (
    <Stack align="center" mt="xl" gap="xs" data-testid="not-found">
      <Title order={2}>Not found</Title>
      <Text c="dimmed">There is no page at this address.</Text>
    </Stack>
  );
}

export function ComingSoonPage({ label }: { label: string }) {
  return (
    <Stack align="center" mt="xl" gap="xs">
      <Title order={2}>
        {label}{' '}
        <Badge variant="light" color="gray" style={{ verticalAlign: 'middle' }}>
          coming
        </Badge>
      </Title>
      <Text c="dimmed">This module is not part of Cairn yet.</Text>
    </Stack>
  );
}

export function AdminOnly({ children }: { children: ReactNode }) {
  if (!useIsAdmin()) {
    return (
      <Stack align="center" mt="xl" gap="xs">
        <Title order={2}>Administrators only</Title>
        <Text c="dimmed">Ask an administrator if you need this page.</Text>
      </Stack>
    );
  }
  return children;
}
