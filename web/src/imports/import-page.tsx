/**
 * CSV import: choose what the file holds (items or samples), paste it or pick a file, check it with a dry run
 * (every bad row by number, column and reason, and the warnings), then import it once the check is clean.
 * The import is all or nothing; afterwards the page links to what was created.
 */
import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Code,
  FileButton,
  Grid,
  Group,
  List,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../layout/error-alert';
import { useImport, type ImportKind, type ImportReport } from './import-queries';

const columnHelp: Record<ImportKind, { columns: [string, string][]; example: string }> = {
  items: {
    columns: [
      ['type', 'an item type: tube, box 9x9, plasmid…'],
      ['name', 'required'],
      ['parent', 'a container: human id, barcode or name, or a row of this file'],
      ['slot', 'a grid slot of the parent (A1, B7…)'],
      ['barcode, description, virtual, hidden', 'optional'],
      ['any other column', 'a field of the row’s type (e.g. volume_ul or “Volume (µl)”)'],
    ],
    example:
      'type,name,parent,slot,volume_ul\nbox 9x9,Stocks box 2,Rack 3,,\ntube,pUC19 stock,Stocks box 2,A1,50',
  },
  samples: {
    columns: [
      ['project', 'the project’s name or id (you need write access)'],
      ['type', 'a physical type, e.g. tube'],
      ['name', 'required'],
      ['collection date', 'YYYY-MM-DD'],
      ['status', 'registered, received, stored, in_analysis'],
      ['parent, slot, barcode, description', 'optional; a stored sample needs a parent'],
    ],
    example:
      'project,type,name,collection date,parent,slot\nSoil microbiome,tube,Core N3,2025-04-02,Stocks box 2,B1',
  },
};

function ReportSummary({ report }: { report: ImportReport }) {
  return (
    <Group gap="xs" data-testid="import-summary">
      <Badge variant="light" color="gray" size="lg">
        {report.rows} {report.rows === 1 ? 'row' : 'rows'}
      </Badge>
      {report.valid ? (
        <Badge variant="light" color="teal" size="lg">
          all valid
        </Badge>
      ) : (
        <Badge variant="light" color="red" size="lg">
          {report.invalidRows} bad {report.invalidRows === 1 ? 'row' : 'rows'}
        </Badge>
      )}
      {report.warnings.length > 0 && (
        <Badge variant="light" color="yellow" size="lg">
          {report.warnings.length} {report.warnings.length === 1 ? 'warning' : 'warnings'}
        </Badge>
      )}
    </Group>
  );
}

function ProblemsTable({ report }: { report: ImportReport }) {
  if (report.errors.length === 0) return null;
  return (
    <Stack gap={4}>
      <Table withTableBorder verticalSpacing={6} fz="sm" data-testid="import-errors">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>Row</Table.Th>
            <Table.Th w={160}>Column</Table.Th>
            <Table.Th>Problem</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.errors.map((error, index) => (
            <Table.Tr key={index} data-row={error.row}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {error.row}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{error.column ?? error.field}</Text>
                {error.column && error.column !== error.field && (
                  <Text size="xs" c="dimmed">
                    {error.field}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{error.message}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {report.moreErrors > 0 && (
        <Text size="xs" c="dimmed">
          …and {report.moreErrors} more problems.
        </Text>
      )}
      <Text size="xs" c="dimmed">
        Rows are numbered as in a spreadsheet: the header is row 1.
      </Text>
    </Stack>
  );
}

function Warnings({ report }: { report: ImportReport }) {
  if (report.warnings.length === 0) return null;
  return (
    <Alert color="yellow" variant="light" title="Warnings" data-testid="import-warnings">
      <List size="sm" spacing={2}>
        {report.warnings.map((warning, index) => (
          <List.Item key={index}>
            {warning.row !== undefined && <b>Row {warning.row}: </b>}
            {warning.column !== undefined && <Code>{warning.column}</Code>} {warning.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

function Created({ report, kind }: { report: ImportReport; kind: ImportKind }) {
  const items = report.items ?? [];
  const shown = items.slice(0, 50);
  const noun = kind === 'items' ? 'items' : 'samples';
  return (
    <Alert
      color="teal"
      variant="light"
      title={`Imported: ${report.created} ${noun} created`}
      data-testid="import-created"
    >
      <Stack gap="xs">
        <Group gap={6}>
          {shown.map((item) => (
            <Anchor
              key={item.id}
              component={Link}
              to={kind === 'items' ? `/inventory/items/${item.id}` : `/samples/${item.id}`}
              size="sm"
              ff="monospace"
              title={`row ${item.row}`}
            >
              {item.humanId}
            </Anchor>
          ))}
          {items.length + (report.moreItems ?? 0) > shown.length && (
            <Text size="sm" c="dimmed">
              …and {items.length + (report.moreItems ?? 0) - shown.length} more
            </Text>
          )}
        </Group>
        <Anchor component={Link} to="/inventory" size="sm">
          Open the inventory
        </Anchor>
      </Stack>
    </Alert>
  );
}

export function ImportPage() {
  const [kind, setKind] = useState<ImportKind>('items');
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const run = useImport();
  // The report belongs to what was checked: editing the text or the kind asks for a new check.
  const [checked, setChecked] = useState<{ kind: ImportKind; csv: string; report: ImportReport } | null>(
    null,
  );
  const current = checked && checked.kind === kind && checked.csv === csv ? checked.report : null;
  const canImport = current !== null && current.dryRun && current.valid && current.rows > 0;

  const submit = (dryRun: boolean) =>
    run.mutate({ kind, csv, dryRun }, { onSuccess: (report) => setChecked({ kind, csv, report }) });

  const readFile = async (file: File | null) => {
    if (!file) return;
    setFileName(file.name);
    setCsv(await file.text());
  };

  const help = columnHelp[kind];
  return (
    <Stack>
      <Breadcrumbs>
        <Anchor component={Link} to="/inventory" size="sm">
          Inventory
        </Anchor>
        <Text size="sm">Import</Text>
      </Breadcrumbs>
      <Title order={2}>Import CSV</Title>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack>
            <Card withBorder padding="lg">
              <Stack gap="sm">
                <Group justify="space-between" align="flex-end">
                  <div>
                    <Text size="sm" fw={500} mb={4}>
                      The file holds
                    </Text>
                    <SegmentedControl
                      value={kind}
                      onChange={(value) => setKind(value === 'samples' ? 'samples' : 'items')}
                      data={[
                        { value: 'items', label: 'Items' },
                        { value: 'samples', label: 'Samples' },
                      ]}
                      aria-label="What the file holds"
                    />
                  </div>
                  <Group gap="xs">
                    {fileName && (
                      <Text size="xs" c="dimmed">
                        {fileName}
                      </Text>
                    )}
                    <FileButton onChange={(file) => void readFile(file)} accept=".csv,.tsv,.txt,text/csv">
                      {(props) => (
                        <Button variant="default" {...props}>
                          Choose a file…
                        </Button>
                      )}
                    </FileButton>
                  </Group>
                </Group>
                <Textarea
                  label="CSV"
                  description="Paste the rows with their header row, or choose a file. Comma, semicolon or tab separated."
                  placeholder={help.example}
                  autosize
                  minRows={8}
                  maxRows={24}
                  value={csv}
                  onChange={(event) => setCsv(event.currentTarget.value)}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                  spellCheck={false}
                />
                <Group justify="flex-end">
                  <Button
                    variant="default"
                    disabled={csv.trim() === ''}
                    loading={run.isPending && run.variables.dryRun}
                    onClick={() => submit(true)}
                  >
                    Check (dry run)
                  </Button>
                  <Button
                    disabled={!canImport}
                    loading={run.isPending && !run.variables.dryRun}
                    onClick={() => submit(false)}
                  >
                    Import
                  </Button>
                </Group>
              </Stack>
            </Card>
            <ErrorAlert error={run.error} title="The file could not be checked" />
            {current && (
              <Card withBorder padding="lg" data-testid="import-report">
                <Stack gap="sm">
                  <Group justify="space-between">
                    <Title order={4}>{current.dryRun ? 'Dry run' : 'Import'}</Title>
                    <ReportSummary report={current} />
                  </Group>
                  {current.dryRun && current.valid && (
                    <Text size="sm" c="teal.8">
                      Every row is fine: nothing has been written yet. Import creates {current.rows}{' '}
                      {kind === 'items' ? 'items' : 'samples'}.
                    </Text>
                  )}
                  {!current.dryRun && !current.valid && (
                    <Text size="sm" c="red.8">
                      Nothing was imported: fix these rows and check again.
                    </Text>
                  )}
                  {!current.dryRun && current.valid && <Created report={current} kind={kind} />}
                  <ProblemsTable report={current} />
                  <Warnings report={current} />
                </Stack>
              </Card>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Card withBorder padding="lg">
            <Title order={5} mb="xs">
              Columns
            </Title>
            <Table fz="xs" verticalSpacing={4}>
              <Table.Tbody>
                {help.columns.map(([column, meaning]) => (
                  <Table.Tr key={column}>
                    <Table.Td w="40%" style={{ verticalAlign: 'top' }}>
                      <Code>{column}</Code>
                    </Table.Td>
                    <Table.Td>{meaning}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed" mt="sm">
              Headers are matched loosely (“Item Type”, item_type). A file exported from Cairn imports again
              as it is.
            </Text>
            <Text size="xs" fw={600} mt="md" mb={4}>
              Example
            </Text>
            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {help.example}
            </Code>
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
