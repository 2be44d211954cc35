// File discovery for record building (issue 13): the files of a session window under an instrument's folder, on
// real trees built in a temp directory with set mtimes, real symlinks (inside, escaping, looping, broken), ignore
// globs and extension lists.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FilestorePathError,
  findSessionFiles,
  globToRegExp,
  type SessionFileQuery,
  type SessionFiles,
} from '../../src/modules/records/file-discovery.js';

const FROM = new Date('2026-03-01T10:00:00Z');
const TO = new Date('2026-03-01T11:00:00Z');
const minutes = (m: number) => new Date(FROM.getTime() + m * 60_000);

let base: string;
let root: string;

/** Writes a file with the given mtime (parents made as needed). */
function file(relative: string, mtime: Date, content = 'x'): void {
  const full = path.join(base, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  fs.utimesSync(full, mtime, mtime);
}

function link(relative: string, target: string): void {
  const full = path.join(base, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.symlinkSync(target, full);
}

/**
 * findSessionFiles as a user whom permissions bind: in this process, or — when the tests run as root, who
 * reads every folder — in a child process as `nobody` (uid 65534), with the tree made reachable to it.
 */
async function findAsUnprivileged(sessionQuery: SessionFileQuery): Promise<SessionFiles> {
  if (process.getuid?.() !== 0) return findSessionFiles(sessionQuery);
  fs.chmodSync(base, 0o755);
  // The child cannot be given the checkout (it may lie in a folder only root may enter): it gets the compiled
  // module and the one it imports, copied beside the tree, and runs them with plain Node.
  const lib = path.join(base, 'lib');
  for (const file of ['modules/records/file-discovery.js', 'errors/catalogue.js']) {
    fs.mkdirSync(path.dirname(path.join(lib, file)), { recursive: true, mode: 0o755 });
    fs.copyFileSync(path.resolve('dist', file), path.join(lib, file));
  }
  fs.writeFileSync(path.join(lib, 'package.json'), '{"type":"module"}');
  const script = path.join(base, 'find-as-nobody.mjs');
  const module = pathToFileURL(path.join(lib, 'modules/records/file-discovery.js')).href;
  fs.writeFileSync(
    script,
    `import { findSessionFiles } from ${JSON.stringify(module)};\n` +
      `const q = JSON.parse(process.argv[2]);\n` +
      `const result = await findSessionFiles({ ...q, from: new Date(q.from), to: new Date(q.to) });\n` +
      `process.stdout.write(JSON.stringify(result));\n`,
  );
  const child = spawn(process.execPath, [script, JSON.stringify(sessionQuery)], {
    uid: 65534,
    gid: 65534,
    cwd: base,
    env: { ...process.env, HOME: base },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (status !== 0) throw new Error(`the unprivileged child exited ${status}: ${stderr}`);
  return JSON.parse(stdout) as SessionFiles;
}

const query = (overrides: Partial<SessionFileQuery> = {}): SessionFileQuery => ({
  root,
  relativePath: 'instr',
  from: FROM,
  to: TO,
  ...overrides,
});

const relativePaths = async (overrides: Partial<SessionFileQuery> = {}) =>
  (await findSessionFiles(query(overrides))).files.map((f) => f.relativePath);

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-discovery-'));
  root = path.join(base, 'root');
  file('root/instr/a.dm4', minutes(5), 'aaaa');
  file('root/instr/B.DM4', minutes(10));
  file('root/instr/c.tif', minutes(15));
  file('root/instr/notes.txt', minutes(20));
  file('root/instr/archive.TAR.GZ', minutes(21));
  file('root/instr/old.dm4', minutes(-30));
  file('root/instr/late.dm4', minutes(90));
  file('root/instr/at-start.dm4', FROM);
  file('root/instr/at-end.dm4', TO);
  file('root/instr/sub/deep/d.dm4', minutes(25));
  file('root/instr/cache/x.dm4', minutes(30));
  file('root/instr/e.mib', minutes(35));
  file('root/shared/s.dm4', minutes(40));
  file('root/other/o.dm4', minutes(45));
  file('outside/secret.dm4', minutes(50));
  link('root/instr/link-to-shared', '../shared');
  link('root/instr/linked-s.dm4', '../shared/s.dm4'); // the same file as through link-to-shared: reported once
  link('root/instr/escape', '../../outside');
  link('root/instr/escape.dm4', '../../outside/secret.dm4');
  link('root/instr/loop', '.');
  link('root/instr/sub/deep/up', '../..');
  link('root/instr/broken.dm4', 'nowhere.dm4');
  link('root/instr/self', 'self');
  link('root/outside-instr', '../outside');
});

afterAll(() => {
  fs.rmSync(base, { recursive: true, force: true });
});

describe('findSessionFiles', () => {
  it('finds every file modified in the window, the bounds included, sorted by mtime', async () => {
    const result = await findSessionFiles(query());
    expect(result.files.map((f) => f.relativePath)).toEqual([
      'instr/at-start.dm4',
      'instr/a.dm4',
      'instr/B.DM4',
      'instr/c.tif',
      'instr/notes.txt',
      'instr/archive.TAR.GZ',
      'instr/sub/deep/d.dm4',
      'instr/cache/x.dm4',
      'instr/e.mib',
      'shared/s.dm4',
      'instr/at-end.dm4',
    ]);
    const a = result.files[1];
    expect(a).toMatchObject({ size: 4, mtime: minutes(5) });
    expect(a?.path).toBe(path.join(fs.realpathSync(root), 'instr', 'a.dm4'));
  });

  it('keeps only the listed extensions, in any case and with or without the dot', async () => {
    expect(await relativePaths({ extensions: ['DM4', '.tif', 'tar.gz'] })).toEqual([
      'instr/at-start.dm4',
      'instr/a.dm4',
      'instr/B.DM4',
      'instr/c.tif',
      'instr/archive.TAR.GZ',
      'instr/sub/deep/d.dm4',
      'instr/cache/x.dm4',
      'shared/s.dm4',
      'instr/at-end.dm4',
    ]);
    expect(await relativePaths({ extensions: [] })).toEqual([]);
  });

  it('leaves out what the ignore globs match: names of files and folders, and paths from the root', async () => {
    expect(
      await relativePaths({
        ignore: ['*.MIB', 'cache', '*.txt', 'instr/sub/**', 'at-?????.dm4', 'AT-???.dm4'],
      }),
    ).toEqual(['instr/a.dm4', 'instr/B.DM4', 'instr/c.tif', 'instr/archive.TAR.GZ', 'shared/s.dm4']);
    expect(
      await relativePaths({ ignore: ['**/deep/*.dm4', 'link-to-shared', 'linked-*'], extensions: ['dm4'] }),
    ).toEqual(['instr/at-start.dm4', 'instr/a.dm4', 'instr/B.DM4', 'instr/cache/x.dm4', 'instr/at-end.dm4']);
  });

  it('follows links inside the root and warns of those leading out, looping or broken', async () => {
    const result = await findSessionFiles(query());
    expect(result.files.some((f) => f.path.includes('outside'))).toBe(false);
    const problems = result.warnings.map((w) => `${path.relative(root, w.path)} ${w.problem}`).sort();
    expect(problems).toEqual([
      'instr/broken.dm4 broken-link',
      'instr/escape outside-root',
      'instr/escape.dm4 outside-root',
      'instr/loop loop',
      'instr/self loop',
      'instr/sub/deep/up loop',
    ]);
    expect(result.warningsOmitted).toBe(0);
  });

  it('reads the whole root when the instrument folder is the root itself, without leaving it', async () => {
    const paths = await relativePaths({ relativePath: '', extensions: ['dm4'] });
    expect(paths).toContain('other/o.dm4');
    expect(paths).toContain('shared/s.dm4');
    expect(paths.filter((p) => p.endsWith('s.dm4'))).toHaveLength(1);
    expect(paths.some((p) => p.includes('secret'))).toBe(false);
  });

  it('reads a leading slash in the instrument folder as relative to the root', async () => {
    expect(await relativePaths({ relativePath: '/instr/cache' })).toEqual(['instr/cache/x.dm4']);
  });

  it('refuses an instrument folder outside the root, through .. or a link, and one that does not exist', async () => {
    const refused = async (relativePath: string) => {
      const error = await findSessionFiles(query({ relativePath })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FilestorePathError);
      return (error as FilestorePathError).reason;
    };
    expect(await refused('../outside')).toBe('outside-root');
    expect(await refused('instr/../../outside')).toBe('outside-root');
    expect(await refused('outside-instr')).toBe('outside-root');
    expect(await refused('nope')).toBe('missing');
    expect(await refused('instr/a.dm4')).toBe('not-a-directory');
    const missingRoot = await findSessionFiles(query({ root: path.join(base, 'unmounted') })).catch(
      (e: unknown) => e,
    );
    expect(missingRoot).toMatchObject({ reason: 'missing', code: 'invalid' });
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(findSessionFiles(query({ from: TO, to: FROM }))).rejects.toMatchObject({ code: 'invalid' });
  });

  it('skips and reports a folder it may not read', async () => {
    file('root/locked/inside/f.dm4', minutes(5));
    file('root/locked/open.dm4', minutes(6));
    const locked = path.join(root, 'locked', 'inside');
    fs.chmodSync(locked, 0o000);
    try {
      const result = await findAsUnprivileged(query({ relativePath: 'locked' }));
      expect(result.files.map((f) => f.relativePath)).toEqual(['locked/open.dm4']);
      expect(result.warnings).toMatchObject([{ path: fs.realpathSync(locked), problem: 'unreadable' }]);
    } finally {
      fs.chmodSync(locked, 0o755);
    }
  });

  it('finds the window in a large flat folder, read in slices, at every concurrency', async () => {
    const many = path.join(root, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i < 3000; i++) {
      const full = path.join(many, `f${String(i).padStart(4, '0')}.dm4`);
      fs.writeFileSync(full, '');
      const mtime = minutes(i % 3 === 0 ? 30 : -120 - i);
      fs.utimesSync(full, mtime, mtime);
    }
    for (let i = 0; i < 40; i++) file(`root/many/sub${i}/g.dm4`, minutes(i));
    for (const concurrency of [1, 3, 16]) {
      const result = await findSessionFiles(query({ relativePath: 'many', concurrency }));
      expect(result.files).toHaveLength(1000 + 40);
      expect(result.directoriesRead).toBe(41);
      const mtimes = result.files.map((f) => f.mtimeMs);
      expect(mtimes).toEqual([...mtimes].sort((a, b) => a - b));
    }
  });
});

describe('globToRegExp', () => {
  it('matches as find -iname does within a name, and across folders with **', () => {
    expect(globToRegExp('*.db').test('Thumbs.DB')).toBe(true);
    expect(globToRegExp('*.db').test('a/b.db')).toBe(false);
    expect(globToRegExp('file?.[ch]').test('file1.c')).toBe(true);
    expect(globToRegExp('file?.[!ch]').test('file1.c')).toBe(false);
    expect(globToRegExp('**/tmp/*').test('tmp/x')).toBe(true);
    expect(globToRegExp('**/tmp/*').test('a/b/tmp/x')).toBe(true);
    expect(globToRegExp('a.(b)+').test('a.(b)+')).toBe(true);
  });
});
