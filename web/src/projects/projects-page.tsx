/** The projects the user can see: filter by status, search, sort, page with "Load more", create one. */
import { Anchor, Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { ProjectSort, ProjectStatus } from '../api/types';
import { ChoiceFilter, FilterBar, SearchFilter, useSearchFilter } from '../layout/filter-bar';
import { formatDate } from '../layout/format-time';
import { creationOf, ProjectForm, valuesOf } from './project-form';
import { useCreateProject, useProjectList } from './project-queries';
import { projectRoles, sortOptions, statusOptions } from './project-status';
import { StatusBadge } from './status-badge';
import { ListCard } from '../layout/list-card';

function NewProjectButton() {
  const [opened, { open, close }] = useDisclosure();
  const create = useCreateProject();
  const done = () => {
    create.reset();
    close();
  };
  return (
    <>
      <Button onClick={open}>New project</Button>
      <Modal opened={opened} onClose={done} title="New project" size="lg">
        <ProjectForm
          initial={valuesOf(undefined)}
          submitLabel="Create project"
          canChangeStatus
          pending={create.isPending}
          error={create.error}
          onSubmit={(values) => create.mutate(creationOf(values), { onSuccess: done })}
          onCancel={done}
        />
      </Modal>
    </>
  );
}

export function ProjectsPage() {
  const search = useSearchFilter();
  const { q } = search;
  const [status, setStatus] = useState<ProjectStatus | null>(null);
  const [sort, setSort] = useState<ProjectSort>('name');
  const list = useProjectList({ sort, ...(status && { status }), ...(q && { q }) });
  const projects = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Projects</Title>
        <NewProjectButton />
      </Group>
      <FilterBar>
        <SearchFilter search={search} placeholder="Name or description" width={280} />
        <ChoiceFilter
          label="Status"
          placeholder="Any status"
          choices={statusOptions}
          value={status}
          onChange={setStatus}
          width={180}
        />
        <ChoiceFilter
          label="Sort"
          choices={sortOptions}
          value={sort}
          onChange={(value) => value && setSort(value)}
          width={180}
        />
      </FilterBar>
      <ListCard
        query={list}
        empty={
          projects.length === 0 &&
          (q || status ? 'No project matches.' : 'No projects yet. Create the first one.')
        }
        more={list}
      >
        <Table.ScrollContainer minWidth={720}>
          <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="md" data-testid="projects-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Manager</Table.Th>
                <Table.Th>Your role</Table.Th>
                <Table.Th>Start</Table.Th>
                <Table.Th>End</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {projects.map((project) => (
                <Table.Tr key={project.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${project.id}`} fw={500}>
                      {project.name}
                    </Anchor>
                    {project.description && (
                      <Text size="xs" c="dimmed" lineClamp={1} maw={360}>
                        {project.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={project.status} />
                  </Table.Td>
                  <Table.Td>{project.manager.username}</Table.Td>
                  <Table.Td>{project.myRole ? projectRoles[project.myRole] : '—'}</Table.Td>
                  <Table.Td>{formatDate(project.startDate)}</Table.Td>
                  <Table.Td>{formatDate(project.endDate)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListCard>
    </Stack>
  );
}
