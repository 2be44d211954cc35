/** The files attached to an item: a list with download links, and an upload of one or more files. */
import { Anchor, Button, Card, FileInput, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../layout/error-alert';
import { formatFileSize } from '../layout/file-size';
import { formatDateTime } from '../layout/format-time';
import { PageLoader } from '../layout/page-states';
import { useItemFiles, useUploadFiles } from './inventory-queries';

export function ItemFilesPanel({ itemId, canUpload = true }: { itemId: string; canUpload?: boolean }) {
  const files = useItemFiles(itemId);
  const upload = useUploadFiles(itemId);
  const [chosen, setChosen] = useState<File[]>([]);
  return (
    <Card withBorder padding="lg" data-testid="files-panel">
      <Title order={4} mb="sm">
        Files
      </Title>
      <Stack gap="sm">
        {files.isPending ? (
          <PageLoader />
        ) : files.isError ? (
          <ErrorAlert error={files.error} />
        ) : files.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            No files attached.
          </Text>
        ) : (
          <Table verticalSpacing={6} fz="sm">
            <Table.Tbody>
              {files.data.map((file) => (
                <Table.Tr key={file.id}>
                  <Table.Td>
                    <Anchor href={`/api/files/${file.id}`} download={file.name} size="sm" fw={500}>
                      {file.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {file.contentType}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="xs">{formatFileSize(file.size)}</Text>
                    <Text size="xs" c="dimmed">
                      {formatDateTime(file.createdAt)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {canUpload && (
          <>
            <ErrorAlert error={upload.error} title="The upload failed" />
            <Group align="flex-end" gap="xs">
              <FileInput
                label="Attach files"
                placeholder="Choose files"
                multiple
                clearable
                value={chosen}
                onChange={(next) => {
                  setChosen(next);
                  upload.reset();
                }}
                style={{ flex: 1 }}
              />
              <Button
                disabled={chosen.length === 0}
                loading={upload.isPending}
                onClick={() => upload.mutate(chosen, { onSuccess: () => setChosen([]) })}
              >
                Upload
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
