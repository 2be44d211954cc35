/**
 * The current job's standard output and error: the tails the job reported, and on request the whole log from
 * the server (which may be large, so it is fetched only when asked for).
 */
import { Button, Code, Group, Stack, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../layout/error-alert';
import { useAnalysisLog } from './analysis-queries';
import type { Job, LogStream } from './compute-types';

function LogView({ analysisId, job, stream }: { analysisId: string; job: Job; stream: LogStream }) {
  const [whole, setWhole] = useState(false);
  const log = useAnalysisLog(analysisId, stream, whole);
  const tail = stream === 'stdout' ? job.stdoutTail : job.stderrTail;
  const loaded = whole ? log.data : undefined;
  const text = loaded ? loaded.text : tail;
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {!loaded
            ? 'The last lines'
            : loaded.complete
              ? 'The whole log'
              : 'The log so far (the job has not ended)'}
        </Text>
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            loading={log.isFetching}
            onClick={() => (whole ? void log.refetch() : setWhole(true))}
          >
            {whole ? 'Reload whole log' : 'Load whole log'}
          </Button>
          <Button
            size="xs"
            variant="subtle"
            component="a"
            href={`/api/analyses/${encodeURIComponent(analysisId)}/log?stream=${stream}`}
            target="_blank"
          >
            Open raw
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={log.error} title="The log did not load" />
      {text ? (
        <Code block mah={420} style={{ overflow: 'auto' }} data-testid={`log-${stream}`}>
          {text}
        </Code>
      ) : (
        <Text size="sm" c="dimmed">
          Nothing written yet.
        </Text>
      )}
    </Stack>
  );
}

export function JobLogs({ analysisId, job }: { analysisId: string; job: Job }) {
  return (
    <Tabs defaultValue="stdout" keepMounted={false}>
      <Tabs.List mb="sm">
        <Tabs.Tab value="stdout">Output</Tabs.Tab>
        <Tabs.Tab value="stderr">Errors</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="stdout">
        <LogView analysisId={analysisId} job={job} stream="stdout" />
      </Tabs.Panel>
      <Tabs.Panel value="stderr">
        <LogView analysisId={analysisId} job={job} stream="stderr" />
      </Tabs.Panel>
    </Tabs>
  );
}
