/**
 * An analysis type's parameters JSON Schema read as form fields, and the form's values back as the `params`
 * of a request. Only what the form can offer is read (string, number, integer, boolean, enum; required,
 * default, minimum/maximum, description); the server checks the values against the whole schema and names a
 * failing parameter as `params.<name>`, which the form shows under its field. Pure functions without imports,
 * so the tests (type-checked as Node code) can load them.
 */

export type ParameterValue = string | number | boolean;

interface FieldBase {
  readonly name: string;
  readonly label: string;
  /** The schema's description, with the allowed range when it has one: the field's help text. */
  readonly help: string | undefined;
  readonly required: boolean;
}

export type ParameterField =
  | (FieldBase & { readonly kind: 'text'; readonly initial: string })
  | (FieldBase & {
      readonly kind: 'number';
      readonly integer: boolean;
      readonly min: number | undefined;
      readonly max: number | undefined;
      readonly initial: number | '';
    })
  | (FieldBase & { readonly kind: 'boolean'; readonly initial: boolean })
  | (FieldBase & {
      readonly kind: 'choice';
      /** The allowed values, as the schema lists them (a select's options are their text). */
      readonly options: readonly (string | number | boolean)[];
      readonly initial: string;
    });

/** A form's values: text and choices as strings, numbers as numbers or '' (empty), booleans as booleans. */
export type ParameterValues = Record<string, string | number | boolean>;

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const numberOf = (value: unknown) => (typeof value === 'number' ? value : undefined);
const textOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** "more than 0 and at most 1" from the schema's bounds; undefined without any. */
function rangeOf(schema: Schema): string | undefined {
  const parts = [
    numberOf(schema.exclusiveMinimum) !== undefined && `more than ${String(schema.exclusiveMinimum)}`,
    numberOf(schema.minimum) !== undefined && `at least ${String(schema.minimum)}`,
    numberOf(schema.exclusiveMaximum) !== undefined && `less than ${String(schema.exclusiveMaximum)}`,
    numberOf(schema.maximum) !== undefined && `at most ${String(schema.maximum)}`,
  ].filter((part): part is string => typeof part === 'string');
  return parts.length === 0 ? undefined : parts.join(' and ');
}

function helpOf(schema: Schema): string | undefined {
  const range = rangeOf(schema);
  const description = textOf(schema.description);
  if (!range) return description;
  const capitalized = range.charAt(0).toUpperCase() + range.slice(1);
  return description ? `${description} (${range})` : capitalized;
}

/** The schema's `type`, the first non-null one when it lists several. */
function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type))
    return type.find((entry): entry is string => typeof entry === 'string' && entry !== 'null');
  return undefined;
}

function fieldOf(name: string, schema: Schema, required: boolean): ParameterField {
  const base = { name, label: textOf(schema.title) ?? name, help: helpOf(schema), required };
  const fallback = schema.default;
  if (Array.isArray(schema.enum)) {
    const options = schema.enum.filter(
      (option): option is string | number | boolean =>
        typeof option === 'string' || typeof option === 'number' || typeof option === 'boolean',
    );
    const initial = options.find((option) => option === fallback);
    return { ...base, kind: 'choice', options, initial: initial === undefined ? '' : String(initial) };
  }
  const type = typeOf(schema);
  if (type === 'boolean') return { ...base, kind: 'boolean', initial: fallback === true };
  if (type === 'number' || type === 'integer') {
    return {
      ...base,
      kind: 'number',
      integer: type === 'integer',
      min: numberOf(schema.minimum) ?? numberOf(schema.exclusiveMinimum),
      max: numberOf(schema.maximum) ?? numberOf(schema.exclusiveMaximum),
      initial: numberOf(fallback) ?? '',
    };
  }
  return { ...base, kind: 'text', initial: typeof fallback === 'string' ? fallback : '' };
}

/** The form's fields, in the schema's order of properties. */
export function parameterFieldsOf(parameters: Record<string, unknown>): ParameterField[] {
  const properties = isSchema(parameters.properties) ? parameters.properties : {};
  const required = new Set(
    Array.isArray(parameters.required)
      ? parameters.required.filter((name): name is string => typeof name === 'string')
      : [],
  );
  return Object.entries(properties).map(([name, schema]) =>
    fieldOf(name, isSchema(schema) ? schema : {}, required.has(name)),
  );
}

/** The starting values: each field's default, or empty. */
export function initialValuesOf(fields: readonly ParameterField[]): ParameterValues {
  return Object.fromEntries(fields.map((field) => [field.name, field.initial]));
}

/**
 * The request's `params`: every field that has a value, as the schema's type (a choice as the option it
 * names); empty fields are left out, so the server applies its defaults or says what is missing.
 */
export function paramsOf(
  fields: readonly ParameterField[],
  values: ParameterValues,
): Record<string, ParameterValue> {
  const params: Record<string, ParameterValue> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined || value === '') continue;
    switch (field.kind) {
      case 'choice': {
        const option = field.options.find((candidate) => String(candidate) === String(value));
        if (option !== undefined) params[field.name] = option;
        break;
      }
      case 'number': {
        // A half-typed number ("1e") goes as written, so that the server names what is wrong with it.
        const number = typeof value === 'number' ? value : Number(value);
        params[field.name] = Number.isNaN(number) ? String(value) : number;
        break;
      }
      case 'boolean':
        params[field.name] = value === true;
        break;
      case 'text':
        params[field.name] = String(value);
        break;
    }
  }
  return params;
}
