/** A sample's lifecycle status as a coloured badge. */
import { Badge, type BadgeProps } from '@mantine/core';
import type { SampleStatus } from './sample-types';
import { sampleStatusColors, sampleStatusLabels } from './sample-status';

export function SampleStatusBadge({ status, ...props }: { status: SampleStatus } & BadgeProps) {
  return (
    <Badge variant="light" color={sampleStatusColors[status]} data-testid="sample-status" {...props}>
      {sampleStatusLabels[status]}
    </Badge>
  );
}
