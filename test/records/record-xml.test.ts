/**
 * Experiment records as JSON and as Nexus Experiment XML: a whole record (several activities, datasets, samples
 * and projects, text full of markup characters, Unicode and control characters) is written as XML that
 * validates against NexusLIMS's schema; text survives escaping; records missing what the schemas require are
 * refused with the validators' messages. Every verdict of the in-process validator (xmllint in WebAssembly) is
 * checked again with the system's `xmllint --schema` (Debian's libxml2-utils): skipped locally without it, run
 * (and failing) under CI.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetType, RecordDocument } from '../../src/modules/records/record-document.js';
import { checkRecord, checkRecordDocument, checkRecordXml } from '../../src/modules/records/record-schema.js';
import { toNexusXml } from '../../src/modules/records/record-xml.js';
import { buildRecordActivity, buildRecordDataset, buildRecordDocument } from '../support/record-factories.js';
import { commandRuns, runProcess } from '../support/run-process.js';

const SCHEMA_FILE = fileURLToPath(new URL('../../schemas/nexus-experiment.xsd', import.meta.url));

/** Markup characters, quotes, a CDATA end, accents (composed and combining), CJK, an emoji, bidi controls. */
const AWKWARD = `a <b> & "c" 'd' ]]> é e\u0301 中文 🧪 \u202Ertl\u202C`;
/** Characters XML 1.0 cannot carry at all: they come out as U+FFFD. */
const FORBIDDEN = 'bell\u0007 nul\u0000 esc\u001B vt\u000B ff\u000C nonchar\uFFFE lone\uD800 end';
const FORBIDDEN_IN_XML = 'bell\uFFFD nul\uFFFD esc\uFFFD vt\uFFFD ff\uFFFD nonchar\uFFFD lone\uFFFD end';
/** What must never appear in XML 1.0: C0 controls but tab, LF and CR; U+FFFE and U+FFFF; a lone surrogate. */
const FORBIDDEN_CHARACTER =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Line breaks of both kinds and a tab: kept in element text and, as character references, in attributes. */
const MULTILINE = 'line one\r\nline two\n\tindented';

/** A record using every part of the schema Cairn writes, with awkward text in every kind of place. */
function fullRecord(): RecordDocument {
  const base = buildRecordDocument();
  return buildRecordDocument({
    title: `Grain boundaries ${AWKWARD}`,
    session: { ...base.session, identifier: 'https://nemo.example.org/api/usage_events/?id=4182&tool=7' },
    instrument: { ...base.instrument, name: `Titan ${AWKWARD}` },
    experimenter: `Zoë Ünal (zunal) ${FORBIDDEN}`,
    collaborators: ['Ari Kim (akim)', `Bo <Li> & co ${AWKWARD}`],
    reservation: {
      start: '2026-03-29T00:30:00Z',
      end: '2026-03-29T04:30:00.250+02:00',
      motivation: `${MULTILINE} ${AWKWARD} ${FORBIDDEN}`,
      ref: 'https://nemo.example.org/event_details/reservation/991/?a=1&b=2',
    },
    samples: [
      {
        id: 'sample-1',
        name: `Steel <A> & "B"`,
        pid: 'NX-SAMPLE-0042',
        inventoryId: null,
        description: `Etched ${AWKWARD}`,
        elements: ['Fe', 'C', 'Mn', 'Og', 'H'],
      },
      {
        id: 'sample-2 "quoted"',
        name: 'Inventory-linked coupon',
        pid: null,
        inventoryId: 'p-0195a3c4-7d2e-7c1a-9b1e-3f5d6a7b8c9d',
        description: null,
        elements: [],
      },
    ],
    projects: [
      {
        name: 'Alloy microstructure',
        projectId: 'AM-2026',
        ref: '/projects/0195a3c4-0000-7000-8000-000000000001',
      },
      {
        name: `Facility & ${AWKWARD}`,
        projectId: null,
        ref: 'https://nemo.example.org/projects/?id=3&x=%3C1%3E',
      },
    ],
    activities: [
      buildRecordActivity({
        setup: [
          { name: `Voltage ${MULTILINE}`, value: 300, unit: 'kV' },
          { name: 'Detector "HAADF" <main>', value: `${AWKWARD} ${FORBIDDEN}`, unit: `µ${FORBIDDEN}` },
          { name: 'Stage tilt', value: -12.5, unit: '°', warning: true },
        ],
        datasets: [
          buildRecordDataset(),
          buildRecordDataset({
            name: `spectrum ${AWKWARD}.dm4`,
            location: `Titan/jdoe/2026 März/a&b #1 ${FORBIDDEN} 🧪.dm4`,
            type: 'Spectrum',
            role: 'UserCalibration',
            format: 'Gatan DM4',
            description: `${MULTILINE} ${AWKWARD}`,
            preview: null,
            metadata: [
              { name: 'Exposure', value: 0.5, unit: 's' },
              { name: `Comment ${AWKWARD}`, value: `${MULTILINE}${FORBIDDEN}`, unit: null },
              { name: 'Empty', value: '', unit: null },
            ],
            warnings: [`Tag group "ImageList" <corrupt> ${FORBIDDEN}`],
          }),
        ],
      }),
      buildRecordActivity({
        start: '2026-03-01T10:05:00.5-05:00',
        end: '2026-03-01T10:05:00.5-05:00',
        sampleId: 'sample-2 "quoted"',
        setup: [],
        datasets: [
          buildRecordDataset({ name: 'diffraction.dm3', type: 'Diffraction', role: 'MasterCalibration' }),
          buildRecordDataset({
            name: 'notes.txt',
            type: 'Notes',
            role: 'Derived',
            format: null,
            metadata: [],
          }),
          buildRecordDataset({ name: 'stack.tif', type: 'SpectrumImage', warnings: ['one', 'two'] }),
          buildRecordDataset({ name: 'other.bin', type: 'Misc', preview: null }),
        ],
      }),
      buildRecordActivity({
        start: '2026-03-01T11:00:00+14:00',
        end: '2026-03-01T11:30:00+14:00',
        sampleId: null,
      }),
      buildRecordActivity({
        start: '2026-03-01T11:40:00-12:00',
        end: '2026-03-01T11:50:00-12:00',
        datasets: [],
      }),
    ],
  });
}

const hasXmllint = await commandRuns('xmllint', ['--version']);
const crossCheck = hasXmllint || Boolean(process.env.CI);

let workDir = '';

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'cairn-record-xml-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

let written = 0;

async function writeXml(xml: string): Promise<string> {
  written += 1;
  const file = path.join(workDir, `record-${written}.xml`);
  await writeFile(file, xml, 'utf8');
  return file;
}

/** The system xmllint's verdict on the XML: valid, or its messages. */
async function systemXmllint(xml: string): Promise<{ valid: boolean; output: string }> {
  const result = await runProcess('xmllint', ['--noout', '--schema', SCHEMA_FILE, await writeXml(xml)]);
  return { valid: result.status === 0, output: result.stderr };
}

/** A value read back from the XML by the system xmllint (XPath on local names: the document has a namespace). */
async function readBack(xml: string, xpath: string): Promise<string> {
  const result = await runProcess('xmllint', ['--xpath', `string(${xpath})`, await writeXml(xml)]);
  expect(result.status).toBe(0);
  // xmllint ends what it prints with a line feed of its own.
  return result.stdout.replace(/\n$/, '');
}

const el = (name: string) => `*[local-name()="${name}"]`;

describe('a whole record', () => {
  const document = fullRecord();
  const xml = toNexusXml(document);

  it('passes both checks: the JSON against its schema, the XML against nexus-experiment.xsd', async () => {
    expect(checkRecordDocument(document)).toEqual({ document });
    expect(await checkRecordXml(xml)).toBeUndefined();
    const checked = await checkRecord(document);
    expect(checked.xml).toBe(xml);
    expect(checked.document).toBe(document);
  });

  it('keeps every character in its JSON form, control characters included', () => {
    const reread: unknown = JSON.parse(JSON.stringify(document));
    expect(reread).toEqual(document);
    expect(checkRecordDocument(reread)).toEqual({ document: reread });
  });

  it('is written in the namespace, with the elements in the order the schema requires', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Experiment ')).toBe(true);
    expect(xml).toContain(
      '<Experiment xmlns="https://data.nist.gov/od/dm/nexus/experiment/v1.0" pid="0195a3c4-7d2e-7c1a-9b1e-3f5d6a7b8c9d">',
    );
    const topLevel = [...xml.matchAll(/^ {2}<([A-Za-z]+)/gm)].map((match) => match[1]);
    expect(topLevel).toEqual([
      'title',
      'id',
      'summary',
      'sample',
      'sample',
      'project',
      'project',
      'acquisitionActivity',
      'acquisitionActivity',
      'acquisitionActivity',
      'acquisitionActivity',
    ]);
    expect([...xml.matchAll(/seqno="(\d+)"/g)].map((match) => match[1])).toEqual(['0', '1', '2', '3']);
    expect(xml).toContain('<reservationStart>2026-03-29T00:30:00Z</reservationStart>');
    expect(xml).toContain('<reservationEnd>2026-03-29T04:30:00.250+02:00</reservationEnd>');
    expect(xml).toContain('<startTime>2026-03-01T11:00:00+14:00</startTime>');
    expect(xml).toContain(
      '<sample id="sample-2 &quot;quoted&quot;" ref="p-0195a3c4-7d2e-7c1a-9b1e-3f5d6a7b8c9d">',
    );
    expect(xml).toContain('<sampleID>sample-2 "quoted"</sampleID>');
    expect(xml).toContain(
      '<elements>\n      <Fe/>\n      <C/>\n      <Mn/>\n      <Og/>\n      <H/>\n    </elements>',
    );
  });

  it('escapes markup, drops what XML 1.0 cannot carry, and writes locations as NexusLIMS does', () => {
    expect(xml).toContain(
      '<title>Grain boundaries a &lt;b&gt; &amp; "c" \'d\' ]]&gt; é e\u0301 中文 🧪 \u202Ertl\u202C</title>',
    );
    expect(xml).toContain(`<experimenter>Zoë Ünal (zunal) ${FORBIDDEN_IN_XML}</experimenter>`);
    expect(xml).toContain(
      '<param name="Voltage line one&#13;&#10;line two&#10;&#9;indented" unit="kV">300</param>',
    );
    expect(xml).toContain('<param name="Stage tilt" unit="°" warning="true">-12.5</param>');
    expect(xml).toContain('<param name="Vacuum OK">true</param>');
    expect(xml).toContain('<motivation>line one&#13;\nline two\n\tindented ');
    expect(xml).toContain(
      `<location>/Titan/jdoe/2026%20M%C3%A4rz/a%26b%20%231%20${encodeURIComponent(FORBIDDEN.replace('\uD800', '\uFFFD'))}%20%F0%9F%A7%AA.dm4</location>`,
    );
    expect(xml).toContain(
      `<meta name="Warning" warning="true">Tag group "ImageList" &lt;corrupt&gt; ${FORBIDDEN_IN_XML}</meta>`,
    );
    expect(xml).toContain('<meta name="Empty"></meta>');
    expect(xml).not.toMatch(FORBIDDEN_CHARACTER);
  });

  it('grows linearly: a record of 2,000 datasets with 25 metadata each validates', async () => {
    const metadata = Array.from({ length: 25 }, (_, index) => ({
      name: `Field ${index} <&>`,
      value: index * 1.5,
      unit: 'nm',
    }));
    const datasets = Array.from({ length: 400 }, (_, index) =>
      buildRecordDataset({ name: `image_${index}.tif`, location: `Titan/big/image_${index}.tif`, metadata }),
    );
    const big = buildRecordDocument({
      activities: Array.from({ length: 5 }, () => buildRecordActivity({ datasets })),
    });
    const bigXml = toNexusXml(big);
    expect(bigXml.match(/<dataset /g)).toHaveLength(2_000);
    expect(await checkRecordXml(bigXml)).toBeUndefined();
  });
});

describe('any text, anywhere', () => {
  /** Single characters XML treats specially or cannot carry, and any Unicode code point. */
  const character = fc.oneof(
    fc.constantFrom('<', '&', '>', '"', "'", ']', '\r', '\n', '\t', ' ', '\u0000', '\u0007', '\u001F'),
    fc.constantFrom('\uD800', '\uDFFF', '\uFFFE', '\uFFFF', '\u0085', '\u2028', '\u007F'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  const text = fc.string({ unit: character, minLength: 1, maxLength: 12 });

  it('still makes a record that validates', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 12, maxLength: 12 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        async ([a, b, c, d, e, f, g, h, i, j, k, l], number) => {
          const base = buildRecordDocument();
          const document = buildRecordDocument({
            id: a!,
            title: b!,
            session: { ...base.session, identifier: c! },
            instrument: { ...base.instrument, name: d!, pid: e! },
            experimenter: f!,
            collaborators: [g!, h!],
            reservation: { ...base.reservation!, motivation: i! },
            samples: [{ ...base.samples[0]!, id: j!, name: k!, description: l!, pid: a! }],
            projects: [{ name: b!, projectId: c!, ref: null }],
            activities: [
              buildRecordActivity({
                sampleId: j!,
                setup: [{ name: d!, value: e!, unit: f! }],
                datasets: [
                  buildRecordDataset({
                    name: g!,
                    location: `${h!}/${i!}`,
                    format: j!,
                    description: k!,
                    metadata: [{ name: l!, value: number, unit: a! }],
                    warnings: [b!],
                  }),
                ],
              }),
            ],
          });
          const { xml } = await checkRecord(document);
          expect(xml).not.toMatch(FORBIDDEN_CHARACTER);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('records the schemas refuse', () => {
  const xml = toNexusXml(buildRecordDocument());

  it('refuses XML without the summary the schema requires, naming the element and the line', async () => {
    const broken = xml.replace(/ {2}<summary[^]*<\/summary>\n/, '');
    const errors = await checkRecordXml(broken);
    expect(errors?.map((error) => error.field)).toEqual(['line 5']);
    expect(errors?.[0]?.message).toContain(
      "Element 'sample': This element is not expected. Expected is ( summary )",
    );
  });

  it('refuses a dataset without its location', async () => {
    const broken = xml.replace(/ *<location>.*<\/location>\n/, '');
    const errors = await checkRecordXml(broken);
    expect(errors).toHaveLength(1);
    expect(errors?.[0]?.message).toContain(
      "Element 'format': This element is not expected. Expected is ( location )",
    );
  });

  it('refuses elements out of order, a dataset type outside the list, and XML that is not well-formed', async () => {
    const swapped = xml.replace(/( {2}<title>.*\n)( {2}<id>.*\n)/, '$2$1');
    const orderErrors = await checkRecordXml(swapped);
    expect(orderErrors?.map((error) => error.field)).toEqual(['line 4']);
    expect(orderErrors?.[0]?.message).toContain("Element 'title': This element is not expected.");
    const document = buildRecordDocument();
    const bogus = toNexusXml({
      ...document,
      activities: [buildRecordActivity({ datasets: [buildRecordDataset({ type: 'Bogus' as DatasetType })] })],
    });
    const typeErrors = await checkRecordXml(bogus);
    expect(typeErrors?.[0]?.message).toContain(
      "[facet 'enumeration'] The value 'Bogus' is not an element of the set",
    );
    const parseErrors = await checkRecordXml(xml.slice(0, 200));
    expect(parseErrors?.[0]?.field).toMatch(/^line \d+$/);
    expect(parseErrors?.[0]?.message).toContain('parser error');
  });

  it('refuses a document missing a required field, with where it is', async () => {
    const { title: _title, ...untitled } = buildRecordDocument();
    expect(checkRecordDocument(untitled)).toEqual({ errors: [{ field: '/title', message: 'is required' }] });
    await expect(checkRecord(untitled)).rejects.toMatchObject({
      code: 'invalid',
      status: 422,
      message: 'The record does not match the record document schema',
      errors: [{ field: '/title', message: 'is required' }],
    });
  });

  it('refuses values outside the lists, unknown properties, and times without an offset or in other forms', () => {
    const document = buildRecordDocument();
    const result = checkRecordDocument({
      ...document,
      session: { ...document.session, start: '2026-03-01T09:00:00', end: '2026-03-01 12:00:00Z' },
      reservation: { ...document.reservation, start: '2026-03-01t08:45:00Z', end: '2026-03-01T23:59:60Z' },
      samples: [{ ...document.samples[0], elements: ['Fe', 'Xx'] }],
      projects: [{ name: 'P', projectId: null, ref: 'https://nemo.example.org/projects/?id=<3>' }],
      activities: [
        buildRecordActivity({
          datasets: [buildRecordDataset({ role: 'Guess' as 'Derived', colour: 'red' } as never)],
        }),
      ],
    });
    expect('errors' in result && result.errors.map((error) => error.field)).toEqual(
      expect.arrayContaining([
        '/session/start',
        '/session/end',
        '/reservation/start',
        '/reservation/end',
        '/samples/0/elements/1',
        '/projects/0/ref',
        '/activities/0/datasets/0/role',
        '/activities/0/datasets/0',
      ]),
    );
    expect('errors' in result && result.errors).toContainEqual({
      field: '/activities/0/datasets/0',
      message: 'has an unknown property colour',
    });
  });

  it('refuses what the schemas cannot see: repeated sample ids, activities naming no sample, ends before starts', async () => {
    const document = buildRecordDocument();
    const [sample] = document.samples;
    const tangled = buildRecordDocument({
      samples: [sample!, { ...sample!, name: 'Twin' }],
      activities: [
        buildRecordActivity({ sampleId: 'sample-9' }),
        buildRecordActivity({ start: '2026-03-01T10:00:00-05:00', end: '2026-03-01T14:59:59Z' }),
      ],
      reservation: { ...document.reservation!, end: '2026-03-01T13:44:59Z' },
    });
    const expected = [
      { field: '/samples/1/id', message: 'repeats the sample id sample-1' },
      { field: '/activities/0/sampleId', message: 'names no sample of the record (sample-9)' },
      { field: '/activities/1/end', message: 'is before the activity starts' },
      { field: '/reservation/end', message: 'is before the reservation starts' },
    ];
    expect(checkRecordDocument(tangled)).toEqual({ errors: expected });
    await expect(checkRecord(tangled)).rejects.toMatchObject({ code: 'invalid', errors: expected });
  });
});

describe.skipIf(!crossCheck)('the system xmllint agrees (libxml2-utils)', () => {
  it('validates the whole record and reads its text back exactly', async () => {
    const xml = toNexusXml(fullRecord());
    const verdict = await systemXmllint(xml);
    expect(verdict.valid).toBe(true);
    expect(verdict.output).toContain('validates');
    expect(await readBack(xml, `/${el('Experiment')}/${el('title')}`)).toBe(`Grain boundaries ${AWKWARD}`);
    expect(await readBack(xml, `//${el('motivation')}`)).toBe(`${MULTILINE} ${AWKWARD} ${FORBIDDEN_IN_XML}`);
    expect(await readBack(xml, `//${el('param')}[1]/@name`)).toBe(`Voltage ${MULTILINE}`);
    expect(await readBack(xml, `//${el('param')}[2]/@name`)).toBe('Detector "HAADF" <main>');
    expect(await readBack(xml, `//${el('sample')}[2]/@id`)).toBe('sample-2 "quoted"');
    expect(await readBack(xml, `//${el('project')}[2]/${el('ref')}`)).toBe(
      'https://nemo.example.org/projects/?id=3&x=%3C1%3E',
    );
  });

  it('refuses what the in-process validator refuses', async () => {
    const xml = toNexusXml(buildRecordDocument());
    const broken = [
      xml.replace(/ {2}<summary[^]*<\/summary>\n/, ''),
      xml.replace(/ *<location>.*<\/location>\n/, ''),
      xml.replace(/( {2}<title>.*\n)( {2}<id>.*\n)/, '$2$1'),
      xml.replace('type="Image"', 'type="Bogus"'),
      xml.replace('<Fe/>', '<Xx/>'),
      xml.replace('<startTime>2026-03-01T09:12:00-05:00', '<startTime>2026-03-01 09:12'),
      xml.slice(0, 200),
    ];
    for (const candidate of broken) {
      const [inProcess, system] = await Promise.all([checkRecordXml(candidate), systemXmllint(candidate)]);
      expect(inProcess).not.toBeUndefined();
      expect(system.valid).toBe(false);
    }
  });
});
