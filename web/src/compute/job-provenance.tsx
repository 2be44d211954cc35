/**
 * What a job ran, as it was recorded: the type and version, the argument vector one argument a line (never
 * joined into a shell line, which would misstate arguments holding spaces or quotes), the parameters, the
 * inputs with their SHA-256, and the versions the tools printed.
 */
import { Code, Stack, Table, Text, Title } from '@mantine/core';
import { formatFileSize } from '../layout/file-size';
import type { Job } from './compute-types';

function Heading({ children }: { children: string }) {
  return (
    <Title order={6} c="dimmed" tt="uppercase">
      {children}
    </Title>
  );
}

export function JobProvenance({ job }: { job: Job }) {
  const { provenance } = job;
  const params = Object.entries(provenance.params);
  const tools = Object.entries(provenance.toolVersions);
  return (
    <Stack gap="md" data-testid="job-provenance">
      <Text size="sm">
        {provenance.type.name}{' '}
        <Text span ff="monospace" size="sm">
          {provenance.type.version}
        </Text>
      </Text>
      <div>
        <Heading>Arguments</Heading>
        <ol style={{ margin: 0, paddingLeft: '2.2em' }} data-testid="job-argv">
          {provenance.argv.map((argument, index) => (
            <li key={index}>
              <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{argument}</Code>
            </li>
          ))}
        </ol>
      </div>
      <div>
        <Heading>Parameters</Heading>
        {params.length === 0 ? (
          <Text size="sm" c="dimmed">
            None
          </Text>
        ) : (
          <Table withRowBorders={false} verticalSpacing={2}>
            <Table.Tbody>
              {params.map(([name, value]) => (
                <Table.Tr key={name}>
                  <Table.Td w="30%">
                    <Text size="sm">{name}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{JSON.stringify(value)}</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
      <div>
        <Heading>Inputs</Heading>
        {provenance.inputs.length === 0 ? (
          <Text size="sm" c="dimmed">
            None
          </Text>
        ) : (
          <Table withRowBorders={false} verticalSpacing={2}>
            <Table.Tbody>
              {provenance.inputs.map((input) => (
                <Table.Tr key={input.fileId}>
                  <Table.Td>
                    <Text size="sm">{input.name}</Text>
                    <Text size="xs" c="dimmed">
                      {formatFileSize(input.size)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                      SHA-256 {input.sha256}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </div>
      <div>
        <Heading>Tool versions</Heading>
        {tools.length === 0 ? (
          <Text size="sm" c="dimmed">
            Not reported yet
          </Text>
        ) : (
          tools.map(([tool, version]) => (
            <Text key={tool} size="sm">
              {tool}:{' '}
              <Text span ff="monospace" size="sm">
                {version}
              </Text>
            </Text>
          ))
        )}
      </div>
    </Stack>
  );
}
