/** "Print labels (PDF)": the server lays the labels of some items out on printable sheets; the PDF opens in a new tab. */
import { Button, type ButtonProps } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';
import { api } from '../api/client';

async function labelSheet(itemIds: readonly string[]): Promise<Blob> {
  const result = await api.POST('/api/labels', { body: { itemIds: [...itemIds] }, parseAs: 'blob' });
  if (!result.response.ok || !(result.data instanceof Blob))
    throw new ApiError(result.response.status, result.error);
  return result.data;
}

export function PrintLabelsButton({
  itemIds,
  children = 'Print labels (PDF)',
  ...button
}: { itemIds: readonly string[]; children?: string } & ButtonProps) {
  const print = useMutation({ mutationFn: labelSheet });
  const open = () => {
    // Opened now, while the click still counts as the user's: a tab opened after the answer would be blocked.
    const tab = window.open('', '_blank');
    print.mutate(itemIds, {
      onSuccess: (blob) => {
        const url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
        if (tab) tab.location.href = url;
        else window.location.assign(url);
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      },
      onError: () => tab?.close(),
    });
  };
  return (
    <Button
      variant="default"
      size="xs"
      {...button}
      disabled={itemIds.length === 0}
      loading={print.isPending}
      color={print.isError ? 'red' : undefined}
      title={print.error instanceof Error ? print.error.message : undefined}
      onClick={open}
    >
      {print.isError ? 'Printing failed — retry' : children}
    </Button>
  );
}
