/**
 * record-build: building a record from 1,000 files (200 FEI TIFF images, 20 DM3 images, 780 other files)
 * through Cairn's buildNextSession (compiled, in a fresh child per build), for two trees of the same counts
 * and shapes whose files are 10× larger in one than in the other. Figures: wall time and the child's peak RSS
 * (`process.resourceUsage().maxRSS`). Target: peak memory does not grow with the files' total size — the
 * large tree's peak at most 1.2× the small tree's (files are streamed, never slurped).
 *
 * The trees are built once (a few seconds) and cached in node_modules/.cache/cairn-bench/record-build-<key>/,
 * keyed by their shape; a finished build leaves facts.json beside them.
 *
 * Knobs (investigation only): BENCH_ROUNDS (2).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFeiTiff, dmImageTree, writeDmFile } from '../test/records/metadata-file-writers.js';
import type { RecordBuildInput, RecordBuildResult } from './record-build.child.js';
import type { Benchmark, BenchmarkContext, BenchmarkOutcome } from './support/benchmark.js';
import { cairnModules } from './support/cairn.js';
import { runChild } from './support/child.js';
import { envNumber, fmt, loadAverage, loadNote, mean } from './support/common.js';
import { REPO_ROOT } from './support/servers.js';

const CHILD = path.join(REPO_ROOT, 'bench', 'record-build.child.ts');
/** Two rounds of small then large: a build takes tens of seconds, and memory varies far less than time. */
const ROUNDS = 2;
const CACHE_ROOT = path.join(REPO_ROOT, 'node_modules', '.cache', 'cairn-bench');
/** Peak memory of the large tree's build over the small one's, at most. */
const TARGET = 1.2;

/**
 * The trees: the same counts; `large` multiplies every file's bytes by about 10 (images by their pixels:
 * side × √10). The session lasts two hours; the files come in 10 bursts (activities) through it.
 */
const SHAPE = {
  version: 1,
  tiffs: 200,
  dm3s: 20,
  others: 780,
  sizes: {
    small: { tiffSide: 256, dmSide: 256, otherBytes: 32 * 1024 },
    large: { tiffSide: 810, dmSide: 810, otherBytes: 320 * 1024 },
  },
  start: '2026-01-05T10:00:00.000Z',
  end: '2026-01-05T12:00:00.000Z',
  bursts: 10,
  otherExtensions: ['ser', 'emi', 'msa', 'txt', 'spc', 'dat'],
} as const;
type TreeName = keyof typeof SHAPE.sizes;
const FOLDER = 'Quanta/bench';
const FEI_TEXT = '[User]\r\nUser=bench\r\n[Beam]\r\nHV=30000\r\nSpot=3\r\n[Scan]\r\nDwelltime=3e-06\r\n';

interface TreeFacts {
  files: number;
  bytes: Record<TreeName, number>;
  buildSeconds: number;
}

/** The mtime of the k-th of n files: bursts of a few minutes, evenly through the session. */
function mtimeOf(k: number, n: number): number {
  const start = Date.parse(SHAPE.start) / 1000;
  const length = (Date.parse(SHAPE.end) - Date.parse(SHAPE.start)) / 1000;
  const burst = Math.floor((k * SHAPE.bursts) / n);
  const within = (k * SHAPE.bursts) % n;
  return start + ((burst + 0.1) * length) / SHAPE.bursts + (within / n) * 300;
}

async function writeTree(root: string, name: TreeName): Promise<number> {
  const size = SHAPE.sizes[name];
  const folder = path.join(root, FOLDER);
  fs.mkdirSync(folder, { recursive: true });
  const total = SHAPE.tiffs + SHAPE.dm3s + SHAPE.others;
  let bytes = 0;
  for (let k = 0; k < total; k++) {
    let file: string;
    if (k % 5 === 0 && k / 5 < SHAPE.tiffs) {
      file = path.join(folder, `image_${String(k).padStart(4, '0')}.tif`);
      const side = size.tiffSide;
      const pixels = Buffer.alloc(side * side);
      for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + k) & 0xff;
      fs.writeFileSync(
        file,
        buildFeiTiff({ width: side, height: side, feiText: FEI_TEXT, littleEndian: true, pixels }),
      );
    } else if (k % 50 === 1 && (k - 1) / 50 < SHAPE.dm3s) {
      file = path.join(folder, `spectrum_image_${String(k).padStart(4, '0')}.dm3`);
      const side = size.dmSide;
      await writeDmFile(file, {
        version: 3,
        littleEndian: true,
        root: dmImageTree({
          width: side,
          height: side,
          type: 'uint16',
          dataTypeCode: 10,
          data: {
            array: 'uint16',
            length: side * side,
            chunk: (start, count) => {
              const chunk = Buffer.alloc(count * 2);
              for (let i = 0; i < count; i++) chunk.writeUInt16LE((start + i) % 4096, i * 2);
              return chunk;
            },
          },
        }),
      });
    } else {
      const extension = SHAPE.otherExtensions[k % SHAPE.otherExtensions.length] as string;
      file = path.join(folder, `acquisition_${String(k).padStart(4, '0')}.${extension}`);
      const content = Buffer.alloc(size.otherBytes);
      for (let i = 0; i < content.length; i += 64) content.write(`line ${i} of file ${k}\n`, i, 'latin1');
      fs.writeFileSync(file, content);
    }
    bytes += fs.statSync(file).size;
    const mtime = mtimeOf(k, total);
    fs.utimesSync(file, mtime, mtime);
  }
  return bytes;
}

/** The cached trees, built first when missing. */
async function recordTrees(
  log: (message: string) => void,
): Promise<{ dir: string; facts: TreeFacts; built: boolean }> {
  const key = createHash('sha256').update(JSON.stringify(SHAPE)).digest('hex').slice(0, 12);
  const dir = path.join(CACHE_ROOT, `record-build-${key}`);
  const factsFile = path.join(dir, 'facts.json');
  if (fs.existsSync(factsFile)) {
    const facts = JSON.parse(fs.readFileSync(factsFile, 'utf8')) as TreeFacts;
    log(`using the cached trees in ${path.relative(REPO_ROOT, dir)}`);
    return { dir, facts, built: false };
  }
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  for (const stale of fs.readdirSync(CACHE_ROOT))
    if (/^record-build-[0-9a-f]+$/.test(stale) && stale !== `record-build-${key}`)
      fs.rmSync(path.join(CACHE_ROOT, stale), { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  log(`building two trees of 1,000 files in ${path.relative(REPO_ROOT, dir)} (once)`);
  const started = performance.now();
  const bytes = { small: await writeTree(path.join(dir, 'small'), 'small'), large: 0 };
  bytes.large = await writeTree(path.join(dir, 'large'), 'large');
  const facts: TreeFacts = {
    files: SHAPE.tiffs + SHAPE.dm3s + SHAPE.others,
    bytes,
    buildSeconds: (performance.now() - started) / 1000,
  };
  fs.writeFileSync(factsFile, `${JSON.stringify(facts)}\n`);
  log(`built in ${fmt(facts.buildSeconds, 1)} s`);
  return { dir, facts, built: true };
}

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const rounds = envNumber('BENCH_ROUNDS', ROUNDS);
  const loadBefore = loadAverage();
  const modules = cairnModules(context.log);
  const trees = await recordTrees(context.log);
  const results: Record<TreeName, RecordBuildResult[]> = { small: [], large: [] };
  for (let round = 0; round < rounds; round++) {
    for (const name of ['small', 'large'] as const) {
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-record-build-'));
      try {
        const input: RecordBuildInput = {
          dataRoot: path.join(trees.dir, name),
          folder: FOLDER,
          sqliteFile: path.join(scratch, 'cairn.sqlite'),
          filesDir: path.join(scratch, 'files'),
          start: SHAPE.start,
          end: SHAPE.end,
        };
        context.log(`round ${round + 1}/${rounds}: the ${name} tree`);
        const result = await runChild<RecordBuildResult>(CHILD, input, { modules, log: context.log });
        if (result.files !== trees.facts.files)
          throw new Error(`the ${name} record has ${result.files} files, not ${trees.facts.files}`);
        results[name].push(result);
        context.log(`  ${fmt(result.ms)} ms, peak RSS ${fmt(result.peakMiB, 1)} MiB`);
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    }
  }
  const peak = (name: TreeName) => Math.max(...results[name].map((result) => result.peakMiB));
  const growth = (name: TreeName) =>
    Math.max(...results[name].map((result) => result.peakMiB - result.peakBeforeMiB));
  const time = (name: TreeName) => mean(results[name].map((result) => result.ms)) / 1000;
  const mb = (bytes: number) => fmt(bytes / 1024 / 1024, 0);
  const describe = (name: TreeName) => {
    const size = SHAPE.sizes[name];
    return (
      `${name} tree, ${mb(trees.facts.bytes[name])} MiB: TIFFs ${size.tiffSide}², DM3 ${size.dmSide}² uint16, ` +
      `others ${fmt(size.otherBytes / 1024)} KiB`
    );
  };
  return {
    comparisons: [
      {
        metric: 'peak memory',
        unit: 'MiB',
        figureLabel: `Cairn buildNextSession, peak RSS of its process: ${describe('large')}`,
        figure: peak('large'),
        baselineLabel: `the same: ${describe('small')}`,
        baseline: peak('small'),
        better: 'lower',
        target: TARGET,
      },
      {
        metric: 'memory growth of the build',
        unit: 'MiB',
        figureLabel:
          'the peak RSS over the build less the peak before it (Node, modules, database), large tree',
        figure: growth('large'),
        baselineLabel: 'the same, small tree',
        baseline: growth('small'),
        better: 'lower',
        target: null,
      },
      {
        metric: 'wall time',
        unit: 's',
        figureLabel: `Cairn buildNextSession, the ${trees.facts.files} files of the large tree`,
        figure: time('large'),
        baselineLabel: 'the same, small tree',
        baseline: time('small'),
        better: 'lower',
        target: null,
      },
    ],
    notes: [
      `${fmt(trees.facts.files)} files each (${SHAPE.tiffs} FEI TIFFs, ${SHAPE.dm3s} DM3, ${SHAPE.others} others), ` +
        `in ${SHAPE.bursts} bursts through a 2-hour session; trees built in ${fmt(trees.facts.buildSeconds, 1)} s ` +
        `${trees.built ? 'in this run' : 'earlier'} and cached (node_modules/.cache/cairn-bench/record-build-<key>/)`,
      `per round: ${['small', 'large']
        .map((name) =>
          results[name as TreeName]
            .map(
              (r) =>
                `${name} ${fmt(r.ms / 1000, 1)} s / ${fmt(r.peakMiB, 1)} MiB (before the build ${fmt(r.peakBeforeMiB, 1)})`,
            )
            .join(', '),
        )
        .join('; ')}`,
      'a fresh child per build, SQLite, previews of every image (sharp for the TIFFs), sha256 of every file',
      loadNote(loadBefore),
      ...(rounds === ROUNDS ? [] : [`NOT the standard settings (${ROUNDS} rounds)`]),
      ...(modules.note === null
        ? []
        : [`the sources did not compile, so Cairn ran through tsx: ${modules.note.split('\n')[0]}`]),
    ],
    details: { shape: SHAPE, trees: trees.facts, results },
  };
}

export const recordBuild: Benchmark = {
  name: 'record-build',
  description:
    'a record of 1,000 files (200 images, 20 DM3): peak memory of a 10× larger tree vs the small one (target ≤ 1.2)',
  run,
};
