/**
 * The record's download buttons: its XML (NexusLIMS's Nexus Experiment schema, served by the API), its JSON
 * document (the one the page already holds, saved as a file) and a zip of its files.
 */
import { Button, Group } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ExperimentRecord } from './record-types';

/** An object URL of the record's document as a JSON file, released when the page leaves. */
function useJsonUrl(record: ExperimentRecord): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const blob = new Blob([JSON.stringify(record.document, null, 2)], { type: 'application/json' });
    const created = URL.createObjectURL(blob);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [record.document]);
  return url;
}

export function RecordDownloads({ record }: { record: ExperimentRecord }) {
  const jsonUrl = useJsonUrl(record);
  const base = `/api/records/${encodeURIComponent(record.id)}`;
  return (
    <Group gap="xs" data-testid="record-downloads">
      <Button component="a" href={`${base}/xml`} download={`record-${record.id}.xml`} variant="default">
        XML
      </Button>
      <Button
        component="a"
        href={jsonUrl ?? undefined}
        download={`record-${record.id}.json`}
        variant="default"
        disabled={jsonUrl === null}
      >
        JSON
      </Button>
      <Button component="a" href={`${base}/files.zip`} download={`record-${record.id}.zip`} variant="default">
        Files (zip)
      </Button>
    </Group>
  );
}
