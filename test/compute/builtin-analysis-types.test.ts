/**
 * The built-in analysis types doing their real work: each one's inputs selected, parameters checked and
 * command rendered by the rules, run by the real job script (`prepareJobDirectory`, then `bash job.sh`) on
 * small real FASTQ and FASTA files with Debian's `sha256sum` and `seqkit`, and its outputs checked. Also a
 * declared type run the same way with hostile parameter values, which reach the program as literal arguments.
 * Without seqkit the seqkit types are skipped locally; under CI they run and fail.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisTypeDefinition } from '../../src/modules/compute/analysis-type-definition.js';
import {
  checkParameters,
  renderCommand,
  selectInputs,
  type SampleFile,
} from '../../src/modules/compute/analysis-type-rules.js';
import { BUILTIN_ANALYSIS_TYPES_DIR } from '../../src/modules/compute/analysis-types.service.js';
import {
  collectOutputs,
  prepareJobDirectory,
  readExitCode,
  readToolVersions,
} from '../../src/modules/compute/executors/job-directory.js';
import type { JobSpec } from '../../src/modules/compute/executors/job-spec.js';
import { jobVariablesOf } from '../../src/modules/compute/executors/job-environment.js';
import { pointAlias, writeJobExclusions, writeVolume } from '../../src/modules/search/blast-files.js';
import { commandRuns, runProcess } from '../support/run-process.js';

const hasSeqkit = await commandRuns('seqkit', ['version']);
const hasBlast = await commandRuns('blastn', ['-version']);

async function builtin(name: string): Promise<AnalysisTypeDefinition> {
  const text = await readFile(path.join(BUILTIN_ANALYSIS_TYPES_DIR, `${name}.json`), 'utf8');
  return JSON.parse(text) as AnalysisTypeDefinition;
}

/** A FASTQ record per read: a random sequence and its qualities, reproducible from `seed`. */
function fastq(prefix: string, reads: number, seed: number): string {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
  const records: string[] = [];
  for (let read = 0; read < reads; read += 1) {
    const length = 20 + (next() % 30);
    const sequence = Array.from({ length }, () => 'ACGT'[next() % 4]).join('');
    const quality = Array.from({ length }, () => String.fromCharCode(35 + (next() % 40))).join('');
    records.push(`@${prefix}-${read} sample read\n${sequence}\n+\n${quality}\n`);
  }
  return records.join('');
}

const FASTA = '>contig-1 first\nACGTACGTAC\nGGCCTTAA\n>contig-2\nTTTTGGGGCCCCAAAA\n>contig-3\nACG\n';

interface SampleOnDisk {
  readonly file: SampleFile;
  readonly absolutePath: string;
}

/** Writes the sample's files into `directory` and describes them as the inventory would. */
async function writeSample(
  directory: string,
  files: ReadonlyArray<[string, string | Buffer, string]>,
): Promise<SampleOnDisk[]> {
  const written: SampleOnDisk[] = [];
  for (const [index, [name, content, contentType]] of files.entries()) {
    const absolutePath = path.join(directory, `stored-${index}`);
    await writeFile(absolutePath, content);
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    written.push({
      absolutePath,
      file: {
        fileId: `file-${index}`,
        name,
        contentType,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
      },
    });
  }
  return written;
}

/**
 * Runs one job of `definition` on the sample as an agent would: inputs selected and staged, parameters checked,
 * the command rendered into the job directory, `bash job.sh` run in it.
 */
async function runJob(
  root: string,
  definition: AnalysisTypeDefinition,
  sample: readonly SampleOnDisk[],
  params: unknown,
  env?: NodeJS.ProcessEnv,
) {
  const selected = selectInputs(
    definition,
    sample.map((entry) => entry.file),
  );
  if ('errors' in selected) throw new Error(JSON.stringify(selected.errors));
  const checked = checkParameters(definition, params);
  if ('errors' in checked) throw new Error(JSON.stringify(checked.errors));
  const jobId = `job-${path.basename(await mkdtemp(path.join(root, 'id-')))}`;
  const workDir = await mkdtemp(path.join(root, `${definition.name}-`));
  const spec: JobSpec = {
    jobId,
    analysisId: `analysis-${jobId}`,
    attempt: 1,
    type: { name: definition.name, version: definition.version },
    params: checked.params,
    argv: renderCommand(definition, checked.params, selected.inputs),
    stdoutTo: definition.stdoutTo ?? null,
    toolVersions: definition.toolVersions ?? {},
    inputs: selected.inputs,
    outputs: definition.outputs.map((output) => ({ ...output, required: output.required ?? true })),
    resources: definition.resources,
  };
  await prepareJobDirectory(workDir, spec);
  for (const input of selected.inputs) {
    const source = sample.find((entry) => entry.file.fileId === input.fileId);
    if (source === undefined) throw new Error(`no file ${input.fileId}`);
    await copyFile(source.absolutePath, path.join(workDir, 'inputs', input.name));
  }
  const result = await runProcess('bash', ['job.sh'], { cwd: workDir, ...(env !== undefined && { env }) });
  return {
    workDir,
    spec,
    result,
    exitCode: await readExitCode(workDir),
    toolVersions: await readToolVersions(workDir),
    outputs: await collectOutputs(workDir, spec),
  };
}

/** FASTQ records as [header, sequence, plus, quality], checking the format on the way. */
function fastqRecords(text: string): string[][] {
  const lines = text.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines.length % 4).toBe(0);
  const records: string[][] = [];
  for (let index = 0; index < lines.length; index += 4) {
    const [header = '', sequence = '', plus = '', quality = ''] = lines.slice(index, index + 4);
    expect(header).toMatch(/^@\S+/);
    expect(sequence).toMatch(/^[ACGT]+$/);
    expect(plus).toBe('+');
    expect(quality).toHaveLength(sequence.length);
    records.push([header, sequence, plus, quality]);
  }
  return records;
}

describe('built-in analysis types run by the job script', () => {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-builtin-jobs-'));
  });
  afterAll(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true });
  });

  it('checksum writes a SHA-256 manifest that matches sha256sum, one line per file', async () => {
    const sample = await writeSample(root, [
      ['reads.fastq', fastq('r', 20, 1), 'text/plain'],
      ['notes; rm -rf ~.txt', 'a note\n', 'text/plain'],
      ['contigs.fa', FASTA, 'text/plain'],
    ]);
    const job = await runJob(root, await builtin('checksum'), sample, {});
    expect(job.result.status, job.result.stderr).toBe(0);
    expect(job.exitCode).toBe(0);
    expect(job.toolVersions.sha256sum).toMatch(/^sha256sum \(GNU coreutils\)/);
    expect(job.outputs.map((output) => [output.output, output.relativePath])).toEqual([
      ['manifest', 'outputs/sha256-manifest.txt'],
    ]);
    const manifest = await readFile(path.join(job.workDir, 'outputs/sha256-manifest.txt'), 'utf8');
    const expected = job.spec.inputs.map((input) => {
      const file = sample.find((entry) => entry.file.fileId === input.fileId)?.file;
      return `${file?.sha256}  inputs/${input.name}`;
    });
    expect(manifest.trimEnd().split('\n')).toEqual(expected);
    const recomputed = await runProcess('sha256sum', ['--', ...job.spec.argv.slice(2)], { cwd: job.workDir });
    expect(manifest).toBe(recomputed.stdout);
    const verified = await runProcess('sha256sum', ['--check', 'outputs/sha256-manifest.txt'], {
      cwd: job.workDir,
    });
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
  });

  describe.skipIf(!hasSeqkit && !process.env.CI)('with seqkit', () => {
    it('seqkit-stats writes a row per FASTA/FASTQ file, and all statistics when asked', async () => {
      const sample = await writeSample(root, [
        ['a.fastq', fastq('a', 30, 2), 'text/plain'],
        ['b.FA', FASTA, 'text/plain'],
        ['c.fq.gz', gzipSync(fastq('c', 12, 3)), 'application/gzip'],
        ['notes.txt', 'not sequences\n', 'text/plain'],
      ]);
      const stats = await builtin('seqkit-stats');
      for (const [params, columns] of [
        [{}, 8],
        [{ all: true }, 16],
      ] as const) {
        const job = await runJob(root, stats, sample, params);
        expect(job.result.status, job.result.stderr).toBe(0);
        expect(job.exitCode).toBe(0);
        expect(job.toolVersions.seqkit).toMatch(/^seqkit v\d/);
        expect(job.outputs.map((output) => output.output)).toEqual(['stats']);
        const rows = (await readFile(path.join(job.workDir, 'outputs/stats.tsv'), 'utf8'))
          .trimEnd()
          .split('\n')
          .map((line) => line.split('\t'));
        expect(rows[0]?.slice(0, 4)).toEqual(['file', 'format', 'type', 'num_seqs']);
        expect(rows.every((row) => row.length === columns)).toBe(true);
        expect(rows.slice(1).map((row) => [row[0], row[1], row[3]])).toEqual([
          ['inputs/a.fastq', 'FASTQ', '30'],
          ['inputs/b.FA', 'FASTA', '3'],
          ['inputs/c.fq.gz', 'FASTQ', '12'],
        ]);
      }
    });

    it('fastq-subsample registers a valid FASTQ subset, the same for the same seed', async () => {
      const original = fastq('s', 200, 4);
      const sample = await writeSample(root, [
        ['reads.fastq.gz', gzipSync(original), 'application/gzip'],
        ['contigs.fa', FASTA, 'text/plain'],
      ]);
      const subsample = await builtin('fastq-subsample');
      const run = async (params: Record<string, unknown>) => {
        const job = await runJob(root, subsample, sample, params);
        expect(job.result.status, job.result.stderr).toBe(0);
        expect(job.exitCode).toBe(0);
        expect(job.toolVersions.seqkit).toMatch(/^seqkit v\d/);
        expect(job.outputs.map((output) => [output.output, output.relativePath])).toEqual([
          ['subsample', 'outputs/subsample.fastq'],
        ]);
        return readFile(path.join(job.workDir, 'outputs/subsample.fastq'), 'utf8');
      };
      const first = await run({ proportion: 0.3 });
      const records = fastqRecords(first);
      const originalRecords = new Set(fastqRecords(original).map((record) => record.join('\n')));
      expect(records.length).toBeGreaterThan(0);
      expect(records.length).toBeLessThan(200);
      for (const record of records) expect(originalRecords.has(record.join('\n'))).toBe(true);
      expect(new Set(records.map((record) => record[0])).size).toBe(records.length);

      expect(await run({ proportion: 0.3, seed: 11 })).toBe(first);
      expect(await run({ proportion: 0.3, seed: 12 })).not.toBe(first);
      expect(fastqRecords(await run({ proportion: 1 }))).toHaveLength(200);
    });
  });

  describe.skipIf(!hasBlast && !process.env.CI)('with BLAST+', () => {
    it("blast-search writes a hit table of the sample's FASTA against the inventory's database", async () => {
      const random = (length: number, seed: number) => {
        let residues = '';
        for (let block = 0; residues.length < length; block++) {
          for (const byte of createHash('sha256').update(`${seed}:${block}`).digest())
            residues += 'ACGT'[byte % 4];
        }
        return residues.slice(0, length);
      };
      const [kept, gone, other] = [random(900, 7), random(900, 8), random(900, 9)];
      // The inventory's database as the BLAST upkeep writes it: a volume, the alias, the ids of dead sequences.
      const files = { dir: path.join(root, 'blast'), binDir: null };
      await writeVolume(files, 'nucl', 'main-1', [
        { id: 'e1', title: 'v-kept', sequence: kept },
        { id: 'e2', title: 'v-gone', sequence: gone },
        { id: 'e3', title: 'v-other', sequence: other },
      ]);
      await pointAlias(files, 'nucl', ['main-1'], 1);
      await writeJobExclusions(files, 'nucl', ['e2']);
      const env = { ...process.env, ...jobVariablesOf(files.dir) };
      const sample = await writeSample(root, [
        [
          'reads.fasta',
          `>read-1 from kept\n${kept.slice(100, 400)}\n>read-2 from gone\n${gone.slice(0, 300)}\n`,
          'text/plain',
        ],
        [
          'more.fa.gz',
          gzipSync(`>read-3\n${other.slice(500, 800)}\n>read-4 nothing\n${random(300, 10)}\n`),
          'application/gzip',
        ],
        ['reads.fastq', fastq('r', 5, 1), 'text/plain'],
      ]);
      const definition = await builtin('blast-search');
      const job = await runJob(root, definition, sample, {}, env);
      expect(job.result.status, job.result.stderr).toBe(0);
      expect(job.exitCode).toBe(0);
      expect(job.toolVersions.blastn).toMatch(/^blastn: 2\./);
      expect(job.spec.inputs.map((input) => input.name).sort()).toEqual(['more.fa.gz', 'reads.fasta']);
      expect(job.outputs.map((output) => [output.output, output.relativePath])).toEqual([
        ['hits', 'outputs/hits.tsv'],
      ]);
      const rows = (await readFile(path.join(job.workDir, 'outputs/hits.tsv'), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((line) => line.split('\t'));
      expect(rows[0]).toEqual([
        'query',
        'item',
        'blast_id',
        'percent_identity',
        'alignment_length',
        'mismatches',
        'gap_opens',
        'query_start',
        'query_end',
        'subject_start',
        'subject_end',
        'evalue',
        'bit_score',
      ]);
      // The dead sequence (e2) is left out; the random read finds nothing.
      const table = rows.slice(1).map((row) => [row[0], row[1], row[2], row[3], row[4], row[9], row[10]]);
      expect(table.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
        ['read-1', 'v-kept', 'e1', '100.000', '300', '101', '400'],
        ['read-3', 'v-other', 'e3', '100.000', '300', '501', '800'],
      ]);

      // Without a database the table is its header; without the variable the job fails saying why.
      const empty = await runJob(
        root,
        definition,
        sample,
        {},
        { ...process.env, ...jobVariablesOf(path.join(root, 'none')) },
      );
      expect(empty.exitCode).toBe(0);
      expect((await readFile(path.join(empty.workDir, 'outputs/hits.tsv'), 'utf8')).split('\n')).toHaveLength(
        2,
      );
      const { CAIRN_BLAST_DB: _unset, ...withoutDb } = env;
      const unset = await runJob(root, definition, sample, {}, withoutDb);
      expect(unset.exitCode).not.toBe(0);
      expect(
        await readFile(path.join(unset.workDir, 'stderr.log'), 'utf8').catch(() => unset.result.stderr),
      ).toMatch(/CAIRN_BLAST_DIR/);
    });
  });

  it('passes hostile parameter values to the program as single literal arguments', async () => {
    const echo: AnalysisTypeDefinition = {
      name: 'echo-arguments',
      version: '1',
      description: 'writes each argument NUL-terminated',
      command: ['printf', '%s\\0', '{params.label}', 'cpus={resources.cpus}', '{inputs}'],
      parameters: { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] },
      inputs: { min: 0 },
      outputs: [{ name: 'arguments', path: 'outputs/arguments.bin' }],
      stdoutTo: 'outputs/arguments.bin',
      resources: { cpus: 1, memory: '64M', time: '1' },
    };
    const marker = path.join(root, 'injected');
    const sample = await writeSample(root, [['$(touch x).txt', 'x', 'text/plain']]);
    for (const label of [
      '; rm -rf / #',
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `x\ntouch ${marker}`,
      '" \' * ? ~ $HOME ${IFS} > out',
    ]) {
      const job = await runJob(root, echo, sample, { label });
      expect(job.result.status, job.result.stderr).toBe(0);
      const written = await readFile(path.join(job.workDir, 'outputs/arguments.bin'), 'utf8');
      expect(written.split('\0').slice(0, -1)).toEqual([
        label,
        'cpus=1',
        `inputs/${job.spec.inputs[0]?.name}`,
      ]);
    }
    await expect(readFile(marker)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
