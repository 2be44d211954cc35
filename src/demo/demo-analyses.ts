/**
 * The demo's analyses: three knockout pools of the yeast project get sequencing files, a member of the project
 * asks for analyses of the built-in types on them, and an embedded agent of the local resource runs them as real
 * child processes until they have ended: checksums, seqkit statistics and a subsample that complete, and a
 * subsample of a truncated FASTQ that fails with seqkit's error in its log. Everything goes through the services
 * people's requests use. Idempotent: files already attached and analyses already asked for (by type and
 * sample) are not added again. Without seqkit only the checksum, which needs coreutils alone, is asked for.
 */
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import { FileStore } from '../files/file-store.js';
import { actorFor } from '../modules/accounts/accounts.service.js';
import type { Actor } from '../modules/accounts/actor.js';
import type { AgentLog } from '../modules/compute/agent/agent.js';
import { startEmbeddedAgents } from '../modules/compute/agent/embedded-agents.js';
import type { AnalysisSummary } from '../modules/compute/analyses.schema.js';
import { createAnalyses, getAnalysis, listAnalyses } from '../modules/compute/analyses.service.js';
import { listAllResources, type HeartbeatPolicy } from '../modules/compute/hpc-resources.service.js';
import { attachFiles, listItemFiles } from '../modules/inventory/item-files.service.js';
import { listProjectSamples } from '../modules/samples/samples.service.js';
import { demoFastq, demoReferenceFasta } from './demo-reads.js';

/** What running the demo's analyses needs: the database, where files and jobs go, and a log for the agent. */
export interface DemoAnalysesContext {
  readonly db: Db;
  readonly config: Config;
  readonly log: AgentLog;
}

export interface DemoAnalysesSummary {
  /** Analyses asked for and run by this load (none on a second run). */
  run: number;
  completed: number;
  failed: number;
  /** The failed analyses, as `type of sample`. */
  failures: string[];
  /** Asked for but not ended when the demo stopped waiting (left to `cairn serve`'s agent). */
  unfinished: number;
  /** Why some or all analyses were left out: seqkit is missing, or no local resource is online; else null. */
  skipped: 'no-seqkit' | 'no-local-resource' | null;
}

/** The member of the yeast project who sequenced the pools and asks for their analyses. */
const ANALYST = 'bob';

const SAMPLE_FILES: Record<string, Array<{ name: string; content: () => string; type: string }>> = {
  'Knockout pool 17': [
    {
      name: 'knockout-pool-17_R1.fastq',
      content: () => demoFastq({ prefix: 'KP17', seed: 17, count: 400, length: 100 }),
      type: 'text/plain',
    },
  ],
  'Knockout pool 18': [
    {
      name: 'knockout-pool-18_R1.fastq',
      content: () => demoFastq({ prefix: 'KP18', seed: 18, count: 250, length: 120 }),
      type: 'text/plain',
    },
    { name: 'reporter-references.fasta', content: demoReferenceFasta, type: 'text/x-fasta' },
  ],
  'Knockout pool 19': [
    {
      name: 'knockout-pool-19_R1.fastq',
      content: () => demoFastq({ prefix: 'KP19', seed: 19, count: 300, length: 100, truncated: true }),
      type: 'text/plain',
    },
  ],
};

interface PlannedAnalysis {
  type: string;
  samples: string[];
  params?: Record<string, unknown>;
  needsSeqkit: boolean;
}

const PLAN: PlannedAnalysis[] = [
  { type: 'checksum', samples: ['Knockout pool 17'], needsSeqkit: false },
  { type: 'seqkit-stats', samples: ['Knockout pool 17', 'Knockout pool 18'], needsSeqkit: true },
  {
    type: 'fastq-subsample',
    samples: ['Knockout pool 17'],
    params: { proportion: 0.25 },
    needsSeqkit: true,
  },
  // Its FASTQ ends inside a quality line: seqkit stops with "unequal sequence and quality".
  {
    type: 'fastq-subsample',
    samples: ['Knockout pool 19'],
    params: { proportion: 0.25 },
    needsSeqkit: true,
  },
];

const ENDED: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);
/** How long the demo waits for its analyses; a few seconds is usual. */
const WAIT_LIMIT_MS = 5 * 60_000;
const WAIT_STEP_MS = 200;

/** Whether `program` is an executable file on the PATH (the local executor runs programs from it). */
async function onPath(program: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    try {
      await access(path.join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** The demo samples by name (those of SAMPLE_FILES that the project has). */
async function findDemoSamples(db: Db, analyst: Actor, projectId: string): Promise<Map<string, string>> {
  const page = await listProjectSamples(db, analyst, projectId, { q: 'Knockout pool', limit: 200 });
  return new Map(
    page.items.filter((sample) => sample.name in SAMPLE_FILES).map((sample) => [sample.name, sample.id]),
  );
}

/** Attaches the demo files a sample does not have yet (by name), through the inventory's file service. */
async function attachDemoFiles(
  db: Db,
  files: FileStore,
  config: Config,
  analyst: Actor,
  samples: ReadonlyMap<string, string>,
): Promise<void> {
  for (const [sampleName, sampleId] of samples) {
    const present = new Set((await listItemFiles(db, analyst, sampleId)).map((file) => file.name));
    const missing = (SAMPLE_FILES[sampleName] ?? []).filter((file) => !present.has(file.name));
    if (missing.length === 0) continue;
    const uploads = missing.map((file) => ({
      stream: Readable.from([Buffer.from(file.content())]),
      filename: file.name,
      mimetype: file.type,
    }));
    await attachFiles(db, files, analyst, sampleId, Readable.from(uploads), config.uploadLimitBytes);
  }
}

/** Waits until the analyses have ended or the wait limit has passed; returns them as last read. */
async function waitForEndings(db: Db, analyst: Actor, ids: readonly string[]): Promise<AnalysisSummary[]> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const analyses = await Promise.all(ids.map((id) => getAnalysis(db, analyst, id)));
    if (analyses.every((analysis) => ENDED.has(analysis.status)) || Date.now() >= deadline) return analyses;
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

/**
 * Gives the demo samples their files, asks for the demo analyses not asked for yet, and runs the local
 * resource's embedded agent until they have ended (if `cairn serve` already serves the resource, its agent runs
 * them and the demo waits for it). `yeastProjectId` is the demo's yeast project; without it nothing is done.
 */
export async function runDemoAnalyses(
  context: DemoAnalysesContext,
  yeastProjectId: string | null,
): Promise<DemoAnalysesSummary> {
  const { db, config, log } = context;
  const summary: DemoAnalysesSummary = {
    run: 0,
    completed: 0,
    failed: 0,
    failures: [],
    unfinished: 0,
    skipped: null,
  };
  if (yeastProjectId === null) return summary;
  const analyst = await actorFor(db, ANALYST);
  const files = new FileStore(config.filesDir);
  const samples = await findDemoSamples(db, analyst, yeastProjectId);
  await attachDemoFiles(db, files, config, analyst, samples);

  const policy: HeartbeatPolicy = { staleSeconds: config.agentStaleSeconds };
  const resources = await listAllResources(db, policy);
  if (!resources.some((resource) => resource.type === 'local' && resource.status === 'online')) {
    return { ...summary, skipped: 'no-local-resource' };
  }
  const hasSeqkit = await onPath('seqkit');
  if (!hasSeqkit) summary.skipped = 'no-seqkit';
  const existing = await listAnalyses(db, analyst, { projectId: yeastProjectId, limit: 200 });
  const asked = new Set(
    existing.items.map((analysis) => `${analysis.analysisType.name} ${analysis.sampleId}`),
  );
  const created = await inTransaction(db, async (trx) => {
    const made: AnalysisSummary[] = [];
    for (const planned of PLAN) {
      if (planned.needsSeqkit && !hasSeqkit) continue;
      const sampleIds = planned.samples
        .map((name) => samples.get(name))
        .filter((id): id is string => id !== undefined && !asked.has(`${planned.type} ${id}`));
      if (sampleIds.length === 0) continue;
      const request = {
        analysisType: planned.type,
        sampleIds,
        ...(planned.params && { params: planned.params }),
      };
      made.push(...(await createAnalyses(trx, analyst, request, policy)));
    }
    return made;
  });
  // Analyses an interrupted earlier load left unfinished are waited for too, but counted there.
  const waitFor = [
    ...created.map((analysis) => analysis.id),
    ...existing.items.filter((analysis) => !ENDED.has(analysis.status)).map((analysis) => analysis.id),
  ];
  if (waitFor.length === 0) return summary;

  const agents = await startEmbeddedAgents({ db, files, config, log });
  let ended: AnalysisSummary[];
  try {
    agents.wake([...new Set(created.map((analysis) => analysis.resource.id))]);
    ended = await waitForEndings(db, analyst, waitFor);
  } finally {
    await agents.stop();
  }
  const createdIds = new Set(created.map((analysis) => analysis.id));
  summary.run = created.length;
  for (const analysis of ended.filter((candidate) => createdIds.has(candidate.id))) {
    if (analysis.status === 'completed') summary.completed++;
    else if (analysis.status === 'failed' || analysis.status === 'cancelled') {
      summary.failed++;
      summary.failures.push(`${analysis.analysisType.name} of ${analysis.sampleName}`);
    } else summary.unfinished++;
  }
  return summary;
}

/** One line for the demo's output: how many analyses ran and how they ended. */
export function describeDemoAnalyses(summary: DemoAnalysesSummary): string {
  if (summary.skipped === 'no-local-resource') return 'demo analyses: none run, no local resource is online';
  const skipped =
    summary.skipped === 'no-seqkit' ? ' (seqkit is not installed: only the checksum was asked for)' : '';
  if (summary.run === 0) return 'demo analyses: none run, all were there already';
  const endings = [`${summary.completed} completed`, `${summary.failed} failed`];
  if (summary.unfinished > 0)
    endings.push(`${summary.unfinished} still running (cairn serve carries them on)`);
  const failures = summary.failures.length === 0 ? '' : ` (${summary.failures.join(', ')}: see the log)`;
  return `demo analyses: ${summary.run} run on the local resource: ${endings.join(', ')}${failures}${skipped}`;
}
