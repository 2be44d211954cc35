/**
 * The rules an analysis type's definition and its use are held to, beyond the TypeBox shape the routes check
 * (`analysis-type-definition.ts`): whether a definition makes sense (its parameter schema compiles, its
 * placeholders name what exists, its outputs stay inside `outputs/`), whether parameters fit the type, which
 * of a sample's files a type takes as inputs, and the argument vector a job runs. Pure: no SQL, no I/O.
 *
 * Placeholders in a command element are `{` a dotted identifier `}`: `{params.NAME}`, `{inputs}` and
 * `{resources.cpus}`. Anything else in braces that is not such an identifier (`{print $1}`, `{a,b}`) is plain
 * text, so awk programs and brace globs pass through unchanged.
 */
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../../errors/catalogue.js';
import type { AnalysisTypeDefinition } from './analysis-type-definition.js';
import type { JobInput } from './executors/job-spec.js';
import { isSlurmTime, SLURM_TIME_RULE } from './slurm-values.js';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\}/g;
const INPUTS = 'inputs';
const CPUS = 'resources.cpus';
const PARAMS_PREFIX = 'params.';
/** A parameter's name: what `{params.NAME}` can name, and never an object's inherited key (`__proto__`). */
const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const OUTPUTS_PREFIX = 'outputs/';

/** A parameter schema's properties, or none when it declares none (or declares them oddly). */
function declaredProperties(definition: AnalysisTypeDefinition): Record<string, unknown> {
  const properties = definition.parameters.properties;
  return isPlainObject(properties) ? properties : {};
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredParameters(definition: AnalysisTypeDefinition): Set<string> {
  const required = definition.parameters.required;
  return new Set(Array.isArray(required) ? required.filter((name) => typeof name === 'string') : []);
}

/** A fresh validator: parameters are taken as sent (no coercion), defaults filled in, every error reported. */
function newAjv(): Ajv {
  return addFormats.default(
    new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: false }),
  );
}

function placeholdersOf(element: string): string[] {
  return [...element.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

function checkCommand(definition: AnalysisTypeDefinition, errors: FieldError[]): void {
  const properties = declaredProperties(definition);
  const required = requiredParameters(definition);
  definition.command.forEach((element, index) => {
    const field = `command.${index}`;
    const placeholders = placeholdersOf(element);
    if (index === 0 && placeholders.length > 0) {
      // The program is fixed by whoever declared the type: a parameter never chooses what runs.
      errors.push({ field, message: 'is the program to run and cannot hold a placeholder' });
      return;
    }
    for (const placeholder of placeholders) {
      if (placeholder === INPUTS) {
        if (element !== '{inputs}') {
          errors.push({
            field,
            message: '{inputs} must be a whole argument (it becomes one per input file)',
          });
        }
      } else if (placeholder === CPUS) {
        continue;
      } else if (placeholder.startsWith(PARAMS_PREFIX)) {
        const name = placeholder.slice(PARAMS_PREFIX.length);
        const property = properties[name];
        if (property === undefined) {
          errors.push({ field, message: `{${placeholder}} names no declared parameter` });
        } else if (!required.has(name) && !(isPlainObject(property) && 'default' in property)) {
          errors.push({
            field,
            message: `{${placeholder}} names a parameter that may be missing: make it required or give it a default`,
          });
        }
      } else {
        errors.push({
          field,
          message: `{${placeholder}} is not a placeholder ({params.NAME}, {inputs}, {resources.cpus})`,
        });
      }
    }
  });
}

function checkParameterSchema(definition: AnalysisTypeDefinition, errors: FieldError[]): void {
  const schema = definition.parameters;
  if (schema.type !== 'object') {
    errors.push({ field: 'parameters.type', message: "must be 'object'" });
  }
  if (schema.properties !== undefined && !isPlainObject(schema.properties)) {
    errors.push({ field: 'parameters.properties', message: 'must be an object of parameter schemas' });
  }
  for (const name of Object.keys(declaredProperties(definition))) {
    if (!PARAMETER_NAME.test(name)) {
      errors.push({
        field: `parameters.properties.${name}`,
        message: 'must be a letter then letters, digits, _ or - (at most 64)',
      });
    }
  }
  try {
    newAjv().compile(schema);
  } catch (error) {
    errors.push({ field: 'parameters', message: `is not a JSON Schema: ${(error as Error).message}` });
  }
}

/** A path inside `outputs/`: no `..`, `.` or empty parts, globs only in the last part when `glob` allows. */
function outputPathProblem(text: string, glob: boolean): string | null {
  if (!text.startsWith(OUTPUTS_PREFIX)) return 'must be a path inside outputs/';
  const parts = text.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) {
    return 'must stay inside outputs/ (no empty, . or .. parts)';
  }
  if (path.posix.normalize(text) !== text) return 'must be a plain path inside outputs/';
  const globbed = parts.slice(0, -1).some((part) => /[*?]/.test(part));
  if (globbed) return 'may hold * and ? only in its last part';
  if (!glob && /[*?]/.test(text)) return 'cannot hold * or ?';
  return null;
}

function checkOutputs(definition: AnalysisTypeDefinition, errors: FieldError[]): void {
  const seen = new Set<string>();
  definition.outputs.forEach((output, index) => {
    if (seen.has(output.name)) errors.push({ field: `outputs.${index}.name`, message: 'is declared twice' });
    seen.add(output.name);
    const problem = outputPathProblem(output.path, true);
    if (problem !== null) errors.push({ field: `outputs.${index}.path`, message: problem });
  });
  if (definition.stdoutTo !== undefined) {
    const problem = outputPathProblem(definition.stdoutTo, false);
    if (problem !== null) errors.push({ field: 'stdoutTo', message: problem });
  }
}

function checkInputs(definition: AnalysisTypeDefinition, errors: FieldError[]): void {
  const { min, max, namePattern } = definition.inputs;
  if (max !== undefined && max < min) {
    errors.push({ field: 'inputs.max', message: 'must not be below inputs.min' });
  }
  if (namePattern !== undefined && globProblem(namePattern) !== null) {
    errors.push({ field: 'inputs.namePattern', message: globProblem(namePattern) ?? '' });
  }
}

/**
 * Every problem of a definition beyond its TypeBox shape, each naming its field (`parameters.type`,
 * `command.2`, `outputs.0.path`, `resources.time`): a type is checked once when it is registered, so that no
 * analysis of it fails for a reason its author could have been told.
 */
export function checkDefinition(definition: AnalysisTypeDefinition): FieldError[] {
  const errors: FieldError[] = [];
  checkParameterSchema(definition, errors);
  checkCommand(definition, errors);
  checkInputs(definition, errors);
  checkOutputs(definition, errors);
  if (!isSlurmTime(definition.resources.time)) {
    errors.push({ field: 'resources.time', message: SLURM_TIME_RULE });
  }
  return errors;
}

/** Compiled parameter validators by `name@version`, with the schema text they were compiled from. */
const validators = new Map<string, { schemaText: string; validate: ValidateFunction }>();

function validatorFor(definition: AnalysisTypeDefinition): ValidateFunction {
  const key = `${definition.name}@${definition.version}`;
  const schemaText = JSON.stringify(definition.parameters);
  const cached = validators.get(key);
  if (cached !== undefined && cached.schemaText === schemaText) return cached.validate;
  // A registered version never changes, so the schema text only differs for a definition never registered.
  const validate = newAjv().compile(definition.parameters);
  validators.set(key, { schemaText, validate });
  return validate;
}

function unescapePointer(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~');
}

function fieldOf(error: ErrorObject): string {
  const parts = error.instancePath.split('/').slice(1).map(unescapePointer);
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty?: unknown }).missingProperty;
    if (typeof missing === 'string') parts.push(missing);
  }
  return ['params', ...parts].join('.');
}

function messageOf(error: ErrorObject): string {
  return error.keyword === 'required' ? 'is required' : (error.message ?? 'is not valid');
}

/**
 * The parameters an analysis runs with: checked against the type's schema (values taken as sent, `"12"` is
 * not 12), defaults filled in. A parameter the schema does not declare is refused with its field named
 * whatever the schema says of additional properties: a misspelt parameter must not be silently ignored.
 */
export function checkParameters(
  definition: AnalysisTypeDefinition,
  params: unknown,
): { params: Record<string, unknown> } | { errors: FieldError[] } {
  const given = params ?? {};
  if (!isPlainObject(given)) return { errors: [{ field: 'params', message: 'must be an object' }] };
  const properties = declaredProperties(definition);
  const errors: FieldError[] = [];
  const known: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    if (Object.hasOwn(properties, name)) known[name] = structuredClone(value);
    else errors.push({ field: `params.${name}`, message: `is not a parameter of ${definition.name}` });
  }
  const validate = validatorFor(definition);
  if (!validate(known)) {
    for (const error of validate.errors ?? [])
      errors.push({ field: fieldOf(error), message: messageOf(error) });
  }
  return errors.length > 0 ? { errors } : { params: known };
}

/** The regular expression of a name glob: `*`, `?` and `{a,b}` alternatives (nestable), matched whole. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  let depth = 0;
  for (const character of pattern) {
    if (character === '*') source += '.*';
    else if (character === '?') source += '.';
    else if (character === '{') {
      depth += 1;
      source += '(?:';
    } else if (character === '}' && depth > 0) {
      depth -= 1;
      source += ')';
    } else if (character === ',' && depth > 0) source += '|';
    else source += character.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function globProblem(pattern: string): string | null {
  let depth = 0;
  for (const character of pattern) {
    if (character === '{') depth += 1;
    else if (character === '}') depth -= 1;
    if (depth < 0) return 'has a } without its {';
  }
  return depth === 0 ? null : 'has a { without its }';
}

/** One of a sample's files, as the inventory describes it. */
export interface SampleFile {
  readonly fileId: string;
  readonly name: string;
  readonly contentType: string;
  readonly sha256: string;
  readonly size: number;
}

const MAX_INPUT_NAME = 200;

/**
 * A file's own name made safe to stage as `inputs/<name>`: its last path part, characters other than letters,
 * digits, `.`, `_`, `+` and `-` replaced by `_`, no leading dot or dash (no hidden files, nothing a tool could
 * take for an option), at most 200 characters with the extension kept.
 */
function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  let safe = base.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^[.-]+/, '');
  if (safe === '') safe = 'file';
  if (safe.length > MAX_INPUT_NAME) {
    const extension = path.posix.extname(safe).slice(0, 20);
    safe = safe.slice(0, MAX_INPUT_NAME - extension.length) + extension;
  }
  return safe;
}

/** What a type takes, as people read it: `matching *.fastq`, `of type text/plain`, or nothing. */
function describeCriteria(definition: AnalysisTypeDefinition): string {
  const { namePattern, contentTypes } = definition.inputs;
  const parts = [
    ...(namePattern !== undefined ? [`matching ${namePattern}`] : []),
    ...(contentTypes !== undefined ? [`of type ${contentTypes.join(' or ')}`] : []),
  ];
  return parts.length === 0 ? '' : ` ${parts.join(' and ')}`;
}

function countFiles(count: number, criteria: string): string {
  if (count === 0) return `has no file${criteria}`;
  return `has ${count} file${count === 1 ? '' : 's'}${criteria}`;
}

/**
 * The sample files a type takes as its inputs: those whose name matches the type's glob (case-insensitive)
 * and whose detected type is one it accepts (each rule only when given), in name order, each with a safe name
 * in `inputs/` that no other input of the job has (a clash gets a numeric prefix: `2-reads.fastq`). Too few
 * or too many is an error on `sampleId` saying what the type needs.
 */
export function selectInputs(
  definition: AnalysisTypeDefinition,
  files: readonly SampleFile[],
): { inputs: JobInput[] } | { errors: FieldError[] } {
  const { namePattern, contentTypes, min, max } = definition.inputs;
  const matcher = namePattern === undefined ? null : globToRegExp(namePattern);
  const accepted = contentTypes?.map((type) => type.toLowerCase());
  const matching = files
    .filter((file) => matcher === null || matcher.test(file.name))
    .filter((file) => accepted === undefined || accepted.includes(file.contentType.toLowerCase()))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.fileId < b.fileId ? -1 : 1));
  const criteria = describeCriteria(definition);
  if (matching.length < min) {
    const message = `${countFiles(matching.length, criteria)}; ${definition.name} needs at least ${min}`;
    return { errors: [{ field: 'sampleId', message }] };
  }
  if (max !== undefined && matching.length > max) {
    const message = `${countFiles(matching.length, criteria)}; ${definition.name} takes at most ${max}`;
    return { errors: [{ field: 'sampleId', message }] };
  }
  const taken = new Set<string>();
  const inputs = matching.map((file): JobInput => {
    const safe = safeFileName(file.name);
    let name = safe;
    for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = `${n}-${safe}`;
    taken.add(name.toLowerCase());
    return { fileId: file.fileId, name, sha256: file.sha256, size: file.size };
  });
  return { inputs };
}

/** A parameter's value as one argument's text: numbers as JSON writes them, booleans `true`/`false`. */
function argumentText(value: unknown, placeholder: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (value === undefined) throw new RangeError(`No value for {${placeholder}}`);
  return JSON.stringify(value);
}

/**
 * The argument vector a job runs: one argument per template element, placeholders replaced by values;
 * `{inputs}` becomes one `inputs/<name>` argument per input. It is never joined into a shell line, so a value
 * such as `; rm -rf / #`, `$(id)` or one with a newline reaches the program as one literal argument.
 * `params` are the checked parameters (`checkParameters`), whose defaults are filled in.
 */
export function renderCommand(
  definition: AnalysisTypeDefinition,
  params: Readonly<Record<string, unknown>>,
  inputs: readonly JobInput[],
  resources: { readonly cpus: number } = definition.resources,
): string[] {
  const argv: string[] = [];
  for (const element of definition.command) {
    if (element === '{inputs}') {
      argv.push(...inputs.map((input) => `inputs/${input.name}`));
      continue;
    }
    argv.push(
      element.replace(PLACEHOLDER, (whole, placeholder: string) => {
        if (placeholder === CPUS) return String(resources.cpus);
        if (placeholder.startsWith(PARAMS_PREFIX)) {
          const name = placeholder.slice(PARAMS_PREFIX.length);
          return argumentText(Object.hasOwn(params, name) ? params[name] : undefined, placeholder);
        }
        return whole;
      }),
    );
  }
  return argv;
}
