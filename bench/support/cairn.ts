/**
 * A real Cairn for benchmarks: the CLI and server as separate processes on a fresh SQLite data directory.
 *
 * Cairn runs compiled (tsc into node_modules/.cache/cairn-bench/<checkout>/dist, once per run) as in production; if
 * the sources do not compile it falls back to tsx, which transpiles at start-up only. The private output
 * directory leaves the checkout's dist/ alone (bin/cairn.js prefers dist/ when it exists).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, runNode, startServer, TSX, type ServerProcess } from './servers.js';

export interface CairnCommand {
  /** Node arguments that run the `cairn` CLI. */
  readonly nodeArgs: readonly string[];
  readonly form: 'compiled' | 'tsx';
  /** Why tsx was used, when it was. */
  readonly note: string | null;
}

// One build per checkout, so that checkouts sharing node_modules (a symlink) do not overwrite each other.
const BUILD_DIR = path.join(
  REPO_ROOT,
  'node_modules',
  '.cache',
  'cairn-bench',
  createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 8),
  'dist',
);
let prepared: CairnCommand | null = null;

/** Compiles the server once per run (about 5 s) and returns how to run the CLI. */
export function cairnCommand(log: (message: string) => void): CairnCommand {
  if (prepared !== null) return prepared;
  log(`compiling the server (tsc -p tsconfig.build.json) into ${path.relative(REPO_ROOT, BUILD_DIR)}`);
  fs.rmSync(path.dirname(BUILD_DIR), { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      BUILD_DIR,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  const main = path.join(BUILD_DIR, 'cli', 'main.js');
  if (tsc.status === 0 && fs.existsSync(main)) {
    // The built-in analysis types and the record schema are found beside the build, as `analysis-types/` and
    // `schemas/` are beside `dist/`.
    for (const folder of ['analysis-types', 'schemas'])
      fs.cpSync(path.join(REPO_ROOT, folder), path.join(path.dirname(BUILD_DIR), folder), {
        recursive: true,
      });
    prepared = { nodeArgs: [main], form: 'compiled', note: null };
  } else {
    const reason =
      (tsc.stdout + tsc.stderr).trim().split('\n').slice(0, 5).join('\n') || `tsc exited ${tsc.status}`;
    log(`the server does not compile; running it through tsx instead:\n${reason}`);
    prepared = {
      nodeArgs: [...TSX, path.join(REPO_ROOT, 'src', 'cli', 'main.ts')],
      form: 'tsx',
      note: reason,
    };
  }
  return prepared;
}

/** Where Cairn's modules are for a benchmark child that calls services in-process (bench/support/child.ts). */
export interface CairnModules {
  /** A directory laid out as src/, holding `.js` modules (compiled), or src/ itself (run through tsx). */
  readonly root: string;
  readonly form: 'compiled' | 'tsx';
  /** Why tsx was used, when it was. */
  readonly note: string | null;
}

/** The compiled modules (the same build as the server's), or the sources through tsx when they do not compile. */
export function cairnModules(log: (message: string) => void): CairnModules {
  const command = cairnCommand(log);
  return command.form === 'compiled'
    ? { root: BUILD_DIR, form: 'compiled', note: null }
    : { root: path.join(REPO_ROOT, 'src'), form: 'tsx', note: command.note };
}

export interface CairnInstance {
  readonly dataDir: string;
  /** The environment of every process of this instance (CLI and server). */
  readonly env: NodeJS.ProcessEnv;
  readonly logLevel: string;
  /** Runs `cairn <args>` and returns its standard output. */
  cli(args: readonly string[]): Promise<string>;
  /** Removes the data directory. */
  remove(): void;
}

/** A fresh data directory on SQLite, and the environment that points Cairn at it. */
export function createCairnInstance(
  command: CairnCommand,
  options: { logLevel: string; adminPassword: string },
): CairnInstance {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CAIRN_DATA_DIR: dataDir,
    CAIRN_ADMIN_PASSWORD: options.adminPassword,
    CAIRN_LOG_LEVEL: options.logLevel,
    CAIRN_HOST: '127.0.0.1',
    // The built web UI, wherever the compiled server lives (the default is relative to its own files).
    CAIRN_WEB_DIR: path.join(REPO_ROOT, 'web', 'dist'),
    NODE_ENV: 'production',
  };
  delete env.DATABASE_URL; // SQLite, always
  delete env.CAIRN_PORT;
  return {
    dataDir,
    env,
    logLevel: options.logLevel,
    cli: async (args) => (await runNode([...command.nodeArgs, ...args], env)).stdout,
    remove: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** `cairn serve --no-worker` in its own process, stdout and stderr (the log) to `logFile`. */
export function serveCairn(
  command: CairnCommand,
  instance: CairnInstance,
  options: { port: number; logFile: string; cpuProfileDir?: string | undefined },
): Promise<ServerProcess> {
  const profile =
    options.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir];
  return startServer({
    name: 'cairn',
    nodeArgs: [...profile, ...command.nodeArgs, 'serve', '--port', String(options.port), '--no-worker'],
    env: instance.env,
    port: options.port,
    readyPath: '/api/health',
    logFile: options.logFile,
  });
}
