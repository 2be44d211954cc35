/**
 * The fields of an analysis type's parameters, generated from its JSON Schema (parameter-fields.ts): a text
 * box, a number box with the schema's bounds, a checkbox or a select each, the description as help text, and
 * the server's word about a parameter (`params.<name>`) under its field. Numbers are not clamped to their
 * bounds: what the person typed is what the server judges.
 */
import { Checkbox, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { ApiError } from '../api/api-error';
import type { ParameterField, ParameterValues } from './parameter-fields';

/** The server's message about parameter `name`, named `params.<name>` (or as a pointer, `body/params/<name>`). */
export function parameterErrorOf(error: unknown, name: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const wanted = `params.${name}`;
  return error.problem?.errors?.find(
    (entry) =>
      entry.field
        .split('/')
        .filter(Boolean)
        .join('.')
        .replace(/^body\./, '') === wanted,
  )?.message;
}

export function ParameterForm({
  fields,
  values,
  onChange,
  error,
}: {
  fields: readonly ParameterField[];
  values: ParameterValues;
  onChange: (name: string, value: string | number | boolean) => void;
  /** What the last submission failed with. */
  error: unknown;
}) {
  if (fields.length === 0) return null;
  return (
    <Stack gap="sm" data-testid="parameter-form">
      {fields.map((field) => {
        const common = {
          label: field.label,
          description: field.help,
          required: field.required,
          error: parameterErrorOf(error, field.name),
        };
        const value = values[field.name];
        switch (field.kind) {
          case 'boolean':
            return (
              <Checkbox
                key={field.name}
                {...common}
                checked={value === true}
                onChange={(event) => onChange(field.name, event.currentTarget.checked)}
              />
            );
          case 'choice':
            return (
              <Select
                key={field.name}
                {...common}
                data={field.options.map(String)}
                clearable={!field.required}
                value={typeof value === 'string' && value !== '' ? value : null}
                onChange={(chosen) => onChange(field.name, chosen ?? '')}
                comboboxProps={{ withinPortal: true }}
              />
            );
          case 'number':
            return (
              <NumberInput
                key={field.name}
                {...common}
                allowDecimal={!field.integer}
                min={field.min}
                max={field.max}
                clampBehavior="none"
                value={typeof value === 'number' || typeof value === 'string' ? value : ''}
                onChange={(next) => onChange(field.name, next)}
              />
            );
          case 'text':
            return (
              <TextInput
                key={field.name}
                {...common}
                value={typeof value === 'string' ? value : String(value)}
                onChange={(event) => onChange(field.name, event.currentTarget.value)}
              />
            );
        }
      })}
    </Stack>
  );
}
