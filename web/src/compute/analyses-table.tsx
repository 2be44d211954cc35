/** Analyses as a table: type and version (to the analysis), sample, status, resource, who asked, when. */
import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../layout/format-time';
import { AnalysisStatusBadge } from './analysis-status-badge';
import type { AnalysisSummary } from './compute-types';

export function AnalysesTable({
  analyses,
  withSample = true,
}: {
  analyses: readonly AnalysisSummary[];
  /** False on a sample's page, where every row is that sample's. */
  withSample?: boolean;
}) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" data-testid="analyses-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Analysis</Table.Th>
            {withSample && <Table.Th>Sample</Table.Th>}
            <Table.Th>Status</Table.Th>
            <Table.Th>Resource</Table.Th>
            <Table.Th>Requested by</Table.Th>
            <Table.Th>Submitted</Table.Th>
            <Table.Th>Completed</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {analyses.map((analysis) => (
            <Table.Tr key={analysis.id} data-testid={`analysis-${analysis.id}`}>
              <Table.Td>
                <Anchor component={Link} to={`/analyses/${analysis.id}`} fw={500} size="sm">
                  {analysis.analysisType.name}
                </Anchor>
                <Text span size="xs" c="dimmed" ff="monospace">
                  {' '}
                  {analysis.analysisType.version}
                </Text>
              </Table.Td>
              {withSample && (
                <Table.Td>
                  <Anchor component={Link} to={`/samples/${analysis.sampleId}`} size="sm">
                    {analysis.sampleName}
                  </Anchor>
                </Table.Td>
              )}
              <Table.Td>
                <AnalysisStatusBadge status={analysis.status} />
                {analysis.job && analysis.job.attempt > 1 && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    attempt {analysis.job.attempt}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{analysis.resource.name}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{analysis.requestedBy?.username ?? '—'}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(analysis.submittedAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(analysis.completedAt)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
