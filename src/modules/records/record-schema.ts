/**
 * The checks a record passes before it is saved: its JSON form against `RecordDocumentSchema`, with what a JSON
 * Schema cannot say (sample ids unique in the record, every activity's `sampleId` naming one of them, no
 * activity or reservation ending before it starts); and its XML form against the vendored
 * `schemas/nexus-experiment.xsd` (at the package root, beside `analysis-types/`), by libxml2's own schema validator (xmllint compiled to WebAssembly, run in a
 * worker thread, so no system package is needed). A record failing either is refused with the validator's
 * messages.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { memoryPages, validateXML } from 'xmllint-wasm';
import { Invalid, type FieldError } from '../../errors/catalogue.js';
import { RecordDocumentSchema, type RecordDocument } from './record-document.js';
import { NEXUS_EXPERIMENT_NAMESPACE, toNexusXml } from './record-xml.js';

/**
 * The schema file (`schemas/` at the package root). Resolved from the package root, three levels up both from
 * `src/modules/records/` and from the compiled `dist/modules/records/`: the compiler copies no data files.
 */
const SCHEMA_FILE = new URL('../../../schemas/nexus-experiment.xsd', import.meta.url);

/** A large record's XML with its parsed tree can outgrow xmllint-wasm's default 32 MiB; this is only a ceiling. */
const MAX_VALIDATOR_MEMORY_PAGES = memoryPages.GiB;

/** At most this many messages are listed: a systematically broken record could have one per dataset. */
const MAX_LISTED = 50;

let schemaText: Promise<string> | undefined;

function nexusExperimentSchema(): Promise<string> {
  schemaText ??= readFile(SCHEMA_FILE, 'utf8');
  return schemaText;
}

let documentValidator: ValidateFunction | undefined;

function validateDocument(json: unknown): ErrorObject[] {
  documentValidator ??= addFormats
    .default(new Ajv({ allErrors: true, strict: false, coerceTypes: false }))
    .compile(RecordDocumentSchema);
  return documentValidator(json) ? [] : (documentValidator.errors ?? []);
}

function fieldErrorOf(error: ErrorObject): FieldError {
  let field = error.instancePath;
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (error.keyword === 'required' && typeof missing === 'string') field += `/${missing}`;
  const message =
    error.keyword === 'required'
      ? 'is required'
      : error.keyword === 'additionalProperties'
        ? `has an unknown property ${String((error.params as { additionalProperty?: unknown }).additionalProperty)}`
        : (error.message ?? 'is not valid');
  return { field: field === '' ? '/' : field, message };
}

function endsBeforeStart(span: { start: string; end: string }): boolean {
  return Date.parse(span.end) < Date.parse(span.start);
}

/** What the JSON Schema cannot say: references between parts of the record and the order of times. */
function crossCheck(document: RecordDocument): FieldError[] {
  const errors: FieldError[] = [];
  const sampleIds = new Set<string>();
  document.samples.forEach((sample, index) => {
    if (sampleIds.has(sample.id)) {
      errors.push({ field: `/samples/${index}/id`, message: `repeats the sample id ${sample.id}` });
    }
    sampleIds.add(sample.id);
  });
  document.activities.forEach((activity, index) => {
    if (activity.sampleId !== null && !sampleIds.has(activity.sampleId)) {
      errors.push({
        field: `/activities/${index}/sampleId`,
        message: `names no sample of the record (${activity.sampleId})`,
      });
    }
    if (endsBeforeStart(activity)) {
      errors.push({ field: `/activities/${index}/end`, message: 'is before the activity starts' });
    }
  });
  if (endsBeforeStart(document.session)) {
    errors.push({ field: '/session/end', message: 'is before the session starts' });
  }
  if (document.reservation !== null && endsBeforeStart(document.reservation)) {
    errors.push({ field: '/reservation/end', message: 'is before the reservation starts' });
  }
  return errors;
}

function listed(errors: FieldError[]): FieldError[] {
  if (errors.length <= MAX_LISTED) return errors;
  const more = errors.length - MAX_LISTED;
  return [...errors.slice(0, MAX_LISTED), { field: '/', message: `and ${more} more problems` }];
}

/**
 * A record's JSON form checked against `RecordDocumentSchema` and the rules between its parts: the document,
 * typed, or every problem found, each with a JSON pointer to where it is. Used before a built record is saved
 * and on any record document that comes from outside (an import).
 */
export function checkRecordDocument(json: unknown): { document: RecordDocument } | { errors: FieldError[] } {
  const schemaErrors = validateDocument(json);
  if (schemaErrors.length > 0) return { errors: listed(schemaErrors.map(fieldErrorOf)) };
  const document = json as RecordDocument;
  const errors = crossCheck(document);
  return errors.length > 0 ? { errors: listed(errors) } : { document };
}

/** libxml2's message without the namespace it repeats in every element name. */
function readableMessage(message: string): string {
  return message.replaceAll(`{${NEXUS_EXPERIMENT_NAMESPACE}}`, '');
}

/**
 * Whether record XML validates against the Nexus Experiment schema: undefined when it does, else libxml2's
 * messages, each with the line it points at (`line 12`). XML that is not well-formed is refused the same way
 * (the parser's message); a failure of the validator itself (it could not start, the schema did not compile)
 * is thrown.
 */
export async function checkRecordXml(xml: string): Promise<FieldError[] | undefined> {
  const result = await validateXML({
    xml: { fileName: 'record.xml', contents: xml },
    schema: { fileName: 'nexus-experiment.xsd', contents: await nexusExperimentSchema() },
    maxMemoryPages: MAX_VALIDATOR_MEMORY_PAGES,
  });
  if (result.valid) return undefined;
  // Lines without a location are the parser quoting the offending line and pointing a caret at it.
  const errors = result.errors.flatMap((error) =>
    error.loc === null
      ? []
      : [{ field: `line ${error.loc.lineNumber}`, message: readableMessage(error.message) }],
  );
  return listed(
    errors.length > 0 ? errors : [{ field: 'xml', message: readableMessage(result.rawOutput.trim()) }],
  );
}

/**
 * A record ready to save: its JSON form checked, its XML written from it and checked against the schema.
 * Refused with `Invalid` (422) carrying the validator's messages when either check fails, so that the record
 * builder can mark the session ERROR with the reason and nothing that would not validate is ever stored.
 */
export async function checkRecord(json: unknown): Promise<{ document: RecordDocument; xml: string }> {
  const checked = checkRecordDocument(json);
  if ('errors' in checked) {
    throw new Invalid('The record does not match the record document schema', checked.errors);
  }
  const xml = toNexusXml(checked.document);
  const errors = await checkRecordXml(xml);
  if (errors !== undefined) {
    throw new Invalid('The record XML does not validate against nexus-experiment.xsd', errors);
  }
  return { document: checked.document, xml };
}
