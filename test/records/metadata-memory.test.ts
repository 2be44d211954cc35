/**
 * Peak memory of extraction and preview does not grow with the file: a 200 MB DM4 image and a 200 MB TIFF are
 * read in a child process (the compiled server, which the suite's setup builds) beside 2 MB files of the same
 * kinds and widths (a row is what a preview holds at once, so the width may cost memory; the file's size must
 * not), and the child's peak resident set is compared. The figures are printed for the record.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../support/run-process.js';
import { dmImageTree, writeDmFile, writeFeiTiffFile } from './metadata-file-writers.js';

const MODULE = pathToFileURL(
  path.resolve(import.meta.dirname, '../../dist/modules/records/metadata/extract-metadata.js'),
).href;

const CHILD = `
const { extractMetadata, makePreview } = await import(process.env.METADATA_MODULE);
const file = process.env.METADATA_FILE;
const before = process.resourceUsage().maxRSS;
const metadata = await extractMetadata(file);
const preview = await makePreview(file, metadata);
const after = process.resourceUsage().maxRSS;
console.log(JSON.stringify({
  beforeKiB: before, peakKiB: after, size: metadata.basic.size, kind: metadata.kind,
  warnings: [...metadata.warnings, ...preview.warnings], previewBytes: preview.png ? preview.png.length : 0,
}));
`;

interface ChildReport {
  beforeKiB: number;
  peakKiB: number;
  size: number;
  kind: string;
  warnings: string[];
  previewBytes: number;
}

async function measure(filePath: string): Promise<ChildReport> {
  const result = await runProcess(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { ...process.env, METADATA_MODULE: MODULE, METADATA_FILE: filePath },
    timeoutMs: 600_000,
  });
  if (result.status !== 0) throw new Error(`the child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ChildReport;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cairn-metadata-memory-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeDm4(filePath: string, width: number, height: number): Promise<void> {
  await writeDmFile(filePath, {
    version: 4,
    littleEndian: true,
    root: dmImageTree({
      width,
      height,
      type: 'float32',
      dataTypeCode: 2,
      data: {
        array: 'float32',
        length: width * height,
        chunk: (start, count) => {
          const bytes = Buffer.alloc(count * 4);
          for (let index = 0; index < count; index += 1)
            bytes.writeFloatLE(((start + index) % width) / width, index * 4);
          return bytes;
        },
      },
    }),
  });
}

async function writeTiff(filePath: string, width: number, height: number): Promise<void> {
  const row = Buffer.alloc(width);
  for (let x = 0; x < width; x += 1) row[x] = x % 256;
  await writeFeiTiffFile(filePath, {
    width,
    height,
    feiText: '[Beam]\nHV=5000',
    littleEndian: true,
    row: () => row,
  });
}

describe('peak memory against file size', () => {
  it.each([
    ['DM4', writeDm4, 'digital-micrograph', [10000, 50], [10000, 5000]],
    ['TIFF', writeTiff, 'tiff', [14000, 143], [14000, 14300]],
  ] as const)('a 200 MB %s costs about what a 2 MB one does', async (_label, write, kind, small, large) => {
    const smallPath = path.join(dir, `small-${kind}`);
    const largePath = path.join(dir, `large-${kind}`);
    const extension = kind === 'tiff' ? '.tif' : '.dm4';
    await write(smallPath + extension, small[0], small[1]);
    await write(largePath + extension, large[0], large[1]);
    const smallReport = await measure(smallPath + extension);
    const largeReport = await measure(largePath + extension);
    console.log(`${kind}: ${JSON.stringify({ small: smallReport, large: largeReport })}`);
    for (const report of [smallReport, largeReport]) {
      expect(report).toMatchObject({ kind, warnings: [] });
      expect(report.previewBytes).toBeGreaterThan(0);
    }
    expect(largeReport.size).toBeGreaterThan(195_000_000);
    // 100× the bytes, and the peak grows by a fifth of the file at most: reading the file whole would add all
    // 200 MB; what grows is the preview's sampled image and libvips's buffers for a taller image
    expect(largeReport.peakKiB - smallReport.peakKiB).toBeLessThan(40 * 1024);
  });
});
