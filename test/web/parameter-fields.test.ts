/** Analysis parameters' JSON Schema as form fields, and form values as params (web/src/compute/parameter-fields.ts). */
import { describe, expect, it } from 'vitest';
import { initialValuesOf, parameterFieldsOf, paramsOf } from '../../web/src/compute/parameter-fields.js';

const fastqSubsample = {
  type: 'object',
  properties: {
    proportion: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      description: 'The share of reads to keep',
    },
    seed: { type: 'integer', default: 11, description: 'Random seed' },
  },
  required: ['proportion'],
  additionalProperties: false,
};

describe('parameter fields', () => {
  it('reads numbers and integers with their bounds, defaults and help text, in the schema order', () => {
    const fields = parameterFieldsOf(fastqSubsample);
    expect(fields).toEqual([
      {
        name: 'proportion',
        label: 'proportion',
        help: 'The share of reads to keep (more than 0 and at most 1)',
        required: true,
        kind: 'number',
        integer: false,
        min: 0,
        max: 1,
        initial: '',
      },
      {
        name: 'seed',
        label: 'seed',
        help: 'Random seed',
        required: false,
        kind: 'number',
        integer: true,
        min: undefined,
        max: undefined,
        initial: 11,
      },
    ]);
    expect(initialValuesOf(fields)).toEqual({ proportion: '', seed: 11 });
  });

  it('reads strings, booleans and enums, a title as the label, and a range alone as the help', () => {
    const fields = parameterFieldsOf({
      type: 'object',
      properties: {
        label: { type: 'string', default: 'run', title: 'Run label' },
        all: { type: 'boolean', default: true },
        mode: { enum: ['fast', 'exact', 3], default: 'exact' },
        threads: { type: ['integer', 'null'], minimum: 1 },
      },
    });
    expect(fields.map((field) => [field.name, field.kind, field.label, field.initial])).toEqual([
      ['label', 'text', 'Run label', 'run'],
      ['all', 'boolean', 'all', true],
      ['mode', 'choice', 'mode', 'exact'],
      ['threads', 'number', 'threads', ''],
    ]);
    expect(fields[3]?.help).toBe('At least 1');
    expect(fields.every((field) => !field.required)).toBe(true);
  });

  it('has no fields for a schema without properties', () => {
    expect(parameterFieldsOf({ type: 'object' })).toEqual([]);
    expect(parameterFieldsOf({ type: 'object', properties: 'nonsense' })).toEqual([]);
  });

  it('turns values into params of the schema types, leaving out the empty ones', () => {
    const fields = parameterFieldsOf({
      type: 'object',
      properties: {
        proportion: { type: 'number' },
        seed: { type: 'integer' },
        note: { type: 'string' },
        all: { type: 'boolean' },
        level: { enum: [1, 2, 3] },
      },
    });
    expect(paramsOf(fields, { proportion: 0.25, seed: '', note: '', all: false, level: '2' })).toEqual({
      proportion: 0.25,
      all: false,
      level: 2,
    });
    // A value a field holds as text (a half-typed number) goes as a number when it is one, else as typed.
    expect(paramsOf(fields, { proportion: '0.5', seed: '1e', note: '; rm -rf / #', all: true })).toEqual({
      proportion: 0.5,
      seed: '1e',
      note: '; rm -rf / #',
      all: true,
    });
  });
});
