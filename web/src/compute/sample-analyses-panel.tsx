/** A sample's analyses, newest first, with "Run analysis" for those who may start one. */
import { Button, Group, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { ListCard } from '../layout/list-card';
import { AnalysesTable } from './analyses-table';
import { useAnalyses } from './analysis-queries';
import { NewAnalysisDialog } from './new-analysis-dialog';

export function SampleAnalysesPanel({ sampleId, canRun }: { sampleId: string; canRun: boolean }) {
  const list = useAnalyses({ sampleId });
  const [starting, setStarting] = useState(false);
  const analyses = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack data-testid="sample-analyses">
      <Group justify="space-between">
        <Title order={4}>Analyses</Title>
        {canRun && <Button onClick={() => setStarting(true)}>Run analysis</Button>}
      </Group>
      <ListCard query={list} empty={analyses.length === 0 && 'No analyses yet.'} more={list}>
        <AnalysesTable analyses={analyses} withSample={false} />
      </ListCard>
      <NewAnalysisDialog sampleIds={starting ? [sampleId] : []} onClose={() => setStarting(false)} />
    </Stack>
  );
}
