/**
 * The measuring child of file-discovery, in a fresh process: Cairn's findSessionFiles (compiled, in-process)
 * against GNU `find DIR -type f -newermt A ! -newermt B -print0` (a process, as NexusLIMS runs it) for the
 * same window of the same tree, alternating which goes first in each round; afterwards both must have found
 * the very same files. A second pair does the same with an extension list (find's `\( -iname … -o … \)`).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cairnModule, childInput, childProgress, childResult, cpuSeconds } from './support/child.js';

type DiscoveryModule = typeof import('../src/modules/records/file-discovery.js');

export interface DiscoveryInput {
  /** The tree's root; the window is searched in all of it. */
  root: string;
  from: string;
  to: string;
  rounds: number;
  extensions: string[];
}

export interface Timing {
  /** Wall milliseconds per round. */
  ms: number[];
  files: number;
}

export interface DiscoveryResult {
  all: { cairn: Timing; find: Timing; cairnCpuMs: number[]; findCpuMs: number[] | null };
  extensions: { cairn: Timing; find: Timing };
  directoriesRead: number;
  warnings: number;
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU seconds (user + system) of this process's children that have ended, from /proc (Linux; null elsewhere):
 * cutime and cstime, fields 16 and 17, in clock ticks (10 ms), so read over several rounds.
 */
function endedChildrenCpuSeconds(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / clockTicks;
  } catch {
    return null;
  }
}

/** Runs find and returns the relative paths it printed, and its wall time (spawn to exit). */
async function runFind(args: readonly string[], root: string): Promise<{ ms: number; files: string[] }> {
  const started = performance.now();
  const child = spawn('find', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`find exited ${code}: ${stderr.trim()}`);
  const files = Buffer.concat(chunks)
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '')
    .map((p) => path.relative(root, p));
  return { ms, files };
}

function sameFiles(cairn: readonly string[], find: readonly string[], what: string): void {
  const a = [...cairn].sort();
  const b = [...find].sort();
  if (a.length !== b.length || a.some((p, i) => p !== b[i]))
    throw new Error(`${what}: Cairn found ${a.length} files, find ${b.length}, and they differ`);
}

const input = childInput<DiscoveryInput>();
const { findSessionFiles } = await cairnModule<DiscoveryModule>('modules/records/file-discovery.js');
const from = new Date(input.from);
const to = new Date(input.to);
const findAll = [input.root, '-type', 'f', '-newermt', input.from, '!', '-newermt', input.to, '-print0'];
const nameTests = input.extensions.flatMap((ext, i) => [...(i === 0 ? [] : ['-o']), '-iname', `*.${ext}`]);
const findExtensions = [
  input.root,
  '-type',
  'f',
  '-newermt',
  input.from,
  '!',
  '-newermt',
  input.to,
  '(',
  ...nameTests,
  ')',
  '-print0',
];

const result: DiscoveryResult = {
  all: { cairn: { ms: [], files: 0 }, find: { ms: [], files: 0 }, cairnCpuMs: [], findCpuMs: [] },
  extensions: { cairn: { ms: [], files: 0 }, find: { ms: [], files: 0 } },
  directoriesRead: 0,
  warnings: 0,
};

async function measureCairn(
  extensions: string[] | 'all',
): Promise<{ ms: number; cpuMs: number; files: string[] }> {
  const cpu = cpuSeconds();
  const started = performance.now();
  const found = await findSessionFiles({ root: input.root, relativePath: '', from, to, extensions });
  const ms = performance.now() - started;
  result.directoriesRead = found.directoriesRead;
  result.warnings = found.warnings.length;
  return { ms, cpuMs: (cpuSeconds() - cpu) * 1000, files: found.files.map((f) => f.relativePath) };
}

// Warm-up: the first pass over the tree fills the kernel's caches for both.
childProgress('warm-up: one pass of each');
sameFiles((await measureCairn('all')).files, (await runFind(findAll, input.root)).files, 'warm-up');

for (let round = 0; round < input.rounds; round++) {
  const findFirst = round % 2 === 0;
  for (const which of findFirst ? ['find', 'cairn'] : ['cairn', 'find']) {
    if (which === 'find') {
      const cpuBefore = endedChildrenCpuSeconds();
      const found = await runFind(findAll, input.root);
      const cpuAfter = endedChildrenCpuSeconds();
      if (cpuBefore === null || cpuAfter === null) result.all.findCpuMs = null;
      else result.all.findCpuMs?.push((cpuAfter - cpuBefore) * 1000);
      result.all.find.ms.push(found.ms);
      result.all.find.files = found.files.length;
      const filtered = await runFind(findExtensions, input.root);
      result.extensions.find.ms.push(filtered.ms);
      result.extensions.find.files = filtered.files.length;
    } else {
      const found = await measureCairn('all');
      result.all.cairn.ms.push(found.ms);
      result.all.cairnCpuMs.push(found.cpuMs);
      result.all.cairn.files = found.files.length;
      const filtered = await measureCairn(input.extensions);
      result.extensions.cairn.ms.push(filtered.ms);
      result.extensions.cairn.files = filtered.files.length;
    }
  }
  childProgress(
    `round ${round + 1}/${input.rounds}: Cairn ${result.all.cairn.ms.at(-1)?.toFixed(0)} ms, find ${result.all.find.ms.at(-1)?.toFixed(0)} ms`,
  );
}

// Both must have found the same files (checked once more, outside the clocks).
sameFiles((await measureCairn('all')).files, (await runFind(findAll, input.root)).files, 'all files');
sameFiles(
  (await measureCairn(input.extensions)).files,
  (await runFind(findExtensions, input.root)).files,
  'extension list',
);
childResult(result);
