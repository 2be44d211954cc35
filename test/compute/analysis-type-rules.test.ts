/**
 * The analysis type rules, pure: definitions checked beyond their shape (the built-ins pass; each kind of
 * mistake is named by its field), parameters checked against a type (unknown, invalid, defaults), a sample's
 * files selected as inputs with safe unique names, and commands rendered as argument vectors in which hostile
 * values stay single literal arguments.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisTypeDefinition } from '../../src/modules/compute/analysis-type-definition.js';
import {
  checkDefinition,
  checkParameters,
  renderCommand,
  selectInputs,
  type SampleFile,
} from '../../src/modules/compute/analysis-type-rules.js';
import { BUILTIN_ANALYSIS_TYPES_DIR } from '../../src/modules/compute/analysis-types.service.js';

function builtin(name: string): AnalysisTypeDefinition {
  const file = path.join(BUILTIN_ANALYSIS_TYPES_DIR, `${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as AnalysisTypeDefinition;
}

const checksum = builtin('checksum');
const seqkitStats = builtin('seqkit-stats');
const fastqSubsample = builtin('fastq-subsample');

/** A small valid type whose parts the tests replace. */
function buildDefinition(overrides: Partial<AnalysisTypeDefinition> = {}): AnalysisTypeDefinition {
  return {
    name: 'echo-args',
    version: '1',
    description: 'prints its arguments',
    command: ['printf', '%s\\n', '{params.label}', '--count={params.count}', '{inputs}'],
    parameters: {
      type: 'object',
      properties: {
        label: { type: 'string', maxLength: 100 },
        count: { type: 'integer', minimum: 1, default: 3 },
        flag: { type: 'boolean' },
      },
      required: ['label'],
    },
    inputs: { min: 0 },
    outputs: [{ name: 'out', path: 'outputs/out.txt' }],
    resources: { cpus: 2, memory: '1G', time: '00:05:00' },
    ...overrides,
  };
}

let fileCount = 0;
function sampleFile(name: string, contentType = 'text/plain'): SampleFile {
  fileCount += 1;
  return { fileId: `file-${fileCount}`, name, contentType, sha256: 'ab'.repeat(32), size: 10 };
}

const fieldsOf = (errors: ReadonlyArray<{ field: string }>) => errors.map((error) => error.field);

describe('checkDefinition', () => {
  it('accepts the three built-in types and the sample definition', () => {
    for (const definition of [checksum, seqkitStats, fastqSubsample, buildDefinition()]) {
      expect(checkDefinition(definition), definition.name).toEqual([]);
    }
  });

  it('refuses a parameter schema that is not an object schema or does not compile', () => {
    expect(fieldsOf(checkDefinition(buildDefinition({ parameters: { type: 'array' } })))).toContain(
      'parameters.type',
    );
    expect(fieldsOf(checkDefinition(buildDefinition({ parameters: { properties: {} } })))).toContain(
      'parameters.type',
    );
    const broken = buildDefinition({
      command: ['true'],
      parameters: { type: 'object', properties: { n: { type: 'integerish' } } },
    });
    expect(fieldsOf(checkDefinition(broken))).toEqual(['parameters']);
    const unresolved = buildDefinition({
      command: ['true'],
      parameters: { type: 'object', properties: { n: { $ref: 'https://example.org/schema.json' } } },
    });
    expect(fieldsOf(checkDefinition(unresolved))).toEqual(['parameters']);
    const badNames = buildDefinition({
      command: ['true'],
      parameters: JSON.parse(
        '{"type":"object","properties":{"__proto__":{"type":"string"},"two words":{},"ok_name-2":{}}}',
      ) as Record<string, unknown>,
    });
    expect(fieldsOf(checkDefinition(badNames))).toEqual([
      'parameters.properties.__proto__',
      'parameters.properties.two words',
    ]);
  });

  it('names the command element of each placeholder mistake', () => {
    const cases: Array<[string[], string]> = [
      [['printf', '{params.nope}'], 'command.1'],
      [['printf', 'x', '{params.flag}'], 'command.2'],
      [['printf', 'inputs/{inputs}'], 'command.1'],
      [['printf', '{input}'], 'command.1'],
      [['printf', '{resources.memory}'], 'command.1'],
      [['{params.label}', 'x'], 'command.0'],
    ];
    for (const [command, field] of cases) {
      expect(fieldsOf(checkDefinition(buildDefinition({ command }))), command.join(' ')).toEqual([field]);
    }
  });

  it('takes braces that are not placeholders as text: awk programs and brace globs', () => {
    const command = ['awk', '{print $1}', 'a{b,c}', '{params.label}', '-j{resources.cpus}', '{inputs}'];
    expect(checkDefinition(buildDefinition({ command }))).toEqual([]);
  });

  it('keeps outputs and the captured standard output inside outputs/', () => {
    const cases: Array<[Partial<AnalysisTypeDefinition>, string]> = [
      [{ outputs: [{ name: 'o', path: 'outputs/../escape.txt' }] }, 'outputs.0.path'],
      [{ outputs: [{ name: 'o', path: 'outputs/a/../../x' }] }, 'outputs.0.path'],
      [{ outputs: [{ name: 'o', path: 'outputs//x' }] }, 'outputs.0.path'],
      [{ outputs: [{ name: 'o', path: 'outputs/./x' }] }, 'outputs.0.path'],
      [{ outputs: [{ name: 'o', path: 'outputs/*/x.txt' }] }, 'outputs.0.path'],
      [{ outputs: [{ name: 'o', path: 'results/x.txt' }] }, 'outputs.0.path'],
      [
        {
          outputs: [
            { name: 'o', path: 'outputs/a' },
            { name: 'o', path: 'outputs/b' },
          ],
        },
        'outputs.1.name',
      ],
      [{ stdoutTo: 'outputs/../stdout.txt' }, 'stdoutTo'],
      [{ stdoutTo: 'stdout.txt' }, 'stdoutTo'],
    ];
    for (const [overrides, field] of cases) {
      expect(fieldsOf(checkDefinition(buildDefinition(overrides))), JSON.stringify(overrides)).toEqual([
        field,
      ]);
    }
    const globbed = buildDefinition({ outputs: [{ name: 'reads', path: 'outputs/sub/*.fastq' }] });
    expect(checkDefinition(globbed)).toEqual([]);
  });

  it('checks the time limit with the same rule as the HPC resources, and the input bounds', () => {
    for (const time of ['25:00', '0', 'an hour', '1-24:00:00', '00:00:00']) {
      const definition = buildDefinition({ resources: { cpus: 1, memory: '1G', time } });
      expect(fieldsOf(checkDefinition(definition)), time).toEqual(['resources.time']);
    }
    for (const time of ['90', '01:30:00', '2-00:00:00']) {
      expect(checkDefinition(buildDefinition({ resources: { cpus: 1, memory: '1G', time } }))).toEqual([]);
    }
    expect(fieldsOf(checkDefinition(buildDefinition({ inputs: { min: 3, max: 2 } })))).toEqual([
      'inputs.max',
    ]);
    expect(fieldsOf(checkDefinition(buildDefinition({ inputs: { min: 1, namePattern: '*.{fa' } })))).toEqual([
      'inputs.namePattern',
    ]);
  });
});

describe('checkParameters', () => {
  it('fills in defaults and takes values as sent', () => {
    expect(checkParameters(fastqSubsample, { proportion: 0.25 })).toEqual({
      params: { proportion: 0.25, seed: 11 },
    });
    expect(checkParameters(fastqSubsample, { proportion: 1, seed: 7 })).toEqual({
      params: { proportion: 1, seed: 7 },
    });
    expect(checkParameters(seqkitStats, undefined)).toEqual({ params: { all: false } });
    expect(checkParameters(checksum, {})).toEqual({ params: {} });
  });

  it('refuses unknown parameters with the field named, whatever the schema says of additional properties', () => {
    const open = buildDefinition({
      parameters: { ...buildDefinition().parameters, additionalProperties: true },
    });
    for (const definition of [open, buildDefinition()]) {
      expect(checkParameters(definition, { label: 'x', colour: 'red' })).toEqual({
        errors: [{ field: 'params.colour', message: 'is not a parameter of echo-args' }],
      });
    }
    const polluting: unknown = JSON.parse('{"proportion":0.5,"__proto__":{"seed":1}}');
    expect(checkParameters(fastqSubsample, polluting)).toEqual({
      errors: [{ field: 'params.__proto__', message: 'is not a parameter of fastq-subsample' }],
    });
    expect(checkParameters(fastqSubsample, { proportion: 0.5, sede: 3 })).toEqual({
      errors: [{ field: 'params.sede', message: 'is not a parameter of fastq-subsample' }],
    });
  });

  it('names every invalid or missing parameter, without coercing text to numbers', () => {
    const cases: Array<[unknown, string[]]> = [
      [{}, ['params.proportion']],
      [{ proportion: 0 }, ['params.proportion']],
      [{ proportion: 1.5 }, ['params.proportion']],
      [{ proportion: '0.5' }, ['params.proportion']],
      [{ proportion: 0.5, seed: 1.5 }, ['params.seed']],
      [{ proportion: 0.5, seed: '7' }, ['params.seed']],
      [{ seed: -1, extra: 1 }, ['params.extra', 'params.proportion', 'params.seed']],
    ];
    for (const [params, fields] of cases) {
      const result = checkParameters(fastqSubsample, params);
      expect('errors' in result, JSON.stringify(params)).toBe(true);
      if ('errors' in result) expect(fieldsOf(result.errors).sort(), JSON.stringify(params)).toEqual(fields);
    }
    const missing = checkParameters(fastqSubsample, {});
    expect(missing).toEqual({ errors: [{ field: 'params.proportion', message: 'is required' }] });
    for (const params of [[], 'x', 3]) {
      expect(checkParameters(fastqSubsample, params)).toEqual({
        errors: [{ field: 'params', message: 'must be an object' }],
      });
    }
  });

  it('leaves the caller’s object as it was', () => {
    const given = { proportion: 0.5 };
    checkParameters(fastqSubsample, given);
    expect(given).toEqual({ proportion: 0.5 });
  });

  it('checks against the schema of the definition given, even under a name and version seen before', () => {
    const first = buildDefinition({ name: 'reused', version: '9' });
    expect('params' in checkParameters(first, { label: 'x' })).toBe(true);
    const second = buildDefinition({
      name: 'reused',
      version: '9',
      command: ['true'],
      parameters: { type: 'object', properties: { label: { type: 'integer' } } },
    });
    expect(checkParameters(second, { label: 'x' })).toMatchObject({ errors: [{ field: 'params.label' }] });
  });
});

describe('selectInputs', () => {
  it('matches the name glob with alternatives, case-insensitively, in name order', () => {
    const files = [
      sampleFile('notes.txt'),
      sampleFile('reads_R1.FASTQ.GZ', 'application/gzip'),
      sampleFile('contigs.fa'),
      sampleFile('genome.fasta.gz', 'application/gzip'),
      sampleFile('reads.fq'),
      sampleFile('table.fastq.tsv'),
    ];
    const result = selectInputs(seqkitStats, files);
    expect('inputs' in result && result.inputs.map((input) => input.name)).toEqual([
      'contigs.fa',
      'genome.fasta.gz',
      'reads.fq',
      'reads_R1.FASTQ.GZ',
    ]);
    const all = selectInputs(checksum, files);
    expect('inputs' in all && all.inputs).toHaveLength(files.length);
    if ('inputs' in all) {
      expect(all.inputs[0]).toEqual({
        fileId: files[2]?.fileId,
        name: 'contigs.fa',
        sha256: 'ab'.repeat(32),
        size: 10,
      });
    }
  });

  it('filters by content type, with the name pattern when both are given', () => {
    const gzipped = buildDefinition({ inputs: { min: 1, contentTypes: ['application/gzip'] } });
    const files = [sampleFile('a.fq.gz', 'application/gzip'), sampleFile('b.fq', 'text/plain')];
    const byType = selectInputs(gzipped, files);
    expect('inputs' in byType && byType.inputs.map((input) => input.name)).toEqual(['a.fq.gz']);
    const both = buildDefinition({
      inputs: { min: 0, namePattern: 'b*', contentTypes: ['application/gzip'] },
    });
    expect(selectInputs(both, files)).toEqual({ inputs: [] });
  });

  it('says on sampleId what the type needs when there are too few or too many files', () => {
    expect(selectInputs(fastqSubsample, [sampleFile('a.txt')])).toEqual({
      errors: [
        {
          field: 'sampleId',
          message: 'has no file matching *.{fq,fastq}{,.gz}; fastq-subsample needs at least 1',
        },
      ],
    });
    expect(selectInputs(fastqSubsample, [sampleFile('a.fq'), sampleFile('b.fastq')])).toEqual({
      errors: [
        {
          field: 'sampleId',
          message: 'has 2 files matching *.{fq,fastq}{,.gz}; fastq-subsample takes at most 1',
        },
      ],
    });
    expect(selectInputs(checksum, [])).toEqual({
      errors: [{ field: 'sampleId', message: 'has no file; checksum needs at least 1' }],
    });
  });

  it('gives every input a safe name of its own in inputs/', () => {
    const files = [
      sampleFile('../../etc/passwd'),
      sampleFile('-rf'),
      sampleFile('.hidden'),
      sampleFile('my reads;$(id).txt'),
      sampleFile('passwd'),
      sampleFile('PASSWD'),
      sampleFile('é'),
      sampleFile(`${'x'.repeat(300)}.fastq`),
    ];
    const result = selectInputs(checksum, files);
    if (!('inputs' in result)) throw new Error(JSON.stringify(result));
    const names = result.inputs.map((input) => input.name);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[A-Za-z0-9_+][A-Za-z0-9._+-]{0,199}$/);
    }
    expect(names).toEqual(
      expect.arrayContaining(['passwd', '2-PASSWD', '3-passwd', 'rf', 'hidden', 'my_reads___id_.txt', '_']),
    );
    expect(names.find((name) => name.endsWith('.fastq'))).toHaveLength(200);
  });
});

describe('renderCommand', () => {
  const inputs = [
    { fileId: 'f1', name: 'a.fastq', sha256: 'aa', size: 1 },
    { fileId: 'f2', name: 'b c.fastq', sha256: 'bb', size: 2 },
  ];

  it('renders each template element as one argument, inputs one argument each', () => {
    expect(renderCommand(buildDefinition(), { label: 'hello world', count: 3 }, inputs)).toEqual([
      'printf',
      '%s\\n',
      'hello world',
      '--count=3',
      'inputs/a.fastq',
      'inputs/b c.fastq',
    ]);
    expect(renderCommand(seqkitStats, { all: true }, inputs)).toEqual([
      'seqkit',
      'stats',
      '--tabular',
      '--all=true',
      '--threads=1',
      'inputs/a.fastq',
      'inputs/b c.fastq',
    ]);
    expect(renderCommand(fastqSubsample, { proportion: 1e-7, seed: 11 }, inputs.slice(0, 1))).toEqual([
      'seqkit',
      'sample',
      '--proportion=1e-7',
      '--rand-seed=11',
      '--out-file=outputs/subsample.fastq',
      'inputs/a.fastq',
    ]);
    expect(renderCommand(checksum, {}, [])).toEqual(['sha256sum', '--']);
  });

  it('keeps hostile values inside their one argument, literally', () => {
    for (const value of [
      '; rm -rf / #',
      '$(id)',
      '`id`',
      'a\nb',
      '"quoted" \'single\'',
      '{params.count}',
      '$1 $@ *',
    ]) {
      const argv = renderCommand(buildDefinition(), { label: value, count: 2 }, []);
      expect(argv).toEqual(['printf', '%s\\n', value, '--count=2']);
    }
  });

  it('takes the CPU count from the resources the job gets', () => {
    expect(renderCommand(seqkitStats, { all: false }, [], { cpus: 8 })).toContain('--threads=8');
  });
});
