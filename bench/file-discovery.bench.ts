/**
 * file-discovery: finding the files of a 1-hour session window in an instrument data tree of 100,000 files
 * (mtimes spread over 10 days): Cairn's findSessionFiles (compiled, in-process, in a fresh child) against
 * GNU `find DIR -type f -newermt A ! -newermt B` — what NexusLIMS runs — in the same run, rounds alternating.
 * Target: Cairn at least half of find's speed (files of the tree gone through per second, ratio ≥ 0.5).
 * For information, the same with NexusLIMS's extension list (find's `\( -iname … -o … \)`).
 *
 * The tree is built once (a few seconds) and cached in node_modules/.cache/cairn-bench/discovery-<key>/,
 * keyed by its shape; a finished build leaves facts.json beside it.
 *
 * Knobs (investigation only): BENCH_ROUNDS (9).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DiscoveryInput, DiscoveryResult } from './file-discovery.child.js';
import type { Benchmark, BenchmarkContext, BenchmarkOutcome } from './support/benchmark.js';
import { cairnModules } from './support/cairn.js';
import { runChild } from './support/child.js';
import { envNumber, fmt, loadAverage, loadNote, mean } from './support/common.js';
import { REPO_ROOT } from './support/servers.js';

const CHILD = path.join(REPO_ROOT, 'bench', 'file-discovery.child.ts');
/** Nine: single rounds have spread over 0.6–2.0 (Cairn/find time) on a busy machine. */
const ROUNDS = 9;
const CACHE_ROOT = path.join(REPO_ROOT, 'node_modules', '.cache', 'cairn-bench');

/** The tree: users → days → sessions → files, one session after another through each day. */
const SHAPE = {
  version: 1,
  days: 10,
  sessionsPerDay: 20,
  filesPerSession: 500,
  users: 5,
  start: '2026-01-01T00:00:00Z',
  extensions: ['dm4', 'tif', 'ser', 'emi', 'png', 'DM3', 'txt', 'msa'],
} as const;
const TREE_FILES = SHAPE.days * SHAPE.sessionsPerDay * SHAPE.filesPerSession;
/** The window: an hour of day 6 (half-second bounds, so no file lies on one and find's > A agrees with ≥ A). */
const WINDOW = { from: '2026-01-06T12:00:00.5Z', to: '2026-01-06T13:00:00.5Z' };
/** NexusLIMS's default ("exclusive") extensions. */
const EXTENSIONS = ['dm3', 'dm4', 'tif', 'ser', 'spc', 'msa'];

interface TreeFacts {
  files: number;
  directories: number;
  buildSeconds: number;
}

/** The cached tree, built first when missing. */
function discoveryTree(log: (message: string) => void): { root: string; facts: TreeFacts; built: boolean } {
  const key = createHash('sha256').update(JSON.stringify(SHAPE)).digest('hex').slice(0, 12);
  const dir = path.join(CACHE_ROOT, `discovery-${key}`);
  const root = path.join(dir, 'tree');
  const factsFile = path.join(dir, 'facts.json');
  if (fs.existsSync(factsFile)) {
    const facts = JSON.parse(fs.readFileSync(factsFile, 'utf8')) as TreeFacts;
    log(`using the cached tree of ${fmt(facts.files)} files in ${path.relative(REPO_ROOT, dir)}`);
    return { root, facts, built: false };
  }
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  for (const stale of fs.readdirSync(CACHE_ROOT))
    if (/^discovery-[0-9a-f]+$/.test(stale) && stale !== `discovery-${key}`)
      fs.rmSync(path.join(CACHE_ROOT, stale), { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  log(`building a tree of ${fmt(TREE_FILES)} files in ${path.relative(REPO_ROOT, dir)} (once)`);
  const started = performance.now();
  const start = Date.parse(SHAPE.start) / 1000;
  const sessionSeconds = 86_400 / SHAPE.sessionsPerDay;
  const fileSeconds = sessionSeconds / SHAPE.filesPerSession;
  let directories = 0;
  for (let day = 0; day < SHAPE.days; day++) {
    const date = new Date((start + day * 86_400) * 1000).toISOString().slice(0, 10);
    for (let session = 0; session < SHAPE.sessionsPerDay; session++) {
      const folder = path.join(root, `user${session % SHAPE.users}`, date, `session-${session}`);
      fs.mkdirSync(folder, { recursive: true });
      directories++;
      for (let k = 0; k < SHAPE.filesPerSession; k++) {
        const extension = SHAPE.extensions[k % SHAPE.extensions.length] as string;
        const file = path.join(folder, `acq_${String(k).padStart(4, '0')}.${extension}`);
        fs.writeFileSync(file, '');
        const mtime = start + day * 86_400 + session * sessionSeconds + k * fileSeconds;
        fs.utimesSync(file, mtime, mtime);
      }
    }
  }
  const facts: TreeFacts = {
    files: TREE_FILES,
    directories,
    buildSeconds: (performance.now() - started) / 1000,
  };
  fs.writeFileSync(factsFile, `${JSON.stringify(facts)}\n`);
  log(`built in ${fmt(facts.buildSeconds, 1)} s`);
  return { root, facts, built: true };
}

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const rounds = envNumber('BENCH_ROUNDS', ROUNDS);
  const loadBefore = loadAverage();
  const modules = cairnModules(context.log);
  const tree = discoveryTree(context.log);
  const input: DiscoveryInput = { root: tree.root, ...WINDOW, rounds, extensions: EXTENSIONS };
  context.log(`measuring: ${rounds} rounds of find and Cairn, alternating (${modules.form})`);
  const result = await runChild<DiscoveryResult>(CHILD, input, { modules, log: context.log });

  const speed = (ms: readonly number[]) => tree.facts.files / (mean(ms) / 1000);
  const perRound = result.all.cairn.ms
    .map((ms, i) => (ms / (result.all.find.ms[i] as number)).toFixed(2))
    .join(', ');
  const windowText = `the files modified ${WINDOW.from} – ${WINDOW.to} in a tree of ${fmt(tree.facts.files)} files`;
  return {
    comparisons: [
      {
        metric: 'speed, all files',
        unit: 'files/s',
        figureLabel: `Cairn findSessionFiles (extensions 'all'): ${windowText}`,
        figure: speed(result.all.cairn.ms),
        baselineLabel: 'find DIR -type f -newermt A ! -newermt B -print0 (a process, as NexusLIMS runs it)',
        baseline: speed(result.all.find.ms),
        better: 'higher',
        target: 0.5,
      },
      ...(result.all.findCpuMs === null
        ? []
        : [
            {
              metric: 'CPU time, all files',
              unit: 'ms',
              figureLabel: 'Cairn findSessionFiles: CPU time of its process over the call',
              figure: mean(result.all.cairnCpuMs),
              baselineLabel: "find: its process's CPU time (cutime + cstime of the child, 10 ms ticks)",
              baseline: mean(result.all.findCpuMs),
              better: 'lower' as const,
              target: null,
            },
          ]),
      {
        metric: 'speed, extension list',
        unit: 'files/s',
        figureLabel: `Cairn findSessionFiles (extensions ${EXTENSIONS.join(', ')})`,
        figure: speed(result.extensions.cairn.ms),
        baselineLabel: `find … \\( -iname '*.dm3' -o … \\) with the same list`,
        baseline: speed(result.extensions.find.ms),
        better: 'higher',
        target: null,
      },
    ],
    notes: [
      `tree: ${fmt(tree.facts.files)} empty files in ${fmt(tree.facts.directories)} session folders (user/date/session), ` +
        `mtimes evenly through 10 days; built in ${fmt(tree.facts.buildSeconds, 1)} s ${tree.built ? 'in this run' : 'earlier'} and cached ` +
        `(node_modules/.cache/cairn-bench/discovery-<key>/)`,
      `found: ${fmt(result.all.cairn.files)} files (all), ${fmt(result.extensions.cairn.files)} (extension list); ` +
        `find found the same files; ${fmt(result.directoriesRead)} directories read, ${result.warnings} warnings`,
      `mean time: Cairn ${fmt(mean(result.all.cairn.ms), 1)} ms (CPU ${fmt(mean(result.all.cairnCpuMs), 1)} ms), ` +
        `find ${fmt(mean(result.all.find.ms), 1)} ms (process start included); with the extension list Cairn ` +
        `${fmt(mean(result.extensions.cairn.ms), 1)} ms, find ${fmt(mean(result.extensions.find.ms), 1)} ms`,
      `per round, Cairn/find time: ${perRound}; ${rounds} rounds after one warm-up pass of each (warm caches); ` +
        'CPU time varies much less than wall time when other processes compete for the cores',
      loadNote(loadBefore),
      ...(rounds === ROUNDS ? [] : [`NOT the standard settings (${ROUNDS} rounds)`]),
      ...(modules.note === null
        ? []
        : [`the sources did not compile, so Cairn ran through tsx: ${modules.note.split('\n')[0]}`]),
    ],
    details: { shape: SHAPE, window: WINDOW, extensions: EXTENSIONS, tree: tree.facts, result },
  };
}

export const fileDiscovery: Benchmark = {
  name: 'file-discovery',
  description:
    "a 1-hour window's files in a tree of 100,000: Cairn vs find -newermt (target ≥ 0.5 of find's speed)",
  run,
};
