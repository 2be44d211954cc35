/**
 * Writes a record document as a Nexus Experiment XML record: the schema NexusLIMS records follow
 * (`schema/nexus-experiment.xsd`, vendored from NIST), so that NexusLIMS's front end and anything else that
 * reads those records reads Cairn's. Elements come in the order the schema's sequences require and only when
 * there is something to say (every element below the root's `summary` is optional there).
 *
 * What maps where, as NexusLIMS fills it:
 * - the root's `pid` is the record id; `id` is the session identifier (NexusLIMS's reservation or usage-event id);
 * - `summary@ref` is the reservation's page; `instrument` carries the display name, `@pid` and `@ref`;
 * - `sample@id` is what activities' `sampleID` point at; `sample@ref` is the sample's persistent identifier: the
 *   PID from the reservation, else the Cairn inventory id;
 * - activities are numbered from 0 (`seqno`); `dataset/location` is the file's path from the data root, with a
 *   leading `/` and each segment percent-encoded (NexusLIMS's form, which the front end turns into a link, and
 *   which carries any file name, even one with characters XML cannot hold);
 * - a dataset's reading problems become `meta` entries named `Warning`, flagged `warning="true"`.
 * The instrument's location and the session's and activities' end times have no place in the schema and stay in
 * the JSON form.
 *
 * Text is escaped for XML 1.0: markup characters as entities; carriage returns (and, in attributes, tabs and line
 * feeds, which attribute normalisation would turn into spaces) as character references; and the characters XML
 * 1.0 cannot carry at all, not even as references (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF; a lone
 * surrogate half), replaced by U+FFFD. The JSON form keeps the exact text. One pass over the document, each
 * value escaped by one regular-expression scan: the work grows linearly with the record.
 */
import type {
  RecordActivity,
  RecordDataset,
  RecordDocument,
  RecordParameter,
  RecordProject,
  RecordSample,
} from './record-document.js';

export const NEXUS_EXPERIMENT_NAMESPACE = 'https://data.nist.gov/od/dm/nexus/experiment/v1.0';

const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const NOT_XML_CHARACTER = `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|${LONE_SURROGATE}`;
const TEXT_SPECIALS = new RegExp(`[&<>\\r]|${NOT_XML_CHARACTER}`, 'g');
const ATTRIBUTE_SPECIALS = new RegExp(`[&<>"\\t\\n\\r]|${NOT_XML_CHARACTER}`, 'g');
const LONE_SURROGATES = new RegExp(LONE_SURROGATE, 'g');

const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function referenceFor(character: string): string {
  return REFERENCES[character] ?? '\uFFFD';
}

function escapeText(value: string): string {
  return value.replace(TEXT_SPECIALS, referenceFor);
}

function escapeAttribute(value: string): string {
  return value.replace(ATTRIBUTE_SPECIALS, referenceFor);
}

type Attributes = ReadonlyArray<readonly [name: string, value: string | null | undefined]>;

/** The record's XML, built line by line into one array and joined once. */
class XmlWriter {
  private readonly parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];

  private tag(depth: number, name: string, attributes: Attributes): string {
    let tag = `${'  '.repeat(depth)}<${name}`;
    for (const [attribute, value] of attributes) {
      if (value !== null && value !== undefined) tag += ` ${attribute}="${escapeAttribute(value)}"`;
    }
    return tag;
  }

  open(depth: number, name: string, attributes: Attributes = []): void {
    this.parts.push(`${this.tag(depth, name, attributes)}>\n`);
  }

  close(depth: number, name: string): void {
    this.parts.push(`${'  '.repeat(depth)}</${name}>\n`);
  }

  /** An element holding text; nothing when the value is null (the schema makes all of these optional). */
  text(depth: number, name: string, value: string | null, attributes: Attributes = []): void {
    if (value === null) return;
    this.parts.push(`${this.tag(depth, name, attributes)}>${escapeText(value)}</${name}>\n`);
  }

  empty(depth: number, name: string): void {
    this.parts.push(`${this.tag(depth, name, [])}/>\n`);
  }

  toString(): string {
    return this.parts.join('');
  }
}

function parameterValue(value: RecordParameter['value']): string {
  return typeof value === 'string' ? value : String(value);
}

function writeParameter(xml: XmlWriter, depth: number, element: string, parameter: RecordParameter): void {
  xml.text(depth, element, parameterValue(parameter.value), [
    ['name', parameter.name],
    ['unit', parameter.unit],
    ['warning', parameter.warning === true ? 'true' : null],
  ]);
}

/** `a b/ü.tif` → `/a%20b/%C3%BC.tif`: a path from the data root as NexusLIMS writes `location`. */
function locationOf(path: string): string {
  const wellFormed = path.replace(LONE_SURROGATES, '\uFFFD');
  return `/${wellFormed.split('/').map(encodeURIComponent).join('/')}`;
}

function writeSummary(xml: XmlWriter, document: RecordDocument): void {
  const { instrument, reservation } = document;
  xml.open(1, 'summary', [['ref', reservation?.ref]]);
  xml.text(2, 'experimenter', document.experimenter);
  for (const collaborator of document.collaborators) xml.text(2, 'collaborator', collaborator);
  xml.text(2, 'instrument', instrument.name, [
    ['pid', instrument.pid],
    ['ref', instrument.ref],
  ]);
  if (reservation !== null) {
    xml.text(2, 'reservationStart', reservation.start);
    xml.text(2, 'reservationEnd', reservation.end);
    xml.text(2, 'motivation', reservation.motivation);
  }
  xml.close(1, 'summary');
}

function writeSample(xml: XmlWriter, sample: RecordSample): void {
  xml.open(1, 'sample', [
    ['id', sample.id],
    ['ref', sample.pid ?? sample.inventoryId],
  ]);
  xml.text(2, 'name', sample.name);
  xml.text(2, 'description', sample.description);
  if (sample.elements.length > 0) {
    xml.open(2, 'elements');
    for (const symbol of sample.elements) xml.empty(3, symbol);
    xml.close(2, 'elements');
  }
  xml.close(1, 'sample');
}

function writeProject(xml: XmlWriter, project: RecordProject): void {
  xml.open(1, 'project');
  xml.text(2, 'name', project.name);
  xml.text(2, 'project_id', project.projectId);
  xml.text(2, 'ref', project.ref);
  xml.close(1, 'project');
}

function writeDataset(xml: XmlWriter, dataset: RecordDataset): void {
  xml.open(2, 'dataset', [
    ['type', dataset.type],
    ['role', dataset.role],
  ]);
  xml.text(3, 'name', dataset.name);
  xml.text(3, 'location', locationOf(dataset.location));
  xml.text(3, 'format', dataset.format);
  xml.text(3, 'description', dataset.description);
  xml.text(3, 'preview', dataset.preview);
  for (const metadatum of dataset.metadata) writeParameter(xml, 3, 'meta', metadatum);
  for (const warning of dataset.warnings) {
    writeParameter(xml, 3, 'meta', { name: 'Warning', value: warning, unit: null, warning: true });
  }
  xml.close(2, 'dataset');
}

function writeActivity(xml: XmlWriter, activity: RecordActivity, seqno: number): void {
  xml.open(1, 'acquisitionActivity', [['seqno', String(seqno)]]);
  xml.text(2, 'startTime', activity.start);
  xml.text(2, 'sampleID', activity.sampleId);
  if (activity.setup.length > 0) {
    xml.open(2, 'setup');
    for (const parameter of activity.setup) writeParameter(xml, 3, 'param', parameter);
    xml.close(2, 'setup');
  }
  for (const dataset of activity.datasets) writeDataset(xml, dataset);
  xml.close(1, 'acquisitionActivity');
}

/**
 * The record as Nexus Experiment XML, for `GET /api/records/:id/xml` and for checking against the schema
 * before the record is saved (`checkRecord` in `record-schema.ts`). Takes a checked document: the times must
 * already be `xs:dateTime`s, which `RecordDocumentSchema` ensures.
 */
export function toNexusXml(document: RecordDocument): string {
  const xml = new XmlWriter();
  xml.open(0, 'Experiment', [
    ['xmlns', NEXUS_EXPERIMENT_NAMESPACE],
    ['pid', document.id],
  ]);
  xml.text(1, 'title', document.title);
  xml.text(1, 'id', document.session.identifier);
  writeSummary(xml, document);
  for (const sample of document.samples) writeSample(xml, sample);
  for (const project of document.projects) writeProject(xml, project);
  document.activities.forEach((activity, seqno) => writeActivity(xml, activity, seqno));
  xml.close(0, 'Experiment');
  return xml.toString();
}
