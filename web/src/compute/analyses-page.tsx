/**
 * All analyses the user may see, newest first: filter by project, status, type and resource, page with
 * "Load more"; statuses follow the live events (and a refresh every few seconds while any is unfinished).
 * The filters live in the address (`?resourceId=…&status=queued`), so other pages link to a filtered list
 * and the back button returns to it.
 */
import { Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { ChoiceFilter, FilterBar } from '../layout/filter-bar';
import { ListCard } from '../layout/list-card';
import { useProjectList } from '../projects/project-queries';
import { AnalysesTable } from './analyses-table';
import { useAnalyses, useAnalysisTypes } from './analysis-queries';
import { analysisStatusLabels, analysisStatusOptions } from './analysis-status';
import { isKeyOf } from '../layout/choices';
import type { AnalysisFilter } from './compute-types';

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
  const [params, setParams] = useSearchParams();
  const projectId = params.get('projectId');
  const statusParam = params.get('status');
  const status = isKeyOf(analysisStatusLabels, statusParam) ? statusParam : null;
  const type = params.get('type');
  const resourceId = params.get('resourceId');
  const setFilter = (key: keyof AnalysisFilter) => (value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const filter: AnalysisFilter = {
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
          onChange={setFilter('projectId')}
          width={220}
        />
        <ChoiceFilter
          label="Status"
          placeholder="Any status"
          choices={analysisStatusOptions}
          value={status}
          onChange={setFilter('status')}
          width={160}
        />
        <ChoiceFilter
          label="Type"
          placeholder="Any type"
          choices={types.data?.items.map((candidate) => candidate.name) ?? []}
          value={type}
          onChange={setFilter('type')}
          width={180}
        />
        <ChoiceFilter
          label="Resource"
          placeholder="Any resource"
          choices={resources.data ?? []}
          value={resourceId}
          onChange={setFilter('resourceId')}
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
