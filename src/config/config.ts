/**
 * Configuration: read once from the environment at start, validated, frozen and passed in.
 * A bad value stops start-up with a message naming the variable. Every variable is listed in the README.
 */
import fs from 'node:fs';
import path from 'node:path';

export type DatabaseDialect = 'sqlite' | 'postgres';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** postgres://… when set; otherwise the embedded SQLite file in dataDir. */
  readonly databaseUrl: string | null;
  readonly dialect: DatabaseDialect;
  readonly sqlitePath: string;
  readonly filesDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly bodyLimitBytes: number;
  /** Largest CSV or JSON body of an import (`POST /api/imports/…`). */
  readonly importLimitBytes: number;
  /** Largest single uploaded file. */
  readonly uploadLimitBytes: number;
  /** An upload whose client sends nothing for this long is abandoned (408). */
  readonly uploadIdleSeconds: number;
  /** Temp files of uploads untouched for this long are removed (at start and hourly). */
  readonly abandonedUploadHours: number;
  readonly sessionTtlHours: number;
  readonly secureCookies: boolean;
  readonly loginMaxFailures: number;
  readonly loginWindowMinutes: number;
  readonly workerConcurrency: number;
  readonly workerPollMs: number;
  readonly taskLeaseSeconds: number;
  /** An HPC resource whose agent has sent no heartbeat for this long is answered as offline. */
  readonly agentStaleSeconds: number;
  /** Where agents make their jobs' work directories (`<jobsDir>/<resource>/<jobId>`). */
  readonly jobsDir: string;
  /** How often an agent polls its scheduler and looks for queued jobs. */
  readonly agentPollMs: number;
  /** Where instruments write their data: every instrument's `filestore_path` lies inside it. */
  readonly instrumentDataDir: string;
  /** The NEMO servers whose usage events become sessions (CAIRN_NEMO_SERVERS, a JSON array). */
  readonly nemoServers: readonly NemoServerConfig[];
  /** The status of a harvested session without a reservation or answers of its own. */
  readonly nemoWithoutReservation: 'NO_RESERVATION' | 'TO_BE_BUILT';
  /** How data consent is read: only an agreement allows a record, only a refusal stops one, or not at all. */
  readonly nemoConsent: 'opt-in' | 'opt-out' | 'ignored';
  /** How long after a session's end its files may still arrive before it is NO_FILES_FOUND. */
  readonly recordNoFilesDelayHours: number;
  /** Activity clustering sensitivity (0: one activity per session). */
  readonly recordClusterSensitivity: number;
  /** The file extensions records take (lower case, no dot), or every file. */
  readonly recordExtensions: readonly string[] | 'all';
  /** Globs of files and folders records never take. */
  readonly recordIgnore: readonly string[];
  readonly adminPassword: string | null;
  /** A lab's own analysis type definitions (`*.json`), loaded at start beside the built-ins; null when unset. */
  readonly analysisTypesDir: string | null;
  readonly webDir: string;
  /** Where the BLAST databases are written (shared by every process that updates or searches them). */
  readonly blastDir: string;
  /** The folder of the BLAST+ programs (makeblastdb, blastn, …); null: found on PATH. */
  readonly blastBinDir: string | null;
  /** A sequence search that runs longer is stopped and answered 503. */
  readonly blastTimeoutSeconds: number;
}

/** A NEMO server to harvest: its API base, a token, its time zone and (if it overrides ISO 8601) its date format. */
export interface NemoServerConfig {
  readonly address: string;
  readonly token: string;
  readonly timezone: string;
  readonly dateFormat?: string | undefined;
}

export class ConfigError extends Error {}

function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** A comma-separated list (`tif,dm3,dm4`), or null when unset. */
function readList(env: Env, name: string): string[] | null {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'all') return null;
  return raw
    .split(',')
    .map((entry) => entry.trim().replace(/^\./, '').toLowerCase())
    .filter((entry) => entry !== '');
}

function readSensitivity(env: Env): number {
  const raw = env.CAIRN_RECORD_CLUSTER_SENSITIVITY;
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new ConfigError(`CAIRN_RECORD_CLUSTER_SENSITIVITY must be a number from 0 to 100, got "${raw}"`);
  }
  return value;
}

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function readNemoServers(env: Env): NemoServerConfig[] {
  const raw = env.CAIRN_NEMO_SERVERS;
  if (raw === undefined || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      'CAIRN_NEMO_SERVERS must be a JSON array of {address, token, timezone, dateFormat?}',
    );
  }
  if (!Array.isArray(parsed)) throw new ConfigError('CAIRN_NEMO_SERVERS must be a JSON array');
  return parsed.map((entry: unknown, index) => {
    const where = `CAIRN_NEMO_SERVERS[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new ConfigError(`${where} must be an object`);
    const { address, token, timezone, dateFormat } = entry as Record<string, unknown>;
    if (typeof address !== 'string' || !/^https?:\/\//.test(address)) {
      throw new ConfigError(`${where}.address must be the server's http(s) API address`);
    }
    if (typeof token !== 'string' || token === '') throw new ConfigError(`${where}.token must be a token`);
    if (typeof timezone !== 'string' || !isZone(timezone)) {
      throw new ConfigError(`${where}.timezone must be an IANA time zone`);
    }
    if (dateFormat !== undefined && typeof dateFormat !== 'string') {
      throw new ConfigError(`${where}.dateFormat must be a strptime format`);
    }
    return { address, token, timezone, dateFormat };
  });
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** A folder that must exist when the variable is set: a typo should stop start-up, not hide the lab's types. */
function readDirectory(env: Env, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const directory = path.resolve(raw);
  let isDirectory = false;
  try {
    isDirectory = fs.statSync(directory).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw new ConfigError(`${name} must be an existing folder, got "${raw}"`);
  return directory;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the configuration; `overrides` win over the environment (tests, CLI flags). */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = path.resolve(env.CAIRN_DATA_DIR || './data');
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must start with postgres:// (got "${databaseUrl.split(':')[0]}:…")`);
  }
  const logLevel = (env.CAIRN_LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`CAIRN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const config: Config = {
    port: readInt(env, 'CAIRN_PORT', 8080, 0, 65535),
    host: env.CAIRN_HOST || '0.0.0.0',
    dataDir,
    databaseUrl,
    dialect: databaseUrl ? 'postgres' : 'sqlite',
    sqlitePath: path.join(dataDir, 'cairn.db'),
    filesDir: path.join(dataDir, 'files'),
    logLevel,
    bodyLimitBytes: readInt(env, 'CAIRN_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    importLimitBytes: readInt(env, 'CAIRN_IMPORT_LIMIT_BYTES', 100 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    uploadLimitBytes: readInt(env, 'CAIRN_UPLOAD_LIMIT_BYTES', 100 * 1024 * 1024, 1, 64 * 1024 * 1024 * 1024),
    uploadIdleSeconds: readInt(env, 'CAIRN_UPLOAD_IDLE_SECONDS', 30, 1, 3600),
    abandonedUploadHours: readInt(env, 'CAIRN_ABANDONED_UPLOAD_HOURS', 24, 1, 24 * 365),
    sessionTtlHours: readInt(env, 'CAIRN_SESSION_TTL_HOURS', 12, 1, 24 * 365),
    secureCookies: readBool(env, 'CAIRN_SECURE_COOKIES', false),
    loginMaxFailures: readInt(env, 'CAIRN_LOGIN_MAX_FAILURES', 10, 1, 10_000),
    loginWindowMinutes: readInt(env, 'CAIRN_LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    workerConcurrency: readInt(env, 'CAIRN_WORKER_CONCURRENCY', 2, 0, 64),
    workerPollMs: readInt(env, 'CAIRN_WORKER_POLL_MS', 1000, 10, 60_000),
    taskLeaseSeconds: readInt(env, 'CAIRN_TASK_LEASE_SECONDS', 300, 1, 24 * 3600),
    agentStaleSeconds: readInt(env, 'CAIRN_AGENT_STALE_SECONDS', 60, 1, 24 * 3600),
    jobsDir: path.resolve(env.CAIRN_JOBS_DIR || path.join(dataDir, 'jobs')),
    agentPollMs: readInt(env, 'CAIRN_AGENT_POLL_MS', 1000, 50, 600_000),
    instrumentDataDir: path.resolve(env.CAIRN_INSTRUMENT_DATA_DIR || path.join(dataDir, 'instrument-data')),
    nemoServers: readNemoServers(env),
    nemoWithoutReservation: readChoice(
      env,
      'CAIRN_NEMO_WITHOUT_RESERVATION',
      ['NO_RESERVATION', 'TO_BE_BUILT'] as const,
      'NO_RESERVATION',
    ),
    nemoConsent: readChoice(env, 'CAIRN_NEMO_CONSENT', ['opt-in', 'opt-out', 'ignored'] as const, 'opt-in'),
    recordNoFilesDelayHours: readInt(env, 'CAIRN_RECORD_NO_FILES_DELAY_HOURS', 48, 0, 24 * 365),
    recordClusterSensitivity: readSensitivity(env),
    recordExtensions: readList(env, 'CAIRN_RECORD_EXTENSIONS') ?? 'all',
    recordIgnore: readList(env, 'CAIRN_RECORD_IGNORE') ?? [],
    adminPassword: env.CAIRN_ADMIN_PASSWORD || null,
    analysisTypesDir: readDirectory(env, 'CAIRN_ANALYSIS_TYPES_DIR'),
    webDir: path.resolve(env.CAIRN_WEB_DIR || path.join(import.meta.dirname, '../../web/dist')),
    blastDir: path.resolve(env.CAIRN_BLAST_DIR || path.join(dataDir, 'blast')),
    blastBinDir: env.CAIRN_BLAST_BIN_DIR ? path.resolve(env.CAIRN_BLAST_BIN_DIR) : null,
    blastTimeoutSeconds: readInt(env, 'CAIRN_BLAST_TIMEOUT_SECONDS', 120, 1, 24 * 3600),
    ...overrides,
  };
  return Object.freeze(config);
}
