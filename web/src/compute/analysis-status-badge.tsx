/** An analysis's (or a job's) status as a coloured badge. */
import { Badge, type BadgeProps } from '@mantine/core';
import { analysisStatusLabels } from './analysis-status';
import type { AnalysisStatus } from './compute-types';

export function AnalysisStatusBadge({ status, ...props }: { status: AnalysisStatus } & BadgeProps) {
  const { label, color } = analysisStatusLabels[status];
  return (
    <Badge variant="light" color={color} data-testid="analysis-status" {...props}>
      {label}
    </Badge>
  );
}
