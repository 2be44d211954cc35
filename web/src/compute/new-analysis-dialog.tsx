/**
 * "Run analysis": choose an analysis type, fill in its parameters (a form generated from the type's schema)
 * and, if wanted, the resource to run on, then start it for one sample (and open the new analysis) or for
 * several selected samples at once (one analysis each, all or none; then the project's analyses list opens). The server's refusals show under the
 * field they name, the rest above the form.
 */
import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { fieldErrorOf } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { ErrorAlert } from '../layout/error-alert';
import { useAnalysisTypes, useCreateAnalysesBatch, useCreateAnalysis } from './analysis-queries';
import type { AnalysisType } from './compute-types';
import { ParameterForm } from './parameter-form';
import { initialValuesOf, parameterFieldsOf, paramsOf, type ParameterValues } from './parameter-fields';

/** The resources a new analysis may go to: the online ones (one page is plenty). */
function useOnlineResources() {
  return useQuery({
    queryKey: ['hpc-resources', 'online'],
    queryFn: () => unwrap(api.GET('/api/hpc-resources', { params: { query: { limit: 200 } } })),
    select: (page) => page.items.filter((resource) => resource.status === 'online'),
  });
}

function AnalysisForm({
  types,
  sampleIds,
  onDone,
}: {
  types: readonly AnalysisType[];
  sampleIds: readonly string[];
  onDone: () => void;
}) {
  const navigate = useNavigate();
  const resources = useOnlineResources();
  const single = useCreateAnalysis();
  const batch = useCreateAnalysesBatch();
  const create = sampleIds.length === 1 ? single : batch;
  const [typeName, setTypeName] = useState<string | null>(null);
  const type = types.find((candidate) => candidate.name === typeName);
  const fields = useMemo(() => (type ? parameterFieldsOf(type.parameters) : []), [type]);
  const [values, setValues] = useState<ParameterValues>({});
  const [resourceId, setResourceId] = useState<string | null>(null);

  const chooseType = (name: string | null) => {
    const chosen = types.find((candidate) => candidate.name === name);
    setTypeName(chosen?.name ?? null);
    setValues(chosen ? initialValuesOf(parameterFieldsOf(chosen.parameters)) : {});
    single.reset();
    batch.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!type) return;
    const request = {
      analysisType: type.name,
      params: paramsOf(fields, values),
      ...(resourceId && { resourceId }),
    };
    const [sampleId] = sampleIds;
    if (sampleIds.length === 1 && sampleId !== undefined) {
      single.mutate(
        { ...request, sampleId },
        { onSuccess: (analysis) => void navigate(`/analyses/${analysis.id}`) },
      );
    } else {
      batch.mutate(
        { ...request, sampleIds: [...sampleIds] },
        {
          // The new analyses, as the project's analyses list shows them.
          onSuccess: ({ items: [first] }) =>
            void navigate(first ? `/analyses?projectId=${encodeURIComponent(first.projectId)}` : '/analyses'),
        },
      );
    }
  };

  return (
    <form onSubmit={submit} aria-label="New analysis">
      <Stack>
        <ErrorAlert error={create.error} title="The analysis was not started" />
        <Select
          label="Analysis type"
          placeholder="Choose a type"
          required
          data-autofocus
          data={types.map((candidate) => ({
            value: candidate.name,
            label: `${candidate.name} ${candidate.version}`,
          }))}
          value={typeName}
          onChange={chooseType}
          error={fieldErrorOf(create.error, 'analysisType')}
          comboboxProps={{ withinPortal: true }}
        />
        {type && (
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
            {type.description}
          </Text>
        )}
        <ParameterForm
          fields={fields}
          values={values}
          onChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))}
          error={create.error}
        />
        <Select
          label="Resource"
          placeholder="The server's choice"
          description="Online resources only"
          clearable
          data={(resources.data ?? []).map((resource) => ({ value: resource.id, label: resource.name }))}
          value={resourceId}
          onChange={setResourceId}
          error={fieldErrorOf(create.error, 'resourceId')}
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={!type}>
            {sampleIds.length === 1 ? 'Start analysis' : `Start ${sampleIds.length} analyses`}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The dialog; it opens while `sampleIds` is not empty. */
export function NewAnalysisDialog({
  sampleIds,
  onClose,
}: {
  sampleIds: readonly string[];
  onClose: () => void;
}) {
  const types = useAnalysisTypes();
  const opened = sampleIds.length > 0;
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={sampleIds.length > 1 ? `New analysis of ${sampleIds.length} samples` : 'New analysis'}
      size="lg"
    >
      <ErrorAlert error={types.error} title="The analysis types did not load" />
      {opened && types.data && (
        <AnalysisForm types={types.data.items} sampleIds={sampleIds} onDone={onClose} />
      )}
    </Modal>
  );
}
