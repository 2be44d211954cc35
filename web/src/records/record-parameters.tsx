/**
 * Named values of a record (an activity's setup, a dataset's metadata) as a compact two-column table: the
 * name, then the value with its unit; a value the instrument is known to write unreliably is marked.
 */
import { Table, Text, Tooltip } from '@mantine/core';
import type { RecordParameter } from './record-types';

function formatValue(parameter: RecordParameter): string {
  const value =
    typeof parameter.value === 'boolean' ? (parameter.value ? 'yes' : 'no') : String(parameter.value);
  return parameter.unit ? `${value} ${parameter.unit}` : value;
}

export function ParameterTable({
  parameters,
  testId,
}: {
  parameters: readonly RecordParameter[];
  testId: string;
}) {
  if (parameters.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        None.
      </Text>
    );
  }
  return (
    <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing="xs" fz="xs" data-testid={testId}>
      <Table.Tbody>
        {parameters.map((parameter) => (
          <Table.Tr key={parameter.name}>
            <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {parameter.name}
            </Table.Td>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>
              {formatValue(parameter)}
              {parameter.warning && (
                <Tooltip label="The instrument is known to write this value unreliably">
                  <Text span c="orange" fw={700}>
                    {' '}
                    ⚠
                  </Text>
                </Tooltip>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
