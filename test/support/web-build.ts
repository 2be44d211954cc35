/**
 * Builds the web UI for browser tests when web/dist is missing or older than its sources, so a test never
 * drives a stale bundle. (One browser test file today; parallel files calling this at once would race.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

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

/** Makes sure web/dist holds a build of the current sources; returns its absolute path. */
export function ensureWebBuilt(): string {
  const index = path.join(webDist, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts'].map((name) => path.join(webRoot, name));
  const sourcesChanged = Math.max(...sources.filter((source) => fs.existsSync(source)).map(newestMtime));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sourcesChanged) return webDist;
  const vite = path.join(repoRoot, 'node_modules', '.bin', 'vite');
  try {
    execFileSync(vite, ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      cwd: repoRoot,
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`vite build failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
  return webDist;
}
