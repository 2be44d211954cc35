/**
 * The analysis type registry (spec §2: analysis types are declared, not coded). A type is a definition
 * (`analysis-type-definition.ts`) kept by name and version; a version never changes once registered, so every
 * analysis keeps exactly what it ran. Definitions come from the repository's `analysis-types/` folder (the
 * built-ins), from a lab's own folder (`CAIRN_ANALYSIS_TYPES_DIR`), both loaded at start, and from admins
 * through the API. The latest version of a name is the newest registered, then the greatest version.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { Db } from '../../db/database.js';
import { newId, nowIso } from '../../db/columns.js';
import { Conflict, Forbidden, Invalid, NotFound, type FieldError } from '../../errors/catalogue.js';
import { isAdmin, type Actor } from '../accounts/actor.js';
import { recordChange, type AuditActor } from '../audit/audit.service.js';
import type { AnalysisType } from './analyses.schema.js';
import { AnalysisTypeDefinitionSchema, type AnalysisTypeDefinition } from './analysis-type-definition.js';
import { checkDefinition } from './analysis-type-rules.js';
import * as repo from './analysis-types.repository.js';
import type { AnalysisTypeOrigin } from './compute.tables.js';

/** The built-in types' definition files, shipped with Cairn (`analysis-types/` at the repository's root). */
export const BUILTIN_ANALYSIS_TYPES_DIR = path.resolve(import.meta.dirname, '../../../analysis-types');

/** One registered version of a type. */
export interface RegisteredAnalysisType {
  readonly id: string;
  readonly definition: AnalysisTypeDefinition;
  readonly origin: AnalysisTypeOrigin;
  readonly createdAt: string;
}

/** Objects with their keys sorted, recursively: two equal definitions give the same text. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * A definition as stored and compared: defaults the shape declares written out (an output is required unless
 * it says otherwise) and keys in a fixed order, so that the same type sent twice, as a file or a body, in any
 * key order, is recognized as the same version.
 */
function canonicalText(definition: AnalysisTypeDefinition): string {
  const outputs = definition.outputs.map((output) => ({ ...output, required: output.required ?? true }));
  return JSON.stringify(sortedKeys({ ...definition, outputs }));
}

function toRegistered(row: repo.AnalysisTypeRow): RegisteredAnalysisType {
  return {
    id: row.id,
    definition: JSON.parse(row.definition) as AnalysisTypeDefinition,
    origin: row.origin,
    createdAt: row.created_at,
  };
}

/** A registered version as the API shows it. */
export function toAnalysisType(type: RegisteredAnalysisType): AnalysisType {
  const { definition } = type;
  return {
    id: type.id,
    name: definition.name,
    version: definition.version,
    description: definition.description,
    command: definition.command,
    parameters: definition.parameters,
    inputs: definition.inputs,
    outputs: definition.outputs,
    stdoutTo: definition.stdoutTo ?? null,
    resources: definition.resources,
    toolVersions: definition.toolVersions ?? {},
    origin: type.origin,
    createdAt: type.createdAt,
  };
}

function versionChanged(definition: AnalysisTypeDefinition): Conflict {
  const message = 'versions never change: give it a new version';
  return new Conflict(
    `${definition.name} ${definition.version} is registered with a different definition; ${message}`,
    [{ field: 'version', message }],
  );
}

type Registration =
  | { readonly outcome: 'created' | 'unchanged'; readonly type: RegisteredAnalysisType }
  | { readonly outcome: 'conflict' };

/**
 * Registers a checked definition unless its (name, version) exists: the same definition again is the existing
 * row, a different one a conflict. Writes nothing but the new row and its audit event.
 */
async function register(
  trx: Db,
  actor: AuditActor | null,
  definition: AnalysisTypeDefinition,
  origin: AnalysisTypeOrigin,
): Promise<Registration> {
  const text = canonicalText(definition);
  const row: repo.AnalysisTypeRow = {
    id: newId(),
    name: definition.name,
    version: definition.version,
    description: definition.description,
    definition: text,
    origin,
    created_at: nowIso(),
    created_by: actor?.id ?? null,
  };
  if (await repo.insertTypeUnlessExists(trx, row)) {
    await recordChange(trx, actor, {
      action: 'create',
      entityType: 'analysis_type',
      entityId: row.id,
      after: { ...row, definition: JSON.parse(text) as unknown },
    });
    return { outcome: 'created', type: toRegistered(row) };
  }
  const existing = await repo.findTypeVersion(trx, definition.name, definition.version);
  if (existing === undefined) throw new Error(`${definition.name} ${definition.version} vanished`);
  if (existing.definition !== text) return { outcome: 'conflict' };
  return { outcome: 'unchanged', type: toRegistered(existing) };
}

function invalidDefinition(errors: readonly FieldError[]): Invalid {
  const summary = errors.map((error) => `${error.field} ${error.message}`).join('; ');
  return new Invalid(`The analysis type is not valid: ${summary}`, errors);
}

/**
 * Registers a version of an analysis type (admins; audited). The definition is checked beyond its shape
 * (`checkDefinition`: 422 naming the field). Sending a version that exists with the same definition changes
 * nothing and answers the existing one (`created: false`); with a different definition it is a 409, since
 * analyses that ran the version must keep meaning what they ran.
 */
export async function registerType(
  trx: Db,
  actor: Actor,
  definition: AnalysisTypeDefinition,
): Promise<{ type: RegisteredAnalysisType; created: boolean }> {
  if (!isAdmin(actor)) throw new Forbidden('Only admins register analysis types');
  const errors = checkDefinition(definition);
  if (errors.length > 0) throw invalidDefinition(errors);
  const registration = await register(trx, actor, definition, 'api');
  if (registration.outcome === 'conflict') throw versionChanged(definition);
  return { type: registration.type, created: registration.outcome === 'created' };
}

/** The latest version of every type, by name: what people choose from when they ask for an analysis. */
export async function listTypes(db: Db): Promise<RegisteredAnalysisType[]> {
  return (await repo.listLatestTypes(db)).map(toRegistered);
}

/** Every version of one type, latest first (none for an unknown name). */
export async function listTypeVersions(db: Db, name: string): Promise<RegisteredAnalysisType[]> {
  return (await repo.listTypeVersions(db, name)).map(toRegistered);
}

/** The latest version of a type by name: the one a new analysis of that name runs. */
export async function getLatestType(db: Db, name: string): Promise<RegisteredAnalysisType> {
  const [row] = await repo.listLatestTypes(db, name);
  if (row === undefined) throw new NotFound('Analysis type', name);
  return toRegistered(row);
}

/** One exact version by id: the one an analysis ran. */
export async function getTypeById(db: Db, id: string): Promise<RegisteredAnalysisType> {
  const row = await repo.findType(db, id);
  if (row === undefined) throw new NotFound('Analysis type', id);
  return toRegistered(row);
}

/** A folder of definition files and where its types come from. */
export interface DefinitionDirectory {
  readonly directory: string;
  readonly origin: Extract<AnalysisTypeOrigin, 'builtin' | 'file'>;
}

/** A definition file that was not registered, and why. */
export interface DefinitionFileProblem {
  readonly file: string;
  readonly message: string;
  readonly errors: readonly FieldError[];
}

export interface DefinitionLoadReport {
  /** `name version` of each type the load registered. */
  readonly registered: readonly string[];
  readonly problems: readonly DefinitionFileProblem[];
}

/** The definition shape, checked as the routes check a body: taken as written, declared defaults filled in. */
const definitionShape = addFormats
  .default(new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: false }))
  .compile<AnalysisTypeDefinition>(AnalysisTypeDefinitionSchema);

function shapeErrors(errors: readonly ErrorObject[]): FieldError[] {
  return errors.map((error) => {
    const parts = error.instancePath.split('/').slice(1);
    const extra = (error.params as { additionalProperty?: unknown }).additionalProperty;
    if (error.keyword === 'additionalProperties' && typeof extra === 'string') {
      return { field: [...parts, extra].join('.'), message: 'is not a field of an analysis type' };
    }
    const missing = (error.params as { missingProperty?: unknown }).missingProperty;
    if (error.keyword === 'required' && typeof missing === 'string') {
      return { field: [...parts, missing].join('.'), message: 'is required' };
    }
    return { field: parts.join('.') || '(definition)', message: error.message ?? 'is not valid' };
  });
}

async function definitionFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => path.join(directory, entry.name))
    .sort();
}

/** Reads, checks and registers one file; a problem is returned, never thrown. */
async function loadDefinitionFile(
  trx: Db,
  file: string,
  origin: DefinitionDirectory['origin'],
): Promise<{ registered: string | null } | { problem: DefinitionFileProblem }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return { problem: { file, message: `cannot be read as JSON: ${(error as Error).message}`, errors: [] } };
  }
  if (!definitionShape(parsed)) {
    const errors = shapeErrors(definitionShape.errors ?? []);
    return { problem: { file, message: 'is not an analysis type definition', errors } };
  }
  const errors = checkDefinition(parsed);
  if (errors.length > 0) return { problem: { file, message: 'is not a valid analysis type', errors } };
  const registration = await register(trx, null, parsed, origin);
  if (registration.outcome === 'conflict') {
    const { message, errors: conflict } = versionChanged(parsed);
    return { problem: { file, message, errors: conflict } };
  }
  const { name, version } = parsed;
  return { registered: registration.outcome === 'created' ? `${name} ${version}` : null };
}

/**
 * Registers the definition files (`*.json`) of each folder that are not registered yet: the built-ins and a
 * lab's own types, at every start. A file that cannot be read, is not a valid definition, or changes a
 * registered version is reported with its path and skipped, and the others load: a bad file must not keep
 * the server from starting, so the caller logs the problems.
 */
export async function loadDefinitionFiles(
  trx: Db,
  directories: readonly DefinitionDirectory[],
): Promise<DefinitionLoadReport> {
  const registered: string[] = [];
  const problems: DefinitionFileProblem[] = [];
  for (const { directory, origin } of directories) {
    let files: string[];
    try {
      files = await definitionFiles(directory);
    } catch (error) {
      const message = `cannot be read as a folder of analysis types: ${(error as Error).message}`;
      problems.push({ file: directory, message, errors: [] });
      continue;
    }
    for (const file of files) {
      const result = await loadDefinitionFile(trx, file, origin);
      if ('problem' in result) problems.push(result.problem);
      else if (result.registered !== null) registered.push(result.registered);
    }
  }
  return { registered, problems };
}
