/**
 * Builds the web UI for browser tests when web/dist is missing or older than its sources, so a test never
 * drives a stale bundle. The suite's global setup builds it before any test starts (a build on a busy machine
 * takes minutes, longer than a test hook may); a lock file keeps two test runs in one checkout from building
 * at once.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runProcess } from './run-process.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const webRoot = path.join(repoRoot, 'web');
export const webDist = path.join(webRoot, 'dist');

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(entry)
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

function isFresh(): boolean {
  const index = path.join(webDist, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts'].map((name) => path.join(webRoot, name));
  const sourcesChanged = Math.max(...sources.filter((source) => fs.existsSync(source)).map(newestMtime));
  return fs.existsSync(index) && fs.statSync(index).mtimeMs >= sourcesChanged;
}

const LOCK = path.join(
  os.tmpdir(),
  `cairn-web-build-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}.lock`,
);
/** A lock older than this was left by a crashed build. */
const STALE_LOCK_MS = 10 * 60_000;

/** Runs `task` holding the build lock (waiting for another worker's build to finish first). */
async function withBuildLock<T>(task: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      fs.closeSync(fs.openSync(LOCK, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > STALE_LOCK_MS) fs.rmSync(LOCK, { force: true });
      } catch {
        // The lock went away meanwhile: try again.
      }
      await sleep(250);
    }
  }
  try {
    return await task();
  } finally {
    fs.rmSync(LOCK, { force: true });
  }
}

/** Makes sure web/dist holds a build of the current sources; returns its absolute path. */
export async function ensureWebBuilt(): Promise<string> {
  if (isFresh()) return webDist;
  return withBuildLock(async () => (isFresh() ? webDist : build()));
}

async function build(): Promise<string> {
  const vite = path.join(repoRoot, 'node_modules', '.bin', 'vite');
  const result = await runProcess(vite, ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    timeoutMs: STALE_LOCK_MS,
  });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}${result.stderr}`);
  return webDist;
}
