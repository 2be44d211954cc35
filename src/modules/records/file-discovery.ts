/**
 * File discovery for record building: the files under an instrument's data folder (the instrument data root
 * plus the instrument's `filestore_path`) whose modification time lies in a session's window, as NexusLIMS
 * finds them with `find -newermt` — all files or an extension list (case-insensitive), minus ignore globs,
 * symlinks followed (files and directories) but never outside the root nor round a loop.
 *
 * Every path reported is the file's real path (symlinks resolved), so a file reached twice (directly and
 * through a link) is reported once, and its `relativePath` (from the root's real path, `/`-separated) is
 * where it really lies in the instrument data. Directories are read concurrently (a bounded number of
 * `readdir`s in flight, each with `withFileTypes`, so only entries that are files or links cost a stat);
 * the files of a directory are stat'ed synchronously in short slices between which the event loop runs: one
 * promise per file cost about twice find's time (bench/README.md, Decisions). Only the directories still to
 * read, the real paths of those read (so that no link leads round a loop) and the files inside the window are
 * held, never the tree's files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Invalid } from '../../errors/catalogue.js';

export interface SessionFileQuery {
  /** The instrument data root (NexusLIMS's `mmfnexus_path`); nothing outside it is ever read or reported. */
  readonly root: string;
  /** The instrument's folder below the root (`filestore_path`); a leading `/` is read as relative. */
  readonly relativePath: string;
  /** The session window; a file counts when from ≤ mtime ≤ to. */
  readonly from: Date;
  readonly to: Date;
  /** File name endings to keep (`dm4`, `.tif`, `tar.gz`; any case), or `'all'` (the default). */
  readonly extensions?: readonly string[] | 'all';
  /**
   * Globs of what to leave out, case-insensitive: `*` and `?` within a name, `**` across folders, `[…]`
   * classes. A glob without `/` matches a name (a file's or a folder's, as find's `-iname`); one with `/`
   * matches the path relative to the root. A matching folder is not read at all.
   */
  readonly ignore?: readonly string[];
  /** How many directories are read at once (default 8). */
  readonly concurrency?: number;
}

export interface SessionFile {
  /** The real absolute path. */
  readonly path: string;
  /** The path relative to the root's real path, `/`-separated. */
  readonly relativePath: string;
  readonly size: number;
  readonly mtime: Date;
  /** The modification time in milliseconds since the epoch, with the file system's sub-millisecond part. */
  readonly mtimeMs: number;
}

export type DiscoveryProblem = 'unreadable' | 'broken-link' | 'outside-root' | 'loop';

/** An entry that was skipped, and why: the record builder logs these. */
export interface DiscoveryWarning {
  /** The entry's path as it was met (a link's own path, not its target). */
  readonly path: string;
  readonly problem: DiscoveryProblem;
  readonly message: string;
}

export interface SessionFiles {
  /** Sorted by mtime (then by relative path). */
  readonly files: readonly SessionFile[];
  /** At most MAX_WARNINGS; `warningsOmitted` counts the rest. */
  readonly warnings: readonly DiscoveryWarning[];
  readonly warningsOmitted: number;
  readonly directoriesRead: number;
}

/** The instrument folder does not resolve to a directory inside the root. */
export class FilestorePathError extends Invalid {
  constructor(
    readonly reason: 'outside-root' | 'missing' | 'not-a-directory',
    readonly relativePath: string,
    detail: string,
  ) {
    super(detail, [{ field: 'filestorePath', message: detail }]);
  }
}

export const MAX_WARNINGS = 1000;

/** Files stat'ed between two turns of the event loop. */
const STAT_SLICE = 512;
const DEFAULT_CONCURRENCY = 8;

/**
 * Finds the files of a session: those under `root/relativePath` modified within [from, to], filtered by
 * extension and ignore globs, sorted by mtime. Throws FilestorePathError when the folder escapes the root or
 * does not exist (a missing mount must not read as "no files"); unreadable entries, broken links, links
 * leading out of the root and link loops are skipped and listed in `warnings`.
 */
export async function findSessionFiles(query: SessionFileQuery): Promise<SessionFiles> {
  const fromMs = query.from.getTime();
  const toMs = query.to.getTime();
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs > toMs)
    throw new Invalid('The session window must have a start no later than its end');
  const concurrency = Math.max(1, Math.floor(query.concurrency ?? DEFAULT_CONCURRENCY));
  const realRoot = await resolveRoot(query.root, query.relativePath);
  const start = await resolveStart(realRoot, query.relativePath);

  const keepName = nameFilter(query.extensions ?? 'all');
  const ignored = ignoreMatcher(query.ignore ?? []);
  const ignoring = (query.ignore ?? []).length > 0;
  const relativeOf = (real: string): string => {
    const relative = path.relative(realRoot, real);
    return path.sep === '/' ? relative : relative.split(path.sep).join('/');
  };

  const found = new Map<string, SessionFile>();
  const warnings: DiscoveryWarning[] = [];
  let warningsOmitted = 0;
  const warn = (where: string, problem: DiscoveryProblem, message: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push({ path: where, problem, message });
    else warningsOmitted++;
  };
  const inWindow = (mtimeMs: number): boolean => mtimeMs >= fromMs && mtimeMs <= toMs;
  const keep = (real: string, stats: fs.Stats): void => {
    if (!inWindow(stats.mtimeMs) || found.has(real)) return;
    found.set(real, {
      path: real,
      relativePath: relativeOf(real),
      size: stats.size,
      mtime: new Date(stats.mtimeMs),
      mtimeMs: stats.mtimeMs,
    });
  };

  // Real paths of the directories read or queued: each is read once, so links cannot loop or double files.
  const visited = new Set<string>([start]);
  const pending: string[] = [start];
  let directoriesRead = 0;

  const followLink = async (dir: string, linkPath: string): Promise<void> => {
    let real: string;
    try {
      real = await fs.promises.realpath(linkPath);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ELOOP') warn(linkPath, 'loop', 'the link resolves to itself');
      else if (code === 'ENOENT') warn(linkPath, 'broken-link', 'the link points at nothing');
      else warn(linkPath, 'unreadable', describe(error));
      return;
    }
    if (!isInside(realRoot, real)) {
      warn(linkPath, 'outside-root', `the link leads out of the instrument data root (to ${real})`);
      return;
    }
    let stats: fs.Stats;
    try {
      stats = await fs.promises.stat(real);
    } catch (error) {
      warn(linkPath, 'unreadable', describe(error));
      return;
    }
    const relative = relativeOf(real);
    if (stats.isDirectory()) {
      if (visited.has(real)) {
        if (isInside(real, dir)) warn(linkPath, 'loop', `the link leads back to ${relative || '.'}`);
        return;
      }
      if (ignored(path.basename(real), relative)) return;
      visited.add(real);
      pending.push(real);
    } else if (stats.isFile()) {
      const name = path.basename(real);
      if (keepName(name) && !ignored(name, relative)) keep(real, stats);
    }
  };

  const readDirectory = async (dir: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(dir, { withFileTypes: true });
    } catch (error) {
      warn(dir, 'unreadable', describe(error));
      return;
    }
    directoriesRead++;
    const dirRelative = relativeOf(dir);
    const prefix = dirRelative === '' ? '' : `${dirRelative}/`;
    const base = dir.endsWith(path.sep) ? dir : dir + path.sep; // dir is a real path: no joining needed
    const links: string[] = [];
    for (let index = 0; index < entries.length; index++) {
      if (index > 0 && index % STAT_SLICE === 0) await nextTurn();
      const entry = entries[index] as fs.Dirent;
      const name = entry.name;
      if (entry.isFile()) {
        if (!keepName(name) || (ignoring && ignored(name, prefix + name))) continue;
        const full = base + name;
        let stats: fs.Stats | undefined;
        try {
          stats = fs.statSync(full, { throwIfNoEntry: false });
        } catch (error) {
          warn(full, 'unreadable', describe(error));
          continue;
        }
        if (stats !== undefined) keep(full, stats); // undefined: removed since the directory was read
      } else if (entry.isDirectory()) {
        if (ignored(name, prefix + name)) continue;
        const full = base + name;
        if (visited.has(full)) continue;
        visited.add(full);
        pending.push(full);
      } else if (entry.isSymbolicLink()) {
        if (!ignored(name, prefix + name)) links.push(base + name);
      }
    }
    for (const link of links) await followLink(dir, link);
  };

  await new Promise<void>((resolve, reject) => {
    let active = 0;
    let failed = false;
    const pump = (): void => {
      while (!failed && active < concurrency && pending.length > 0) {
        const dir = pending.pop() as string;
        active++;
        readDirectory(dir).then(
          () => {
            active--;
            if (active === 0 && pending.length === 0) resolve();
            else pump();
          },
          (error: unknown) => {
            failed = true;
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      }
    };
    pump();
  });

  const files = [...found.values()].sort(
    (a, b) => a.mtimeMs - b.mtimeMs || (a.relativePath < b.relativePath ? -1 : 1),
  );
  return { files, warnings, warningsOmitted, directoriesRead };
}

async function resolveRoot(root: string, relativePath: string): Promise<string> {
  try {
    const real = await fs.promises.realpath(root);
    if ((await fs.promises.stat(real)).isDirectory()) return real;
  } catch {
    // reported below
  }
  throw new FilestorePathError(
    'missing',
    relativePath,
    `The instrument data root ${root} is not a readable directory (is the share mounted?)`,
  );
}

async function resolveStart(realRoot: string, relativePath: string): Promise<string> {
  const wanted = path.resolve(realRoot, relativePath.replace(/^[/\\]+/, ''));
  if (!isInside(realRoot, wanted))
    throw new FilestorePathError(
      'outside-root',
      relativePath,
      `The instrument folder ${relativePath} lies outside the instrument data root`,
    );
  let real: string;
  try {
    real = await fs.promises.realpath(wanted);
  } catch {
    throw new FilestorePathError(
      'missing',
      relativePath,
      `The instrument folder ${relativePath} does not exist under the instrument data root`,
    );
  }
  if (!isInside(realRoot, real))
    throw new FilestorePathError(
      'outside-root',
      relativePath,
      `The instrument folder ${relativePath} leads out of the instrument data root (to ${real})`,
    );
  if (!(await fs.promises.stat(real)).isDirectory())
    throw new FilestorePathError(
      'not-a-directory',
      relativePath,
      `The instrument folder ${relativePath} is not a directory`,
    );
  return real;
}

/** Whether `candidate` is `parent` or lies below it (both absolute and normalized). */
function isInside(parent: string, candidate: string): boolean {
  if (candidate === parent) return true;
  const withSep = parent.endsWith(path.sep) ? parent : parent + path.sep;
  return candidate.startsWith(withSep);
}

/** Keeps every name, or those ending in one of the extensions, ignoring case. */
function nameFilter(extensions: readonly string[] | 'all'): (name: string) => boolean {
  if (extensions === 'all') return () => true;
  const endings = [
    ...new Set(
      extensions
        .map((extension) => extension.trim().replace(/^\.+/, '').toLowerCase())
        .filter((extension) => extension !== '')
        .map((extension) => `.${extension}`),
    ),
  ];
  return (name) => {
    const lower = name.toLowerCase();
    return endings.some((ending) => lower.endsWith(ending) && lower.length > ending.length);
  };
}

/** Tells whether an entry (its name, its path relative to the root) matches an ignore glob. */
function ignoreMatcher(globs: readonly string[]): (name: string, relative: string) => boolean {
  const byName: RegExp[] = [];
  const byPath: RegExp[] = [];
  for (const glob of globs) {
    const trimmed = glob.trim().replace(/^\/+/, '');
    if (trimmed === '') continue;
    (trimmed.includes('/') ? byPath : byName).push(globToRegExp(trimmed));
  }
  if (byName.length === 0 && byPath.length === 0) return () => false;
  return (name, relative) => byName.some((re) => re.test(name)) || byPath.some((re) => re.test(relative));
}

/** A case-insensitive RegExp for a glob: `**` any path, `*` and `?` within a name, `[…]` a class. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          source += '(?:.*/)?'; // `**/` also matches no folder at all
        } else source += '.*';
      } else source += '[^/]*';
    } else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) source += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) body = body.slice(1);
        source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = close;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
