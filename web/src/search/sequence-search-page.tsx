/**
 * BLAST search of the inventory's sequences: a query (raw or FASTA), the program and its cut-offs; the hits
 * in a table, each with a bar showing where it aligns on the query, then every alignment in monospace blocks
 * of 60 columns with their coordinates. A failure shows the server's problem (no BLAST+ installed, a query
 * the program cannot read) in place.
 */
import {
  Anchor,
  Button,
  Card,
  Code,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { fieldErrorOf } from '../api/api-error';
import { ErrorAlert } from '../layout/error-alert';
import {
  alignmentBlocks,
  coordinateWidthOf,
  formatAlignmentBlock,
  formatEvalue,
  identicalColumns,
} from './sequence-alignment';
import { HitGraphic, IdentityLegend } from './sequence-hit-graphic';
import {
  searchSequences,
  type BlastProgram,
  type SequenceHit,
  type SequenceSearchAnswer,
} from './sequence-search-api';

const PROGRAMS: readonly { value: BlastProgram; label: string }[] = [
  { value: 'blastn', label: 'blastn — nucleotides against nucleotides' },
  { value: 'blastp', label: 'blastp — protein against protein' },
  { value: 'blastx', label: 'blastx — translated nucleotides against protein' },
  { value: 'tblastn', label: 'tblastn — protein against translated nucleotides' },
];

// BLAST's own defaults, which the server also applies when none is given.
const DEFAULT_EVALUE = '10';
const DEFAULT_MAX_HITS = 50;
const MAX_HITS = 500;

/** An e-value as typed ("1e-5", "0.001"), or null when it is not a positive number. */
function evalueOf(text: string): number | null {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) && value > 0 ? value : null;
}

export function SequenceSearchPage() {
  const [sequence, setSequence] = useState('');
  const [program, setProgram] = useState<BlastProgram>('blastn');
  const [evalueText, setEvalueText] = useState(DEFAULT_EVALUE);
  const [maxHits, setMaxHits] = useState<number | string>(DEFAULT_MAX_HITS);
  const search = useMutation({ mutationFn: searchSequences });
  const evalue = evalueOf(evalueText);
  const hitLimit = typeof maxHits === 'number' && Number.isInteger(maxHits) ? maxHits : null;
  const valid = sequence.trim() !== '' && evalue !== null && hitLimit !== null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    search.mutate({ sequence, program, evalue, maxHits: hitLimit });
  };

  return (
    <Stack>
      <Title order={2}>Sequence search</Title>
      <Card withBorder component="form" onSubmit={submit} aria-label="Sequence search">
        <Stack>
          <Textarea
            label="Query sequence"
            description="One sequence, raw or FASTA (a >header line first)"
            placeholder={'>my query\nATGACCAGCGAACAATACTCAGTCAAG…'}
            autosize
            minRows={5}
            maxRows={14}
            value={sequence}
            onChange={(event) => setSequence(event.currentTarget.value)}
            error={fieldErrorOf(search.error, 'sequence')}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            required
          />
          <Group align="flex-start">
            <Select
              label="Program"
              data={PROGRAMS}
              value={program}
              onChange={(value) =>
                setProgram(PROGRAMS.find((entry) => entry.value === value)?.value ?? 'blastn')
              }
              allowDeselect={false}
              w={380}
              error={fieldErrorOf(search.error, 'program')}
            />
            <TextInput
              label="E-value"
              description="e.g. 10 or 1e-5"
              value={evalueText}
              onChange={(event) => setEvalueText(event.currentTarget.value)}
              error={evalue === null ? 'A positive number, e.g. 1e-5' : fieldErrorOf(search.error, 'evalue')}
              w={180}
            />
            <NumberInput
              label="Max hits"
              description={`1 to ${MAX_HITS}`}
              value={maxHits}
              onChange={setMaxHits}
              min={1}
              max={MAX_HITS}
              allowDecimal={false}
              allowNegative={false}
              error={fieldErrorOf(search.error, 'maxHits')}
              w={140}
            />
          </Group>
          <Group>
            <Button type="submit" disabled={!valid} loading={search.isPending}>
              Search
            </Button>
          </Group>
        </Stack>
      </Card>
      <ErrorAlert error={search.error} />
      {search.data && <SequenceHits answer={search.data} program={search.variables.program} />}
    </Stack>
  );
}

/** The hits of one search: the table, then each alignment. */
export function SequenceHits({ answer, program }: { answer: SequenceSearchAnswer; program: BlastProgram }) {
  if (answer.hits.length === 0) {
    return (
      <Card withBorder>
        <Text c="dimmed" ta="center" data-testid="no-hits">
          No sequence in the inventory matches this query.
        </Text>
      </Card>
    );
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="hit-count">
          {answer.hits.length} {answer.hits.length === 1 ? 'hit' : 'hits'} on a query of {answer.queryLength}{' '}
          {program === 'blastp' || program === 'tblastn' ? 'residues' : 'bases'}
        </Text>
        <IdentityLegend />
      </Group>
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={960}>
          <Table verticalSpacing="xs" horizontalSpacing="md" highlightOnHover data-testid="hits-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Item</Table.Th>
                <Table.Th>On the query</Table.Th>
                <Table.Th ta="right">Identity</Table.Th>
                <Table.Th ta="right">Length</Table.Th>
                <Table.Th ta="right">Mismatches</Table.Th>
                <Table.Th ta="right">Gaps</Table.Th>
                <Table.Th>Query</Table.Th>
                <Table.Th>Subject</Table.Th>
                <Table.Th ta="right">E-value</Table.Th>
                <Table.Th ta="right">Bits</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {answer.hits.map((hit, index) => (
                <Table.Tr key={index} data-testid="hit-row">
                  <Table.Td>
                    <ItemLink hit={hit} />
                  </Table.Td>
                  <Table.Td>
                    <Anchor href={`#alignment-${index + 1}`} aria-label={`Alignment ${index + 1}`}>
                      <HitGraphic queryLength={answer.queryLength} hit={hit} width={200} />
                    </Anchor>
                  </Table.Td>
                  <Table.Td ta="right">{hit.percentIdentity.toFixed(1)}%</Table.Td>
                  <Table.Td ta="right">{hit.alignmentLength}</Table.Td>
                  <Table.Td ta="right">{hit.mismatches}</Table.Td>
                  <Table.Td ta="right">{hit.gaps}</Table.Td>
                  <Table.Td>
                    {hit.queryStart}–{hit.queryEnd}
                  </Table.Td>
                  <Table.Td>
                    {hit.subjectStart}–{hit.subjectEnd}
                  </Table.Td>
                  <Table.Td ta="right">{formatEvalue(hit.evalue)}</Table.Td>
                  <Table.Td ta="right">{hit.bitScore.toFixed(1)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Title order={3}>Alignments</Title>
      {answer.hits.map((hit, index) => (
        <HitAlignment
          key={index}
          number={index + 1}
          hit={hit}
          queryLength={answer.queryLength}
          program={program}
        />
      ))}
    </Stack>
  );
}

function ItemLink({ hit }: { hit: SequenceHit }) {
  return (
    <Stack gap={0}>
      <Anchor component={Link} to={`/inventory/items/${encodeURIComponent(hit.itemId)}`} fw={500} size="sm">
        {hit.name}
      </Anchor>
      {hit.humanId && (
        <Text size="xs" c="dimmed" ff="monospace">
          {hit.humanId}
        </Text>
      )}
    </Stack>
  );
}

function HitAlignment({
  number,
  hit,
  queryLength,
  program,
}: {
  number: number;
  hit: SequenceHit;
  queryLength: number;
  program: BlastProgram;
}) {
  const blocks = alignmentBlocks(hit, program);
  const width = coordinateWidthOf(blocks);
  return (
    <Card withBorder id={`alignment-${number}`} data-testid="hit-alignment">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <ItemLink hit={hit} />
          <Text size="sm" c="dimmed">
            Identities {identicalColumns(hit.alignment)}/{hit.alignmentLength} (
            {hit.percentIdentity.toFixed(1)}%), gaps {hit.gaps}, e-value {formatEvalue(hit.evalue)},{' '}
            {hit.bitScore.toFixed(1)} bits
          </Text>
        </Group>
        <HitGraphic queryLength={queryLength} hit={hit} width={640} withScale />
        <Code block data-testid="alignment-text">
          {blocks.map((block) => formatAlignmentBlock(block, width)).join('\n\n')}
        </Code>
      </Stack>
    </Card>
  );
}
