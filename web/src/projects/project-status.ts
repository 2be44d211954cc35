/** How project statuses, roles and sort orders read and look in the UI. */
import type { ProjectRole, ProjectSort, ProjectStatus } from '../api/types';
import { choicesOf, isKeyOf } from '../layout/choices';

export const projectStatuses: Record<ProjectStatus, { label: string; color: string }> = {
  planned: { label: 'Planned', color: 'blue' },
  active: { label: 'Active', color: 'teal' },
  on_hold: { label: 'On hold', color: 'yellow' },
  completed: { label: 'Completed', color: 'grape' },
  archived: { label: 'Archived', color: 'gray' },
};

export const statusOptions = choicesOf(projectStatuses);

export function isProjectStatus(value: string | null): value is ProjectStatus {
  return isKeyOf(projectStatuses, value);
}

export const projectRoles: Record<ProjectRole, string> = {
  manager: 'Manager',
  member: 'Member',
  viewer: 'Viewer',
};

export const roleOptions = choicesOf(projectRoles);

export function isProjectRole(value: string | null): value is ProjectRole {
  return isKeyOf(projectRoles, value);
}

export const sortOptions: { value: ProjectSort; label: string }[] = [
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: '-createdAt', label: 'Newest first' },
  { value: 'createdAt', label: 'Oldest first' },
  { value: 'startDate', label: 'Start date ↑' },
  { value: '-startDate', label: 'Start date ↓' },
];

export function isProjectSort(value: string | null): value is ProjectSort {
  return sortOptions.some((option) => option.value === value);
}
