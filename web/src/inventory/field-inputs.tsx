/**
 * The type-specific fields of an item as form inputs, one per field definition and kind: text, number, date,
 * a yes/no switch, a choice select, a sequence text area. Values are kept as the inputs hold them (text) and converted for the API;
 * the checks here mirror the server's so most mistakes show before a round trip, and the server's own field
 * errors (`fields.<name>`) are shown next to the same input.
 */
import { NumberInput, Select, SimpleGrid, Switch, Textarea, TextInput } from '@mantine/core';
import { fieldErrorOf } from '../api/api-error';
import type { FieldDefinition, ItemFieldValue } from './inventory-types';

/** What the inputs hold: text for text, number, date and choice fields; a boolean for yes/no fields. */
export type FieldDraft = Record<string, string | boolean>;

/** The IUPAC codes of each alphabet, as the server checks them (src/modules/inventory/sequence-alphabets.ts). */
const SEQUENCE_CODES: Record<string, string> = {
  dna: 'ACGTRYSWKMBDHVN-',
  rna: 'ACGURYSWKMBDHVN-',
  protein: 'ACDEFGHIKLMNPQRSTVWYBUZXJO*-',
};

/** Why a sequence is not in its alphabet (the first bad character and its position), or undefined. */
export function sequenceProblem(alphabet: string | undefined, text: string): string | undefined {
  const codes = SEQUENCE_CODES[alphabet ?? 'dna'] ?? '';
  const residues = text.replace(/\s+/gu, '');
  let position = 0;
  for (const character of residues) {
    position++;
    if (!codes.includes(character.toUpperCase()) || character.toUpperCase().length !== 1) {
      return `'${character}' at position ${position} is not allowed: use ${codes}`;
    }
  }
  return undefined;
}

/** Unit suffixes of field names, as they are written: `volume_ul` → "Volume (µl)". */
const UNITS: Record<string, string> = {
  ul: 'µl',
  ml: 'ml',
  l: 'l',
  mg: 'mg',
  ug: 'µg',
  ng: 'ng',
  c: '°C',
  mm: 'mm',
};

/** A field name as words and its unit, if its last word is one: `volume_ul` → "Volume", "µl". */
export function fieldLabelParts(name: string): { text: string; unit: string | undefined } {
  const words = name.split('_').filter(Boolean);
  const last = words.at(-1);
  const unit = words.length > 1 && last !== undefined ? UNITS[last] : undefined;
  const text = (unit ? words.slice(0, -1) : words).join(' ');
  return { text: text.charAt(0).toUpperCase() + text.slice(1), unit };
}

export function humanizeFieldName(name: string): string {
  const { text, unit } = fieldLabelParts(name);
  return unit ? `${text} (${unit})` : text;
}

export function draftOf(
  definitions: readonly FieldDefinition[],
  values: Record<string, ItemFieldValue> = {},
): FieldDraft {
  const draft: FieldDraft = {};
  for (const field of definitions) {
    const value = values[field.name];
    draft[field.name] = field.kind === 'boolean' ? value === true : value === undefined ? '' : String(value);
  }
  return draft;
}

/** Problems the server would report, by field name (empty when the draft is fine). */
export function checkDraft(
  definitions: readonly FieldDefinition[],
  draft: FieldDraft,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of definitions) {
    const value = draft[field.name];
    if (typeof value !== 'string') continue;
    const text = value.trim();
    if (text === '') {
      if (field.required) problems[field.name] = 'is required';
    } else if (field.kind === 'number' && !Number.isFinite(Number(text))) {
      problems[field.name] = 'must be a number';
    } else if (field.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      problems[field.name] = 'must be a date (YYYY-MM-DD)';
    } else if (field.kind === 'choice' && !(field.options ?? []).includes(text)) {
      problems[field.name] = `must be one of: ${(field.options ?? []).join(', ')}`;
    } else if (field.kind === 'sequence') {
      const problem = sequenceProblem(field.alphabet, text);
      if (problem !== undefined) problems[field.name] = problem;
    }
  }
  return problems;
}

/**
 * The values to send. Empty inputs are left out of a creation; in an update (`clearEmpty`) they become null,
 * which removes the value. Yes/no fields are always sent.
 */
export function valuesOfDraft(
  definitions: readonly FieldDefinition[],
  draft: FieldDraft,
  clearEmpty = false,
): Record<string, ItemFieldValue | null> {
  const values: Record<string, ItemFieldValue | null> = {};
  for (const field of definitions) {
    const value = draft[field.name];
    if (value === undefined) continue;
    if (typeof value === 'boolean') {
      values[field.name] = value;
      continue;
    }
    const text = value.trim();
    if (text === '') {
      if (clearEmpty) values[field.name] = null;
    } else {
      values[field.name] = field.kind === 'number' ? Number(text) : text;
    }
  }
  return values;
}

interface FieldInputsProps {
  definitions: readonly FieldDefinition[];
  draft: FieldDraft;
  onChange: (draft: FieldDraft) => void;
  /** Problems found before sending (checkDraft), shown until the input changes. */
  problems?: Record<string, string>;
  /** The failed request, whose `fields.<name>` errors are shown next to their inputs. */
  error?: unknown;
}

export function FieldInputs({ definitions, draft, onChange, problems = {}, error }: FieldInputsProps) {
  if (definitions.length === 0) return null;
  const set = (name: string, value: string | boolean) => onChange({ ...draft, [name]: value });
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="sm" data-testid="type-fields">
      {definitions.map((field) => {
        const label = humanizeFieldName(field.name);
        const value = draft[field.name];
        const problem = problems[field.name] ?? fieldErrorOf(error, `fields.${field.name}`);
        const common = { label, required: field.required, error: problem };
        switch (field.kind) {
          case 'boolean':
            return (
              <Switch
                key={field.name}
                label={label}
                checked={value === true}
                onChange={(event) => set(field.name, event.currentTarget.checked)}
                error={problem}
                mt="lg"
              />
            );
          case 'choice':
            return (
              <Select
                key={field.name}
                {...common}
                data={field.options ?? []}
                clearable={!field.required}
                value={typeof value === 'string' && value !== '' ? value : null}
                onChange={(next) => set(field.name, next ?? '')}
              />
            );
          case 'number':
            return (
              <NumberInput
                key={field.name}
                {...common}
                hideControls
                value={typeof value === 'string' ? value : ''}
                onChange={(next) => set(field.name, String(next))}
              />
            );
          case 'date':
            return (
              <TextInput
                key={field.name}
                {...common}
                type="date"
                value={typeof value === 'string' ? value : ''}
                onChange={(event) => set(field.name, event.currentTarget.value)}
              />
            );
          case 'sequence':
            return (
              <Textarea
                key={field.name}
                {...common}
                description={`${(field.alphabet ?? 'dna').toUpperCase()} sequence; spaces and line breaks are ignored`}
                autosize
                minRows={2}
                maxRows={8}
                styles={{ input: { fontFamily: 'monospace', wordBreak: 'break-all' } }}
                value={typeof value === 'string' ? value : ''}
                onChange={(event) => set(field.name, event.currentTarget.value)}
              />
            );
          case 'text':
            return (
              <TextInput
                key={field.name}
                {...common}
                value={typeof value === 'string' ? value : ''}
                onChange={(event) => set(field.name, event.currentTarget.value)}
              />
            );
        }
      })}
    </SimpleGrid>
  );
}
