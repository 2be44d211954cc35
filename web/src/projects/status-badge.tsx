import { Badge } from '@mantine/core';
import type { ProjectStatus } from '../api/types';
import { projectStatuses } from './project-status';

export function StatusBadge({ status }: { status: ProjectStatus }) {
  const { label, color } = projectStatuses[status];
  return (
    <Badge variant="light" color={color}>
      {label}
    </Badge>
  );
}
