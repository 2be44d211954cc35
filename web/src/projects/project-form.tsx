/** The fields of a project, for creating one and for editing one; field errors come from the server. */
import { Button, Group, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { fieldErrorOf } from '../api/api-error';
import type { CreateProject, Project, ProjectStatus, UpdateProject } from '../api/types';
import { ErrorAlert } from '../layout/error-alert';
import { isProjectStatus, statusOptions } from './project-status';

export interface ProjectFormValues {
  name: string;
  description: string;
  startDate: string;
  endDate: string;
  status: ProjectStatus;
}

export function valuesOf(project: Project | undefined): ProjectFormValues {
  return {
    name: project?.name ?? '',
    description: project?.description ?? '',
    startDate: project?.startDate ?? '',
    endDate: project?.endDate ?? '',
    status: project?.status ?? 'planned',
  };
}

/** The body of POST /api/projects: empty fields are left out. */
export function creationOf(values: ProjectFormValues): CreateProject {
  return {
    name: values.name.trim(),
    status: values.status,
    ...(values.description.trim() && { description: values.description.trim() }),
    ...(values.startDate && { startDate: values.startDate }),
    ...(values.endDate && { endDate: values.endDate }),
  };
}

/** The body of PATCH /api/projects/:id: only what changed; a cleared date becomes null. */
export function changesOf(project: Project, values: ProjectFormValues): UpdateProject {
  const changes: UpdateProject = {};
  if (values.name.trim() !== project.name) changes.name = values.name.trim();
  if (values.description !== project.description) changes.description = values.description;
  if (values.startDate !== (project.startDate ?? '')) changes.startDate = values.startDate || null;
  if (values.endDate !== (project.endDate ?? '')) changes.endDate = values.endDate || null;
  if (values.status !== project.status) changes.status = values.status;
  return changes;
}

interface ProjectFormProps {
  initial: ProjectFormValues;
  submitLabel: string;
  /** Members may edit a project but only its managers change the status. */
  canChangeStatus: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (values: ProjectFormValues) => void;
  onCancel: () => void;
}

export function ProjectForm({
  initial,
  submitLabel,
  canChangeStatus,
  pending,
  error,
  onSubmit,
  onCancel,
}: ProjectFormProps) {
  const [values, setValues] = useState(initial);
  const set = <K extends keyof ProjectFormValues>(key: K, value: ProjectFormValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(values);
  };
  return (
    <form onSubmit={submit} aria-label="Project">
      <Stack>
        <ErrorAlert error={error} />
        <TextInput
          label="Name"
          required
          data-autofocus
          maxLength={200}
          value={values.name}
          onChange={(event) => set('name', event.currentTarget.value)}
          error={fieldErrorOf(error, 'name')}
        />
        <Textarea
          label="Description"
          autosize
          minRows={3}
          maxRows={10}
          value={values.description}
          onChange={(event) => set('description', event.currentTarget.value)}
          error={fieldErrorOf(error, 'description')}
        />
        <Group grow align="flex-start">
          <TextInput
            label="Start date"
            type="date"
            value={values.startDate}
            onChange={(event) => set('startDate', event.currentTarget.value)}
            error={fieldErrorOf(error, 'startDate')}
          />
          <TextInput
            label="End date"
            type="date"
            value={values.endDate}
            onChange={(event) => set('endDate', event.currentTarget.value)}
            error={fieldErrorOf(error, 'endDate')}
          />
        </Group>
        {canChangeStatus && (
          <Select
            label="Status"
            data={statusOptions}
            allowDeselect={false}
            value={values.status}
            onChange={(value) => isProjectStatus(value) && set('status', value)}
            error={fieldErrorOf(error, 'status')}
          />
        )}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
