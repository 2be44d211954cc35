/**
 * One experiment record: its title and downloads, a summary (instrument, experimenter, session and
 * reservation times, the reservation's motivation), the Cairn project and samples it is linked to (those the
 * user may see), the samples and projects it was booked under, its activities with their setup and datasets,
 * and a gallery of the datasets' previews.
 */
import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router-dom';
import { DetailField, DetailsCard } from '../layout/details-card';
import { formatDateTime } from '../layout/format-time';
import { QueryPage } from '../layout/query-page';
import { RecordActivities } from './record-activities';
import { RecordDownloads } from './record-downloads';
import { RecordGallery } from './record-gallery';
import { useRecord } from './record-queries';
import type { ExperimentRecord, RecordDocument } from './record-types';

export function RecordPage() {
  const id = useParams().id ?? '';
  const record = useRecord(id);
  return <QueryPage query={record}>{(data) => <RecordView record={data} />}</QueryPage>;
}

/** A link inside Cairn (`/projects/…`) stays in the app; any other opens the facility's page. */
function Reference({ href, children }: { href: string; children: string }) {
  return href.startsWith('/') ? (
    <Anchor component={Link} to={href} size="sm">
      {children}
    </Anchor>
  ) : (
    <Anchor href={href} target="_blank" rel="noreferrer" size="sm">
      {children}
    </Anchor>
  );
}

function RecordView({ record }: { record: ExperimentRecord }) {
  const { document } = record;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Title order={2} data-testid="record-title">
          {record.title}
        </Title>
        <RecordDownloads record={record} />
      </Group>
      <RecordSummaryCard record={record} />
      <CairnLinksCard record={record} />
      <Group align="flex-start" grow>
        <SamplesCard document={document} />
        <ProjectsCard document={document} />
      </Group>
      <Title order={3}>Activities</Title>
      <RecordActivities document={document} />
      <Title order={3}>Gallery</Title>
      <RecordGallery document={document} />
    </Stack>
  );
}

function RecordSummaryCard({ record }: { record: ExperimentRecord }) {
  const { document } = record;
  const { reservation, instrument } = document;
  return (
    <DetailsCard
      testId="record-summary"
      description={reservation?.motivation ?? ''}
      emptyDescription="No motivation given."
    >
      <DetailField label="Instrument">
        <Anchor component={Link} to={`/instruments/${encodeURIComponent(instrument.pid)}`} size="sm">
          {instrument.name}
        </Anchor>
      </DetailField>
      <DetailField label="Location">{instrument.location || '—'}</DetailField>
      <DetailField label="Experimenter">{document.experimenter ?? '—'}</DetailField>
      <DetailField label="Session started">{formatDateTime(document.session.start)}</DetailField>
      <DetailField label="Session ended">{formatDateTime(document.session.end)}</DetailField>
      <DetailField label="Built">{formatDateTime(record.builtAt)}</DetailField>
      {document.collaborators.length > 0 && (
        <DetailField label="Collaborators" wide>
          {document.collaborators.join(', ')}
        </DetailField>
      )}
      <DetailField label="Reservation" wide>
        {reservation ? (
          <>
            {formatDateTime(reservation.start)} – {formatDateTime(reservation.end)}
            {reservation.ref && (
              <>
                {' · '}
                <Reference href={reservation.ref}>reservation page</Reference>
              </>
            )}
          </>
        ) : (
          'None'
        )}
      </DetailField>
    </DetailsCard>
  );
}

/** The Cairn project and inventory samples the reservation named, as far as the user may see them. */
function CairnLinksCard({ record }: { record: ExperimentRecord }) {
  return (
    <DetailsCard testId="record-links" lead={<Title order={4}>In Cairn</Title>} description="">
      <DetailField label="Project">
        {record.project ? (
          <Anchor component={Link} to={`/projects/${record.project.id}`} size="sm">
            {record.project.name}
          </Anchor>
        ) : (
          '—'
        )}
      </DetailField>
      <DetailField label="Samples" wide>
        {record.samples.length === 0 ? (
          '—'
        ) : (
          <Group gap="sm">
            {record.samples.map((sample) => (
              <Anchor key={sample.id} component={Link} to={`/samples/${sample.id}`} size="sm">
                {sample.humanId ? `${sample.humanId} · ${sample.name}` : sample.name}
              </Anchor>
            ))}
          </Group>
        )}
      </DetailField>
    </DetailsCard>
  );
}

function SamplesCard({ document }: { document: RecordDocument }) {
  return (
    <Card withBorder padding="lg" data-testid="record-samples">
      <Title order={4} mb="xs">
        Samples
      </Title>
      {document.samples.length === 0 ? (
        <Text size="sm" c="dimmed">
          No samples named.
        </Text>
      ) : (
        <Table verticalSpacing={4} fz="sm">
          <Table.Tbody>
            {document.samples.map((sample) => (
              <Table.Tr key={sample.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {sample.name}
                  </Text>
                  {sample.pid && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {sample.pid}
                    </Text>
                  )}
                  {sample.description && <Text size="xs">{sample.description}</Text>}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {sample.elements.map((element) => (
                      <Badge key={element} variant="outline" size="sm">
                        {element}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function ProjectsCard({ document }: { document: RecordDocument }) {
  return (
    <Card withBorder padding="lg" data-testid="record-projects">
      <Title order={4} mb="xs">
        Projects
      </Title>
      {document.projects.length === 0 ? (
        <Text size="sm" c="dimmed">
          No projects named.
        </Text>
      ) : (
        <Stack gap={4}>
          {document.projects.map((project) => (
            <Text key={`${project.name}-${project.projectId ?? ''}`} size="sm">
              {project.ref ? <Reference href={project.ref}>{project.name}</Reference> : project.name}
              {project.projectId && (
                <Text span size="xs" c="dimmed" ff="monospace">
                  {' '}
                  {project.projectId}
                </Text>
              )}
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  );
}
