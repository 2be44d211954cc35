/**
 * All analyses the user may see, newest first: filter by project, status, type and resource, page with
 * "Load more"; statuses follow the live events (and a refresh every few seconds while any is unfinished).
 */
import { Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { ChoiceFilter, FilterBar } from '../layout/filter-bar';
import { ListCard } from '../layout/list-card';
import { useProjectList } from '../projects/project-queries';
import { AnalysesTable } from './analyses-table';
import { useAnalyses, useAnalysisTypes } from './analysis-queries';
import { analysisStatusOptions } from './analysis-status';
import type { AnalysisStatus } from './compute-types';

/** Every resource, for the filter (one page is plenty). */
function useResourceChoices() {
  return useQuery({
    queryKey: ['hpc-resources', 'choices'],
    queryFn: () => unwrap(api.GET('/api/hpc-resources', { params: { query: { limit: 200 } } })),
    select: (page) => page.items.map((resource) => ({ value: resource.id, label: resource.name })),
  });
}

export function AnalysesPage() {
  const projects = useProjectList({});
  const types = useAnalysisTypes();
  const resources = useResourceChoices();
  const [projectId, setProjectId] = useState<string | null>(null);
  const [status, setStatus] = useState<AnalysisStatus | null>(null);
  const [type, setType] = useState<string | null>(null);
  const [resourceId, setResourceId] = useState<string | null>(null);
  const filter = {
    ...(projectId && { projectId }),
    ...(status && { status }),
    ...(type && { type }),
    ...(resourceId && { resourceId }),
  };
  const list = useAnalyses(filter);
  const analyses = list.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(projectId || status || type || resourceId);
  const projectChoices =
    projects.data?.pages
      .flatMap((page) => page.items)
      .map((project) => ({ value: project.id, label: project.name })) ?? [];

  return (
    <Stack>
      <Title order={2}>Analyses</Title>
      <FilterBar>
        <ChoiceFilter
          label="Project"
          placeholder="Any project"
          choices={projectChoices}
          searchable
          value={projectId}
          onChange={setProjectId}
          width={220}
        />
        <ChoiceFilter
          label="Status"
          placeholder="Any status"
          choices={analysisStatusOptions}
          value={status}
          onChange={setStatus}
          width={160}
        />
        <ChoiceFilter
          label="Type"
          placeholder="Any type"
          choices={types.data?.items.map((candidate) => candidate.name) ?? []}
          value={type}
          onChange={setType}
          width={180}
        />
        <ChoiceFilter
          label="Resource"
          placeholder="Any resource"
          choices={resources.data ?? []}
          value={resourceId}
          onChange={setResourceId}
          width={180}
        />
      </FilterBar>
      <ListCard
        query={list}
        empty={analyses.length === 0 && (filtered ? 'No analysis matches.' : 'No analyses yet.')}
        more={list}
      >
        <AnalysesTable analyses={analyses} />
      </ListCard>
    </Stack>
  );
}
