/**
 * Jobs as their agents see them (seed: HPCJobs, and the seed's "HPC app" reporting back): an agent serving a
 * resource claims queued jobs under a lease it renews with its heartbeats, reports each state change, hands
 * over the outputs and logs, and after a restart adopts the jobs it (or a vanished agent) left unfinished.
 * Two agents never hold the same job: claims and adoptions take rows under the write lock (SKIP LOCKED on
 * PostgreSQL), and every report is refused unless it comes from the job's holder.
 *
 * The embedded agent of `cairn serve` calls these functions in-process (actor null, the system); an agent
 * beside a cluster calls them through the agent routes with a token of a machine account that is an agent of
 * the resource.
 */
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { newId, nowIso } from '../../db/columns.js';
import { inTransaction } from '../../db/transaction.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../errors/catalogue.js';
import type { FileStore } from '../../files/file-store.js';
import type { Actor } from '../accounts/actor.js';
import { recordChanges, type AuditActor } from '../audit/audit.service.js';
import { openFileContent } from '../inventory/item-files.service.js';
import * as repo from './analyses.repository.js';
import { recordJobEnding } from './analyses.service.js';
import { analysisAuditView, jobAuditView, specOf } from './analysis-views.js';
import type { HpcResource } from './compute.schema.js';
import type { JobObservation } from './executors/executor.js';
import { outputPatternToRegExp } from './executors/job-directory.js';
import type { JobSpec } from './executors/job-spec.js';
import {
  getResource,
  getResourceByName,
  recordHeartbeat,
  type HeartbeatPolicy,
} from './hpc-resources.service.js';

/** An agent at work: who it acts as in the audit trail, its instance id, and the resource it serves. */
export interface AgentSession {
  readonly actor: AuditActor | null;
  readonly agentId: string;
  readonly resource: HpcResource;
  /** How long a claim or heartbeat holds the agent's jobs. */
  readonly leaseSeconds: number;
}

/** A job as its agent is given it. */
export interface AgentJob {
  spec: JobSpec;
  status: repo.JobRow['status'];
  externalId: string | null;
  cancelRequested: boolean;
  /**
   * An agent held the job before and may have submitted it without reporting so (it was killed in between):
   * the scheduler must be asked for it by name before it is submitted again.
   */
  mayHaveBeenSubmitted: boolean;
}

/** What an agent reports of a job. */
export type JobReport =
  | { kind: 'submitted'; externalId: string }
  | { kind: 'running'; externalId?: string | undefined; schedulerState: string; startedAt: string | null }
  | (Extract<JobObservation, { phase: 'ended' }> & {
      kind: 'ended';
      externalId?: string | undefined;
      stdoutTail: string;
      stderrTail: string;
      toolVersions: Record<string, string>;
    });

const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/**
 * Opens an agent's session for a resource (named by an agent beside a cluster, by id for the embedded agent). `actor` null is the embedded agent (trusted);
 * otherwise the actor must be a machine account that is an agent of this resource (403 otherwise, and 404 for
 * a resource that does not exist).
 */
export async function openAgentSession(
  db: Db,
  actor: Actor | null,
  resourceRef: { name: string } | { id: string },
  agentId: string,
  policy: HeartbeatPolicy,
): Promise<AgentSession> {
  if (!AGENT_ID.test(agentId)) {
    throw new Invalid('The agent id must be 1-100 letters, digits, dots, dashes, colons or underscores', [
      { field: 'agentId', message: 'is not an agent id' },
    ]);
  }
  if (actor !== null && actor.isAgent !== true) {
    throw new Forbidden('Only an agent account of the resource reaches the agent routes');
  }
  const resource =
    'id' in resourceRef
      ? await getResource(db, resourceRef.id, policy)
      : await getResourceByName(db, resourceRef.name, policy);
  if (actor !== null && !(await repo.isAgentOfResource(db, actor.id, resource.id))) {
    throw new Forbidden(`This account is not an agent of the HPC resource ${resource.name}`);
  }
  return { actor, agentId, resource, leaseSeconds: policy.staleSeconds };
}

function leaseUntil(session: AgentSession, from = Date.now()): string {
  return new Date(from + session.leaseSeconds * 1000).toISOString();
}

function toAgentJob(row: repo.JobRow, heldBefore: boolean): AgentJob {
  return {
    spec: specOf(row),
    status: row.status,
    externalId: row.external_id,
    cancelRequested: row.cancel_requested_at !== null,
    mayHaveBeenSubmitted: heldBefore && row.external_id === null,
  };
}

/**
 * The agent is alive: its resource's heartbeat is noted (agents beside a cluster), the leases of its jobs are
 * renewed, the tails of running jobs' logs are kept, and it is told which of its jobs to cancel.
 */
export async function heartbeat(
  trx: Db,
  session: AgentSession,
  tails: readonly { jobId: string; stdoutTail: string; stderrTail: string }[],
): Promise<{ cancel: string[] }> {
  if (session.actor !== null) await recordHeartbeat(trx, session.resource.id, new Date());
  const cancel = await repo.renewLeases(trx, session.agentId, leaseUntil(session));
  for (const tail of tails) {
    const job = await repo.findJob(trx, tail.jobId);
    if (job && job.lease_owner === session.agentId && !ENDED.has(job.status)) {
      await repo.updateJob(trx, job.id, { stdout_tail: tail.stdoutTail, stderr_tail: tail.stderrTail });
    }
  }
  return { cancel };
}

/** Takes up to `limit` queued jobs of the agent's resource; none while the resource is draining or offline. */
export async function claimJobs(trx: Db, session: AgentSession, limit: number): Promise<AgentJob[]> {
  if (session.resource.status !== 'online' || limit < 1) return [];
  const { jobs, heldBefore } = await repo.claimQueuedJobs(
    trx,
    session.resource.id,
    session.agentId,
    nowIso(),
    leaseUntil(session),
    limit,
  );
  return jobs.map((row) => toAgentJob(row, heldBefore.has(row.id)));
}

/** The unended jobs the agent should carry on with after it starts (see the repository's `adoptJobs`). */
export async function adoptJobs(trx: Db, session: AgentSession): Promise<AgentJob[]> {
  const rows = await repo.adoptJobs(trx, session.resource.id, session.agentId, nowIso(), leaseUntil(session));
  return rows.map((row) => toAgentJob(row, true));
}

const ENDED = new Set<string>(repo.ENDED_JOB_STATUSES);

/** The job, locked, if the agent holds it; NotFound for a job of another resource, 409 for another's job. */
async function requireHeldJob(
  trx: Db,
  session: AgentSession,
  jobId: string,
  lock = true,
): Promise<repo.JobRow> {
  const job = lock ? await repo.findJobForUpdate(trx, jobId) : await repo.findJob(trx, jobId);
  if (!job || job.resource_id !== session.resource.id) throw new NotFound('Job', jobId);
  if (job.lease_owner !== session.agentId && !ENDED.has(job.status)) {
    throw new Conflict(`Job ${jobId} is held by another agent`);
  }
  return job;
}

/**
 * Records what the agent saw of a job. Reports are idempotent and only move a job forward (queued →
 * submitted → running → ended): a repeated or late report changes nothing. An ending reported `completed`
 * whose required outputs were not handed over is recorded as failed, saying which output is missing.
 */
export async function reportJob(
  trx: Db,
  session: AgentSession,
  jobId: string,
  report: JobReport,
): Promise<{ status: repo.JobRow['status']; cancelRequested: boolean }> {
  const job = await requireHeldJob(trx, session, jobId);
  const answer = () => ({ status: job.status, cancelRequested: job.cancel_requested_at !== null });
  if (ENDED.has(job.status)) return answer();
  const analysis = await repo.findAnalysisForUpdate(trx, job.analysis_id);
  if (!analysis) throw new NotFound('Analysis', job.analysis_id);
  const current = analysis.current_job_id === job.id;
  const now = nowIso();
  let next: repo.JobRow;
  switch (report.kind) {
    case 'submitted':
      if (job.status !== 'queued') return answer();
      next = {
        ...job,
        status: 'submitted',
        external_id: report.externalId,
        scheduler_state: 'PENDING',
        submitted_at: now,
        updated_at: now,
      };
      break;
    case 'running':
      if (job.status === 'running') return answer();
      next = {
        ...job,
        status: 'running',
        external_id: report.externalId ?? job.external_id,
        scheduler_state: report.schedulerState,
        submitted_at: job.submitted_at ?? now,
        started_at: report.startedAt ?? now,
        updated_at: now,
      };
      break;
    case 'ended': {
      // A job that ended between two polls still passed through submitted and running: each is recorded.
      if (job.status === 'queued' && report.externalId !== undefined) {
        await reportJob(trx, session, jobId, { kind: 'submitted', externalId: report.externalId });
        return reportJob(trx, session, jobId, report);
      }
      if ((job.status === 'queued' || job.status === 'submitted') && report.startedAt !== null) {
        await reportJob(trx, session, jobId, {
          kind: 'running',
          externalId: report.externalId,
          schedulerState: 'RUNNING',
          startedAt: report.startedAt,
        });
        return reportJob(trx, session, jobId, report);
      }
      let status: repo.JobRow['status'] = report.outcome;
      let reason = report.reason;
      if (status === 'completed') {
        const missing = await missingRequiredOutput(trx, job);
        if (missing !== null) {
          status = 'failed';
          reason = `the required output ${missing.name} (${missing.path}) was not produced`;
        }
      }
      next = {
        ...job,
        status,
        external_id: report.externalId ?? job.external_id,
        scheduler_state: report.schedulerState,
        exit_code: report.exitCode,
        reason,
        submitted_at: job.submitted_at ?? now,
        started_at: report.startedAt ?? job.started_at,
        ended_at: report.endedAt ?? now,
        cpu_seconds: report.cpuSeconds,
        peak_memory_bytes: report.peakMemoryBytes,
        stdout_tail: report.stdoutTail,
        stderr_tail: report.stderrTail,
        tool_versions: JSON.stringify(report.toolVersions),
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now,
      };
      await repo.updateJob(trx, job.id, next);
      if (current) await recordJobEnding(trx, session.actor, analysis, job, next);
      else await recordJobChange(trx, session.actor, analysis, job, next);
      return { status: next.status, cancelRequested: next.cancel_requested_at !== null };
    }
  }
  await repo.updateJob(trx, job.id, next);
  await recordJobChange(trx, session.actor, analysis, job, next);
  if (current && analysis.status !== next.status) {
    const changes = { status: next.status, updated_at: now };
    await repo.updateAnalysis(trx, analysis.id, changes);
    await recordChanges(trx, session.actor, [
      {
        action: 'update',
        entityType: 'analysis',
        entityId: analysis.id,
        projectId: analysis.project_id,
        before: analysisAuditView(analysis),
        after: analysisAuditView({ ...analysis, ...changes }),
      },
    ]);
  }
  return { status: next.status, cancelRequested: next.cancel_requested_at !== null };
}

async function recordJobChange(
  trx: Db,
  actor: AuditActor | null,
  analysis: repo.AnalysisRow,
  before: repo.JobRow,
  after: repo.JobRow,
): Promise<void> {
  await recordChanges(trx, actor, [
    {
      action: 'update',
      entityType: 'hpc_job',
      entityId: after.id,
      projectId: analysis.project_id,
      before: jobAuditView(before),
      after: jobAuditView(after),
    },
  ]);
}

async function missingRequiredOutput(
  trx: Db,
  job: repo.JobRow,
): Promise<{ name: string; path: string } | null> {
  const files = await repo.listJobFiles(trx, job.id);
  const produced = new Set(files.map((file) => file.output));
  return specOf(job).outputs.find((output) => output.required && !produced.has(output.name)) ?? null;
}

/**
 * Takes an output file of a job its agent holds: `name` (the path inside the job's directory) must match the
 * declared output's pattern. Streamed into the file store, recorded as a file of the analysis and audited;
 * handing over the same name again (an agent retrying after a restart) replaces it.
 */
export async function saveJobOutput(
  db: Db,
  files: FileStore,
  session: AgentSession,
  jobId: string,
  upload: { output: string; name: string; stream: Readable; maxBytes: number },
): Promise<void> {
  const job = await requireHeldJob(db, session, jobId, false);
  if (ENDED.has(job.status)) throw new Conflict(`Job ${jobId} has ended: its outputs are settled`);
  const declared = specOf(job).outputs.find((output) => output.name === upload.output);
  if (!declared) {
    throw new Invalid(`${upload.output} is not an output of this job`, [
      { field: 'output', message: 'is not declared' },
    ]);
  }
  const name = path.posix.normalize(upload.name);
  if (name.includes('..') || !outputPatternToRegExp(declared.path).test(name)) {
    throw new Invalid(`${upload.name} does not match the output's pattern ${declared.path}`, [
      { field: 'name', message: `does not match ${declared.path}` },
    ]);
  }
  const stored = await files.save(upload.stream, {
    originalName: path.posix.basename(name),
    maxBytes: upload.maxBytes,
  });
  let replaced: string | null = null;
  try {
    await inTransaction(db, async (trx) => {
      const held = await requireHeldJob(trx, session, jobId);
      if (ENDED.has(held.status)) throw new Conflict(`Job ${jobId} has ended: its outputs are settled`);
      const analysis = await repo.findAnalysis(trx, held.analysis_id);
      if (!analysis) throw new NotFound('Analysis', held.analysis_id);
      const existing = await repo.findJobFileByName(trx, jobId, name);
      if (existing) {
        await repo.deleteAnalysisFile(trx, existing.id);
        replaced = existing.storage_name;
      }
      const row: repo.AnalysisFileRow = {
        id: newId(),
        analysis_id: held.analysis_id,
        job_id: jobId,
        output: declared.name,
        name,
        storage_name: stored.storageName,
        content_type: stored.contentType,
        size: stored.size,
        sha256: stored.sha256,
        created_at: nowIso(),
      };
      await repo.insertAnalysisFile(trx, row);
      await recordChanges(trx, session.actor, [
        {
          action: 'create',
          entityType: 'analysis_file',
          entityId: row.id,
          projectId: analysis.project_id,
          after: row,
        },
      ]);
    });
  } catch (error) {
    await files.remove(stored.storageName).catch(() => undefined);
    throw error;
  }
  if (replaced !== null) await files.remove(replaced).catch(() => undefined);
}

/** Takes the whole log of a job its agent holds, into the file store (read by `GET /api/analyses/:id/log`). */
export async function saveJobLog(
  db: Db,
  files: FileStore,
  session: AgentSession,
  jobId: string,
  upload: { stream: 'stdout' | 'stderr'; content: Readable; maxBytes: number },
): Promise<void> {
  await requireHeldJob(db, session, jobId, false);
  const stored = await files.save(upload.content, {
    originalName: `${upload.stream}.log`,
    maxBytes: upload.maxBytes,
    declaredType: 'text/plain',
  });
  let previous: string | null = null;
  try {
    await inTransaction(db, async (trx) => {
      const job = await requireHeldJob(trx, session, jobId);
      previous = upload.stream === 'stdout' ? job.stdout_file : job.stderr_file;
      await repo.updateJob(
        trx,
        jobId,
        upload.stream === 'stdout'
          ? { stdout_file: stored.storageName }
          : { stderr_file: stored.storageName },
      );
    });
  } catch (error) {
    await files.remove(stored.storageName).catch(() => undefined);
    throw error;
  }
  if (previous !== null) await files.remove(previous).catch(() => undefined);
}

/** An input file of a job its agent holds, to stage in the job's directory. */
export async function openJobInput(
  db: Db,
  files: FileStore,
  session: AgentSession,
  jobId: string,
  fileId: string,
): Promise<{ stream: Readable; size: number; sha256: string }> {
  const job = await requireHeldJob(db, session, jobId, false);
  if (!specOf(job).inputs.some((input) => input.fileId === fileId)) throw new NotFound('Input', fileId);
  const { file, stream } = await openFileContent(db, files, fileId);
  return { stream, size: file.size, sha256: file.sha256 };
}
