/**
 * A real Cairn ready for the analyses benchmarks (local-jobs, slurm-submit, slurm-latency): compiled
 * `cairn serve` (with its embedded agent for the local resource) on a fresh SQLite data directory, an admin
 * with a token from the CLI, the benchmark's analysis types registered through the API and a project with as
 * many samples as one batch needs. Then: asking for a batch of analyses, waiting for them to leave a set of
 * statuses, and reading them back. For Slurm, a resource registered through the API and served by a real
 * `cairn agent` process with its resource's token.
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnalysisTypeDefinition } from '../../src/modules/compute/analysis-type-definition.js';
import type { AnalysisSummary } from '../../src/modules/compute/analyses.schema.js';
import { prepareJobDirectory } from '../../src/modules/compute/executors/job-directory.js';
import type { JobResources } from '../../src/modules/compute/executors/job-spec.js';
import { BenchmarkFailure } from './benchmark.js';
import {
  cairnCommand,
  createCairnInstance,
  serveCairn,
  type CairnCommand,
  type CairnInstance,
} from './cairn.js';
import { fmt } from './common.js';
import { apiClient, mapConcurrently, type ApiClient } from './http.js';
import { freePort, startBackground, type BackgroundProcess, type ServerProcess } from './servers.js';

const ADMIN_PASSWORD = 'bench-admin-password';
const USER_PASSWORD = 'bench-user-password';

type AnalysisStatus = AnalysisSummary['status'];

export interface AnalysisLab {
  readonly command: CairnCommand;
  readonly instance: CairnInstance;
  readonly cairn: ServerProcess;
  /** The benchmark's admin, who owns the project and asks for the analyses. */
  readonly api: ApiClient;
  readonly sampleIds: readonly string[];
  /** Stops the server and removes the data directory. */
  close(): Promise<void>;
}

export interface AnalysisLabOptions {
  readonly samples: number;
  readonly analysisTypes: readonly AnalysisTypeDefinition[];
  /** Where a V8 CPU profile of the server goes when it stops (BENCH_CPU_PROF=1), if anywhere. */
  readonly cpuProfileDir?: string | undefined;
  readonly log: (message: string) => void;
}

/** The last line a command printed (its answer, after any log lines). */
function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** Starts Cairn and prepares the admin, the analysis types, a project and its samples through the API. */
export async function startAnalysisLab(options: AnalysisLabOptions): Promise<AnalysisLab> {
  const command = cairnCommand(options.log);
  const instance = createCairnInstance(command, { logLevel: 'info', adminPassword: ADMIN_PASSWORD });
  let cairn: ServerProcess | null = null;
  try {
    await instance.cli([
      'user',
      'create',
      '--username',
      'bench',
      '--email',
      'bench@lab.example',
      '--password',
      USER_PASSWORD,
      '--role',
      'admin',
    ]);
    const token = lastLine(await instance.cli(['token', 'create', '--username', 'bench', '--name', 'bench']));
    cairn = await serveCairn(command, instance, {
      port: await freePort(),
      logFile: path.join(instance.dataDir, 'server.log'),
      cpuProfileDir: options.cpuProfileDir,
    });
    const api = apiClient(cairn.origin, token);
    for (const definition of options.analysisTypes) {
      await api.request('POST', '/api/analysis-types', definition);
    }
    const started = performance.now();
    await api.request('POST', '/api/types', { name: 'bench sample', class: 'physical' });
    const project = await api.request<{ id: string }>('POST', '/api/projects', {
      name: 'Benchmark analyses',
      description: 'Samples whose analyses the benchmark asks for.',
      status: 'active',
    });
    const names = Array.from({ length: options.samples }, (_, i) => `bench sample ${i + 1}`);
    const samples = await mapConcurrently(names, 4, (name) =>
      api.request<{ id: string }>('POST', '/api/samples', {
        projectId: project.id,
        name,
        type: 'bench sample',
      }),
    );
    options.log(
      `cairn serving at ${cairn.origin} (pid ${cairn.pid}, ${command.form}) in ${instance.dataDir}; ` +
        `${samples.length} samples made in ${fmt((performance.now() - started) / 1000, 1)} s`,
    );
    const server = cairn;
    return {
      command,
      instance,
      cairn: server,
      api,
      sampleIds: samples.map((sample) => sample.id),
      close: async () => {
        await server.stop();
        instance.remove();
      },
    };
  } catch (error) {
    await cairn?.stop();
    instance.remove();
    throw error;
  }
}

/** What the benchmarks' analysis types ask of a scheduler: the least there is. */
export const TRIVIAL_RESOURCES: JobResources = { cpus: 1, memory: '100M', time: '00:05:00' };

/** A trivial analysis type: no inputs, no outputs, the given command, the smallest resources. */
export function trivialAnalysisType(
  name: string,
  description: string,
  command: string[],
): AnalysisTypeDefinition {
  return {
    name,
    version: '1',
    description,
    command,
    parameters: { type: 'object', properties: {} },
    inputs: { min: 0 },
    outputs: [],
    resources: TRIVIAL_RESOURCES,
  };
}

/**
 * Writes `count` job directories under `root` as the agent writes them for an analysis of `type` (the same
 * `job.sh` and the argument file of its command), for a baseline that runs the same scripts without Cairn.
 */
export async function prepareBaselineJobs(
  root: string,
  count: number,
  type: AnalysisTypeDefinition,
): Promise<string[]> {
  const dirs = Array.from({ length: count }, (_, i) => path.join(root, `job-${i}`));
  for (const dir of dirs) {
    await prepareJobDirectory(dir, {
      jobId: path.basename(dir),
      analysisId: path.basename(dir),
      attempt: 1,
      type: { name: type.name, version: type.version },
      params: {},
      argv: type.command,
      stdoutTo: null,
      toolVersions: {},
      inputs: [],
      outputs: [],
      resources: type.resources,
    });
  }
  return dirs;
}

export interface RequestedBatch {
  readonly analyses: readonly AnalysisSummary[];
  /** `Date.now()` just before the request was sent. */
  readonly requestedAt: number;
  /** `Date.now()` when the answer had arrived. */
  readonly answeredAt: number;
}

/** `POST /api/analyses/batch`: one analysis of `type` per sample, on the resource. */
export async function requestBatch(
  api: ApiClient,
  request: { sampleIds: readonly string[]; analysisType: string; resourceId: string },
): Promise<RequestedBatch> {
  const requestedAt = Date.now();
  const { items } = await api.request<{ items: AnalysisSummary[] }>('POST', '/api/analyses/batch', request);
  const answeredAt = Date.now();
  if (items.length !== request.sampleIds.length) {
    throw new BenchmarkFailure(
      `the batch made ${items.length} analyses for ${request.sampleIds.length} samples`,
    );
  }
  return { analyses: items, requestedAt, answeredAt };
}

/** Whether the resource has an analysis in one of `statuses` (one cheap list request per status). */
async function anyInStatus(
  api: ApiClient,
  resourceId: string,
  statuses: readonly AnalysisStatus[],
): Promise<boolean> {
  for (const status of statuses) {
    const page = await api.request<{ items: AnalysisSummary[] }>(
      'GET',
      `/api/analyses?resourceId=${encodeURIComponent(resourceId)}&status=${status}&limit=1`,
    );
    if (page.items.length > 0) return true;
  }
  return false;
}

/**
 * Polls until none of the resource's analyses is in `statuses`; returns `Date.now()` at the poll that saw it.
 * Throws when `timeoutMs` passes first, with `describe()`'s words (e.g. the agent's log) in the message.
 */
export async function waitUntilNoneIn(
  api: ApiClient,
  resourceId: string,
  statuses: readonly AnalysisStatus[],
  options: { pollMs: number; timeoutMs: number; what: string; describe?: () => string },
): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (!(await anyInStatus(api, resourceId, statuses))) return Date.now();
    if (Date.now() > deadline) {
      throw new BenchmarkFailure(
        `${options.what} did not happen within ${fmt(options.timeoutMs / 1000)} s` +
          (options.describe === undefined ? '' : `\n${options.describe()}`),
      );
    }
    await sleep(options.pollMs);
  }
}

/** Every analysis of the resource (newest first), all pages. */
export async function listAnalysesOf(api: ApiClient, resourceId: string): Promise<AnalysisSummary[]> {
  const all: AnalysisSummary[] = [];
  let cursor: string | null = null;
  do {
    const query: string =
      `/api/analyses?resourceId=${encodeURIComponent(resourceId)}&limit=200` +
      (cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`);
    const page: { items: AnalysisSummary[]; nextCursor: string | null } = await api.request('GET', query);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
}

/** The analyses of a batch as they are now; fails unless every one of them has `status`. */
export async function readBatch(
  api: ApiClient,
  resourceId: string,
  batch: RequestedBatch,
  expected: readonly AnalysisStatus[],
): Promise<AnalysisSummary[]> {
  const ids = new Set(batch.analyses.map((analysis) => analysis.id));
  const found = (await listAnalysesOf(api, resourceId)).filter((analysis) => ids.has(analysis.id));
  const unexpected = found.filter((analysis) => !expected.includes(analysis.status));
  if (found.length !== ids.size || unexpected.length > 0) {
    const counts = new Map<string, number>();
    for (const analysis of found) counts.set(analysis.status, (counts.get(analysis.status) ?? 0) + 1);
    const example = unexpected[0];
    throw new BenchmarkFailure(
      `expected all ${ids.size} analyses ${expected.join(' or ')}, found ${found.length}: ` +
        `${[...counts].map(([status, count]) => `${count} ${status}`).join(', ')}` +
        (example === undefined
          ? ''
          : `; e.g. ${example.id}: ${JSON.stringify(
              await api.request('GET', `/api/analyses/${example.id}`),
            ).slice(0, 1500)}`),
    );
  }
  return found;
}

export interface ResourceAgent {
  readonly resourceId: string;
  readonly resourceName: string;
  /** The agent process's id (for its CPU time). */
  readonly pid: number;
  /** How often the agent polls the scheduler (`--poll-ms`). */
  readonly pollMs: number;
  /** The agent's log so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Registers a Slurm resource through the API, issues its agent token (`POST /api/hpc-resources/:id/agent-tokens`)
 * and starts `cairn agent` for it as a process of its own, as beside a cluster; resolves once it serves.
 */
export async function startSlurmAgent(
  lab: AnalysisLab,
  options: { name: string; pollMs: number; cpuProfileDir?: string | undefined },
): Promise<ResourceAgent> {
  const resource = await lab.api.request<{ id: string }>('POST', '/api/hpc-resources', {
    name: options.name,
    description: 'The one-node Slurm cluster of this machine, for benchmarks',
    type: 'slurm',
  });
  const { token } = await lab.api.request<{ token: string }>(
    'POST',
    `/api/hpc-resources/${resource.id}/agent-tokens`,
    { name: `agent of ${options.name}` },
  );
  const agent: BackgroundProcess = startBackground({
    nodeArgs: [
      ...(options.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir]),
      ...lab.command.nodeArgs,
      'agent',
      '--server',
      lab.cairn.origin,
      '--resource',
      options.name,
      '--work-dir',
      path.join(lab.instance.dataDir, `agent-${resource.id}`),
      '--poll-ms',
      String(options.pollMs),
    ],
    env: { ...lab.instance.env, CAIRN_AGENT_TOKEN: token },
    logFile: path.join(lab.instance.dataDir, `agent-${resource.id}.log`),
  });
  const deadline = Date.now() + 60_000;
  while (!/ serves /.test(agent.output())) {
    const exited = agent.exited();
    if (exited !== null || Date.now() > deadline) {
      await agent.stop();
      throw new BenchmarkFailure(
        `cairn agent ${exited === null ? 'did not start within 60 s' : `exited (${exited.code ?? exited.signal})`}:\n${agent.output().slice(-2000)}`,
      );
    }
    await sleep(100);
  }
  return {
    resourceId: resource.id,
    resourceName: options.name,
    pid: agent.pid,
    pollMs: options.pollMs,
    output: () => agent.output(),
    stop: () => agent.stop(),
  };
}
