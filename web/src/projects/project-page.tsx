/** One project: its details, edit and delete (by role), its members and its history. */
import { Anchor, Breadcrumbs, Button, Grid, Group, Modal, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useIsAdmin } from '../accounts/session';
import type { Project } from '../api/types';
import { HistoryPanel } from '../audit/history-panel';
import { ConfirmButton } from '../layout/confirm-button';
import { DetailField, DetailsCard } from '../layout/details-card';
import { formatDate, formatDateTime } from '../layout/format-time';
import { QueryPage } from '../layout/query-page';
import { SamplesPanel } from '../samples/samples-panel';
import { MembersPanel } from './members-panel';
import { changesOf, ProjectForm, valuesOf } from './project-form';
import { useDeleteProject, useProject, useUpdateProject } from './project-queries';
import { projectRoles } from './project-status';
import { StatusBadge } from './status-badge';

function EditProjectButton({ project, canChangeStatus }: { project: Project; canChangeStatus: boolean }) {
  const [opened, { open, close }] = useDisclosure();
  const update = useUpdateProject(project.id);
  const done = () => {
    update.reset();
    close();
  };
  return (
    <>
      <Button variant="default" onClick={open}>
        Edit
      </Button>
      <Modal opened={opened} onClose={done} title="Edit project" size="lg">
        <ProjectForm
          initial={valuesOf(project)}
          submitLabel="Save"
          canChangeStatus={canChangeStatus}
          pending={update.isPending}
          error={update.error}
          onSubmit={(values) => {
            const changes = changesOf(project, values);
            if (Object.keys(changes).length === 0) done();
            else update.mutate(changes, { onSuccess: done });
          }}
          onCancel={done}
        />
      </Modal>
    </>
  );
}

function DeleteProjectButton({ project }: { project: Project }) {
  const remove = useDeleteProject(project.id);
  const navigate = useNavigate();
  return (
    <ConfirmButton
      label="Delete"
      title="Delete project"
      confirmLabel="Delete project"
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => void navigate('/projects') })}
    >
      Delete <b>{project.name}</b>? Its history stays in the audit trail.
    </ConfirmButton>
  );
}

function ProjectView({ project: p }: { project: Project }) {
  const isAdmin = useIsAdmin();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'samples' ? 'samples' : 'overview';
  const isManager = isAdmin || p.myRole === 'manager';
  const canEdit = isManager || p.myRole === 'member';

  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/projects" size="sm">
          Projects
        </Anchor>
        <Text size="sm">{p.name}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Group gap="sm">
          <Title order={2} data-testid="project-name">
            {p.name}
          </Title>
          <StatusBadge status={p.status} />
        </Group>
        <Group gap="xs">
          {canEdit && <EditProjectButton project={p} canChangeStatus={isManager} />}
          {isManager && <DeleteProjectButton project={p} />}
        </Group>
      </Group>
      <Tabs
        value={tab}
        onChange={(value) => setParams(value === 'samples' ? { tab: 'samples' } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="samples">Samples</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Grid gutter="lg">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Stack>
                <DetailsCard
                  testId="project-details"
                  description={p.description}
                  emptyDescription="No description."
                >
                  <DetailField label="Manager">{p.manager.username}</DetailField>
                  <DetailField label="Your role">
                    {p.myRole ? projectRoles[p.myRole] : 'Administrator'}
                  </DetailField>
                  <DetailField label="Created">{formatDateTime(p.createdAt)}</DetailField>
                  <DetailField label="Start date">{formatDate(p.startDate)}</DetailField>
                  <DetailField label="End date">{formatDate(p.endDate)}</DetailField>
                  <DetailField label="Last changed">{formatDateTime(p.updatedAt)}</DetailField>
                </DetailsCard>
                <MembersPanel project={p} canManage={isManager} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <HistoryPanel entityType="project" entityId={p.id} />
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="samples">
          <SamplesPanel projectId={p.id} canRegister={canEdit} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

export function ProjectPage() {
  const { id = '' } = useParams();
  const project = useProject(id);
  return <QueryPage query={project}>{(found) => <ProjectView project={found} />}</QueryPage>;
}
