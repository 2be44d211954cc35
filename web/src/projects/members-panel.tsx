/** The members of a project; its managers (and admins) add members, change roles and remove them. */
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  Select,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { fieldErrorOf } from '../api/api-error';
import type { Member, Project, ProjectRole } from '../api/types';
import { ErrorAlert } from '../layout/error-alert';
import { formatDateTime } from '../layout/format-time';
import { PageLoader } from '../layout/page-states';
import { useAddMember, useProjectMembers, useRemoveMember } from './project-queries';
import { isProjectRole, projectRoles, roleOptions } from './project-status';

const roleColors: Record<ProjectRole, string> = { manager: 'teal', member: 'blue', viewer: 'gray' };

function AddMemberForm({ projectId }: { projectId: string }) {
  const add = useAddMember(projectId);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<ProjectRole>('member');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ username: username.trim(), role }, { onSuccess: () => setUsername('') });
  };
  const usernameError = fieldErrorOf(add.error, 'username');
  return (
    <form onSubmit={submit} aria-label="Add member">
      <Group align="flex-start" mt="md" gap="sm">
        <TextInput
          aria-label="Username"
          placeholder="Username"
          required
          value={username}
          onChange={(event) => setUsername(event.currentTarget.value)}
          error={usernameError}
          style={{ flex: 1 }}
        />
        <Select
          aria-label="Role"
          data={roleOptions}
          allowDeselect={false}
          value={role}
          onChange={(value) => isProjectRole(value) && setRole(value)}
          w={130}
        />
        <Button type="submit" variant="light" loading={add.isPending}>
          Add
        </Button>
      </Group>
      {add.error !== null && !usernameError && (
        <ErrorAlert error={add.error} title="Could not add the member" />
      )}
    </form>
  );
}

function RemoveButton({ projectId, member }: { projectId: string; member: Member }) {
  const remove = useRemoveMember(projectId);
  return (
    <Tooltip label={remove.error instanceof Error ? remove.error.message : `Remove ${member.username}`}>
      <ActionIcon
        variant="subtle"
        color="red"
        aria-label={`Remove ${member.username}`}
        loading={remove.isPending}
        onClick={() => remove.mutate(member.userId)}
      >
        ✕
      </ActionIcon>
    </Tooltip>
  );
}

export function MembersPanel({ project, canManage }: { project: Project; canManage: boolean }) {
  const members = useProjectMembers(project.id);
  return (
    <Card withBorder padding="lg" data-testid="members-panel">
      <Title order={4} mb="sm">
        Members
      </Title>
      {members.isPending ? (
        <PageLoader />
      ) : members.isError ? (
        <ErrorAlert error={members.error} />
      ) : (
        <Table verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>User</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Added</Table.Th>
              {canManage && <Table.Th w={40} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.data.map((member) => (
              <Table.Tr key={member.userId}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {member.username}
                  </Text>
                  {member.displayName && (
                    <Text size="xs" c="dimmed">
                      {member.displayName}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={roleColors[member.role]}>
                    {projectRoles[member.role]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatDateTime(member.addedAt)}</Text>
                </Table.Td>
                {canManage && (
                  <Table.Td>
                    {member.userId !== project.manager.id && (
                      <RemoveButton projectId={project.id} member={member} />
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canManage && <AddMemberForm projectId={project.id} />}
    </Card>
  );
}
