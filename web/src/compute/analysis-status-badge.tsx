/** An analysis's (or a job's) status as a coloured badge, never cut short by a narrow table column. */
import { Badge, type BadgeProps } from '@mantine/core';
import { analysisStatusLabels } from './analysis-status';
import type { AnalysisStatus } from './compute-types';

export function AnalysisStatusBadge({ status, ...props }: { status: AnalysisStatus } & BadgeProps) {
  const { label, color } = analysisStatusLabels[status];
  return (
    <Badge variant="light" color={color} miw="max-content" data-testid="analysis-status" {...props}>
      {label}
    </Badge>
  );
}
