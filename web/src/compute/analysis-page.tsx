/**
 * One analysis: its fields (type and version, sample, status, resource, who asked, when, where the results
 * are), Cancel or Retry when they apply, the current job's timeline, logs, outputs and provenance, and the
 * earlier attempts. The status follows the live events, and while the analysis has not ended the page also
 * refreshes every few seconds.
 */
import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Link, useParams } from 'react-router-dom';
import { ConfirmButton } from '../layout/confirm-button';
import { DetailField, DetailsCard } from '../layout/details-card';
import { ErrorAlert } from '../layout/error-alert';
import { formatFileSize } from '../layout/file-size';
import { formatDateTime } from '../layout/format-time';
import { QueryPage } from '../layout/query-page';
import { useCanWriteProject } from '../projects/project-queries';
import { useAnalysis, useAnalysisAction } from './analysis-queries';
import { mayCancel, mayRetry } from './analysis-status';
import { AnalysisStatusBadge } from './analysis-status-badge';
import type { Analysis, AnalysisFile, Job } from './compute-types';
import { JobLogs } from './job-logs';
import { JobProvenance } from './job-provenance';
import { JobTimeline } from './job-timeline';

/** Cancel and Retry, for those who may change the analysis's project. */
function Actions({ analysis }: { analysis: Analysis }) {
  const cancel = useAnalysisAction(analysis.id, 'cancel');
  const retry = useAnalysisAction(analysis.id, 'retry');
  if (!useCanWriteProject(analysis.projectId)) return null;
  return (
    <Stack gap="xs" align="flex-end">
      <Group gap="xs">
        {mayCancel(analysis.status) && (
          <ConfirmButton
            label="Cancel"
            title="Cancel this analysis?"
            confirmLabel="Cancel analysis"
            pending={cancel.isPending}
            error={cancel.error}
            onConfirm={(close) => cancel.mutate(undefined, { onSuccess: close })}
          >
            The job stops (or never starts); its logs so far are kept. You can retry it afterwards.
          </ConfirmButton>
        )}
        {mayRetry(analysis.status) && (
          <Button variant="light" loading={retry.isPending} onClick={() => retry.mutate()}>
            Retry
          </Button>
        )}
      </Group>
      <ErrorAlert error={retry.error} title="The analysis was not retried" />
    </Stack>
  );
}

function fileUrl(analysisId: string, file: AnalysisFile): string {
  return `/api/analyses/${encodeURIComponent(analysisId)}/files/${encodeURIComponent(file.id)}`;
}

/** A download's suggested name: the file's own, without the folders it sat in (`outputs/…`). */
function baseNameOf(name: string): string {
  return name.split('/').pop() || name;
}

function OutputsCard({ analysis }: { analysis: Analysis }) {
  return (
    <Card withBorder padding="lg" data-testid="analysis-outputs">
      <Title order={4} mb="sm">
        Outputs
      </Title>
      {analysis.files.length === 0 ? (
        <Text size="sm" c="dimmed">
          No outputs yet.
        </Text>
      ) : (
        <Table verticalSpacing="xs">
          <Table.Tbody>
            {analysis.files.map((file) => (
              <Table.Tr key={file.id}>
                <Table.Td>
                  <Anchor href={fileUrl(analysis.id, file)} download={baseNameOf(file.name)} size="sm">
                    {file.name}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {file.output} · {file.contentType} · {formatFileSize(file.size)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    SHA-256 {file.sha256}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function AttemptsCard({ attempts }: { attempts: readonly Job[] }) {
  if (attempts.length === 0) return null;
  return (
    <Card withBorder padding="lg" data-testid="analysis-attempts">
      <Title order={4} mb="sm">
        Earlier attempts
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing="xs" style={{ whiteSpace: 'nowrap' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Attempt</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Queued</Table.Th>
              <Table.Th>Started</Table.Th>
              <Table.Th>Ended</Table.Th>
              <Table.Th>Outcome</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {attempts.map((job) => (
              <Table.Tr key={job.id}>
                <Table.Td>{job.attempt}</Table.Td>
                <Table.Td>
                  <AnalysisStatusBadge status={job.status} size="sm" />
                </Table.Td>
                <Table.Td>{formatDateTime(job.queuedAt)}</Table.Td>
                <Table.Td>{formatDateTime(job.startedAt)}</Table.Td>
                <Table.Td>{formatDateTime(job.endedAt)}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {[job.schedulerState, job.exitCode !== null && `exit code ${job.exitCode}`, job.reason]
                      .filter(Boolean)
                      .join(' · ') || '—'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function AnalysisView({ analysis }: { analysis: Analysis }) {
  const { job } = analysis;
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/analyses" size="sm">
          Analyses
        </Anchor>
        <Anchor component={Link} to={`/samples/${analysis.sampleId}`} size="sm">
          {analysis.sampleName}
        </Anchor>
        <Text size="sm">{analysis.analysisType.name}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Group gap="sm">
          <Title order={2} data-testid="analysis-title">
            {analysis.analysisType.name}
          </Title>
          <Badge variant="light" color="gray" size="lg" ff="monospace">
            {analysis.analysisType.version}
          </Badge>
          <AnalysisStatusBadge status={analysis.status} size="lg" />
        </Group>
        <Actions analysis={analysis} />
      </Group>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack>
            <DetailsCard testId="analysis-details" description="">
              <DetailField label="Type">
                {analysis.analysisType.name}@{analysis.analysisType.version}
              </DetailField>
              <DetailField label="Sample">
                <Anchor component={Link} to={`/samples/${analysis.sampleId}`} size="sm">
                  {analysis.sampleName}
                </Anchor>
              </DetailField>
              <DetailField label="Status">
                <AnalysisStatusBadge status={analysis.status} />
              </DetailField>
              <DetailField label="Resource">{analysis.resource.name}</DetailField>
              <DetailField label="Requested by">{analysis.requestedBy?.username ?? '—'}</DetailField>
              <DetailField label="Submitted">{formatDateTime(analysis.submittedAt)}</DetailField>
              <DetailField label="Completed">{formatDateTime(analysis.completedAt)}</DetailField>
              <DetailField label="Result path" wide>
                {analysis.resultPath ?? '—'}
              </DetailField>
            </DetailsCard>
            <OutputsCard analysis={analysis} />
            {job && (
              <Card withBorder padding="lg" data-testid="analysis-logs">
                <Title order={4} mb="sm">
                  Logs
                </Title>
                <JobLogs analysisId={analysis.id} job={job} />
              </Card>
            )}
            <AttemptsCard attempts={analysis.attempts} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack>
            {job ? (
              <>
                <Card withBorder padding="lg" data-testid="analysis-job">
                  <Group justify="space-between" mb="sm">
                    <Title order={4}>Job</Title>
                    <Text size="xs" c="dimmed">
                      attempt {job.attempt}
                    </Text>
                  </Group>
                  <JobTimeline job={job} />
                </Card>
                <Card withBorder padding="lg">
                  <Title order={4} mb="sm">
                    Provenance
                  </Title>
                  <JobProvenance job={job} />
                </Card>
              </>
            ) : (
              <Card withBorder padding="lg">
                <Text size="sm" c="dimmed">
                  No job yet.
                </Text>
              </Card>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export function AnalysisPage() {
  const { id = '' } = useParams();
  const analysis = useAnalysis(id);
  return <QueryPage query={analysis}>{(found) => <AnalysisView analysis={found} />}</QueryPage>;
}
