/**
 * Type-specific field values (bionet: "different types will have different type-specific fields", made
 * user-defined as the seed plans): checks a type's field definitions and validates an item's values against
 * them. Errors name the field as `fields.<name>` so a client can put the message next to its input.
 */
import type { FieldError } from '../../errors/catalogue.js';
import {
  isSequenceAlphabet,
  normalizeSequence,
  SEQUENCE_ALPHABETS,
  type SequenceAlphabet,
} from './sequence-alphabets.js';

export type FieldKind = 'text' | 'number' | 'date' | 'boolean' | 'choice' | 'sequence';

export interface FieldDefinition {
  name: string;
  kind: FieldKind;
  required: boolean;
  /** Choice fields only: the allowed values. */
  options?: string[];
  /** Sequence fields only: which IUPAC codes the values are written in. */
  alphabet?: SequenceAlphabet;
}

export type FieldValue = string | number | boolean;
export type FieldValues = Record<string, FieldValue>;

const FIELD_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Problems with a type's field definitions (names, duplicates, choice options), as field errors. */
export function checkFieldDefinitions(fields: readonly FieldDefinition[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  fields.forEach((field, index) => {
    const at = `fields.${index}`;
    if (!FIELD_NAME.test(field.name)) {
      errors.push({
        field: `${at}.name`,
        message: 'must be lower-case letters, digits and _, starting with a letter',
      });
    }
    if (seen.has(field.name))
      errors.push({ field: `${at}.name`, message: `duplicate field name ${field.name}` });
    seen.add(field.name);
    if (field.kind === 'choice') {
      const options = field.options ?? [];
      if (options.length === 0)
        errors.push({ field: `${at}.options`, message: 'a choice field needs options' });
      if (new Set(options).size !== options.length)
        errors.push({ field: `${at}.options`, message: 'duplicate options' });
      if (options.some((option) => option.trim() === '')) {
        errors.push({ field: `${at}.options`, message: 'options must not be empty' });
      }
    } else if (field.options !== undefined) {
      errors.push({ field: `${at}.options`, message: 'only choice fields have options' });
    }
    if (field.kind === 'sequence') {
      if (!isSequenceAlphabet(field.alphabet)) {
        errors.push({
          field: `${at}.alphabet`,
          message: `a sequence field needs an alphabet: ${SEQUENCE_ALPHABETS.join(', ')}`,
        });
      }
    } else if (field.alphabet !== undefined) {
      errors.push({ field: `${at}.alphabet`, message: 'only sequence fields have an alphabet' });
    }
  });
  return errors;
}

function isValidDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A given value as a message quotes it (JSON, cut short). */
function quoted(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}

/** Why a value does not fit its field, or null; `sequence` fields are normalized by `storedValue` instead. */
function checkValue(field: FieldDefinition, value: unknown): string | null {
  switch (field.kind) {
    case 'text':
      return typeof value === 'string' ? null : `must be text, not ${quoted(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? null
        : `must be a number, not ${quoted(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false, not ${quoted(value)}`;
    case 'date':
      return typeof value === 'string' && isValidDate(value)
        ? null
        : `must be a date written YYYY-MM-DD, not ${quoted(value)}`;
    case 'choice': {
      const options = field.options ?? [];
      return typeof value === 'string' && options.includes(value)
        ? null
        : `must be one of ${options.join(', ')}, not ${quoted(value)}`;
    }
    case 'sequence':
      return typeof value === 'string' ? null : `must be a sequence written as text, not ${quoted(value)}`;
  }
}

/**
 * The value as stored, or why it cannot be: sequences lose their whitespace and are upper-cased (so equal
 * sequences compare and hash equal), everything else is kept as given.
 */
function storedValue(field: FieldDefinition, value: unknown): { value: FieldValue } | { problem: string } {
  const problem = checkValue(field, value);
  if (problem !== null) return { problem };
  if (field.kind === 'sequence' && typeof value === 'string') {
    const normalized = normalizeSequence(field.alphabet ?? 'dna', value);
    return 'error' in normalized ? { problem: normalized.error } : { value: normalized.sequence };
  }
  return { value: value as FieldValue };
}

export interface FieldValidation {
  /** The values to store: known fields only, nulls dropped. */
  values: FieldValues;
  errors: FieldError[];
}

const byNameOf = new WeakMap<readonly FieldDefinition[], ReadonlyMap<string, FieldDefinition>>();

/** A type's fields by name, made once per definitions array (an import validates many items of a type). */
function fieldsByName(definitions: readonly FieldDefinition[]): ReadonlyMap<string, FieldDefinition> {
  let byName = byNameOf.get(definitions);
  if (byName === undefined) {
    byName = new Map(definitions.map((field) => [field.name, field]));
    byNameOf.set(definitions, byName);
  }
  return byName;
}

/**
 * Validates values against a type's fields: every value has its field's kind, choice values are options,
 * sequences are in their alphabet (and are stored normalized), required fields are present (null and ''
 * count as absent), unknown fields are refused.
 */
export function validateFieldValues(
  definitions: readonly FieldDefinition[],
  input: Record<string, unknown>,
): FieldValidation {
  const byName = fieldsByName(definitions);
  const values: FieldValues = {};
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(input)) {
    const field = byName.get(name);
    if (!field) {
      errors.push({ field: `fields.${name}`, message: 'is not a field of this type' });
      continue;
    }
    if (value === null || value === undefined) continue;
    const stored = storedValue(field, value);
    if ('problem' in stored) errors.push({ field: `fields.${name}`, message: stored.problem });
    else values[name] = stored.value;
  }
  for (const field of definitions) {
    const value = values[field.name];
    if (field.required && (value === undefined || value === '')) {
      if (!errors.some((error) => error.field === `fields.${field.name}`)) {
        errors.push({ field: `fields.${field.name}`, message: 'is required' });
      }
    }
  }
  return { values, errors };
}

/**
 * Whether changing a type's fields from `before` to `after` can make a valid item invalid: false only for
 * additions of optional fields, added choice options and required → optional (a sequence field's changed
 * alphabet can invalidate: a T is not RNA).
 */
export function fieldChangeCanInvalidate(
  before: readonly FieldDefinition[],
  after: readonly FieldDefinition[],
): boolean {
  const old = new Map(before.map((field) => [field.name, field]));
  const kept = new Set<string>();
  for (const field of after) {
    const previous = old.get(field.name);
    if (!previous) {
      if (field.required) return true;
      continue;
    }
    kept.add(field.name);
    if (previous.kind !== field.kind) return true;
    if (field.kind === 'sequence' && previous.alphabet !== field.alphabet) return true;
    if (field.required && !previous.required) return true;
    if (
      field.kind === 'choice' &&
      (previous.options ?? []).some((option) => !(field.options ?? []).includes(option))
    ) {
      return true;
    }
  }
  return before.some((field) => !kept.has(field.name));
}
