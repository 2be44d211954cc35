/**
 * A red button that asks first: it opens a dialog saying what will happen, with Cancel and the confirming
 * button (busy while the change runs); a failure shows in the dialog, which stays open.
 */
import { Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { ErrorAlert } from './error-alert';

export function ConfirmButton({
  label,
  title,
  confirmLabel,
  children,
  pending,
  error,
  onConfirm,
  size,
  variant = 'light',
}: {
  /** The button's text (Delete, Revoke). */
  label: string;
  title: string;
  confirmLabel: string;
  /** What confirming does, in a sentence or two. */
  children: ReactNode;
  pending: boolean;
  error: unknown;
  /** Runs the change; `close` shuts the dialog (call it on success when the page stays). */
  onConfirm: (close: () => void) => void;
  size?: ButtonProps['size'];
  variant?: ButtonProps['variant'];
}) {
  const [opened, { open, close }] = useDisclosure();
  return (
    <>
      <Button size={size} variant={variant} color="red" onClick={open}>
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={title}>
        <Stack>
          <Text size="sm">{children}</Text>
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" loading={pending} onClick={() => onConfirm(close)}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
