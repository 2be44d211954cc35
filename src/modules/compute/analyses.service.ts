/**
 * Analyses (seed: lims-hpc Analyses) and their jobs (seed: HPCJobs), as people ask for them: a member of a
 * sample's project asks for an analysis of a declared type with parameters; it is written with its first job
 * (queued) in one transaction, and the agent of the chosen resource takes it from there (hpc-jobs.service.ts).
 * An analysis has at most one current job and keeps its earlier attempts. Every transition is audited, and
 * the sample's own history notes the analyses asked for and how they ended.
 */
import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { newId, nowIso } from '../../db/columns.js';
import { decodeCursor, encodeCursor, fetchPage, type Page } from '../../db/paging.js';
import { Conflict, Invalid, NotFound, type FieldError } from '../../errors/catalogue.js';
import type { FileStore } from '../../files/file-store.js';
import { summarizeUsers } from '../accounts/accounts.service.js';
import { isAdmin, type Actor } from '../accounts/actor.js';
import { recordChanges, type Change } from '../audit/audit.service.js';
import { listProjectIdsOfMember, requireProjectAccess } from '../projects/projects.service.js';
import { getSamplesToAnalyze, namesOfSamples, type SampleToAnalyze } from '../samples/samples.service.js';
import * as repo from './analyses.repository.js';
import type { Analysis, AnalysisSummary, CreateAnalysesBatch, ListAnalysesQuery } from './analyses.schema.js';
import type { AnalysisTypeDefinition } from './analysis-type-definition.js';
import { checkParameters, renderCommand, selectInputs } from './analysis-type-rules.js';
import { getLatestType, getTypeById } from './analysis-types.service.js';
import {
  analysisAuditView,
  jobAuditView,
  toAnalysis,
  toAnalysisSummary,
  type AnalysisNames,
} from './analysis-views.js';
import type { JobInput, JobSpec } from './executors/job-spec.js';
import { getResource, listAllResources, type HeartbeatPolicy } from './hpc-resources.service.js';
import type { HpcResource } from './compute.schema.js';

/** A type as the analyses use it: the version row's id and its definition. */
interface TypeVersion {
  id: string;
  definition: AnalysisTypeDefinition;
}

/** The resource a new job goes to: the one asked for, else the first online local resource. */
async function chooseResource(
  db: Db,
  resourceId: string | undefined,
  policy: HeartbeatPolicy,
): Promise<HpcResource> {
  let resource: HpcResource;
  if (resourceId === undefined) {
    const local = (await listAllResources(db, policy)).find(
      (candidate) => candidate.type === 'local' && candidate.status === 'online',
    );
    if (!local) {
      throw new Conflict('No local resource is online to run the analysis: name a resource', [
        { field: 'resourceId', message: 'is needed: no local resource is online' },
      ]);
    }
    resource = local;
  } else {
    resource = await getResource(db, resourceId, policy).catch((error: unknown) => {
      throw error instanceof NotFound
        ? new Invalid(`There is no HPC resource ${resourceId}`, [
            { field: 'resourceId', message: 'no such resource' },
          ])
        : error;
    });
  }
  if (resource.status !== 'online') {
    const why = resource.status === 'draining' ? 'is draining: it takes no new jobs' : 'is offline';
    throw new Conflict(`The HPC resource ${resource.name} ${why}`, [{ field: 'resourceId', message: why }]);
  }
  return resource;
}

async function requireType(db: Db, name: string): Promise<TypeVersion> {
  try {
    const type = await getLatestType(db, name);
    return { id: type.id, definition: type.definition };
  } catch (error) {
    if (error instanceof NotFound) {
      throw new Invalid(`There is no analysis type ${name}`, [
        { field: 'analysisType', message: 'is not a registered analysis type' },
      ]);
    }
    throw error;
  }
}

function requireParameters(definition: AnalysisTypeDefinition, params: unknown): Record<string, unknown> {
  const checked = checkParameters(definition, params ?? {});
  if ('errors' in checked) {
    throw new Invalid(
      `The parameters do not fit ${definition.name}: ${describe(checked.errors)}`,
      checked.errors,
    );
  }
  return checked.params;
}

function describe(errors: readonly FieldError[]): string {
  return errors.map((error) => `${error.field} ${error.message}`).join('; ');
}

function inputsOf(definition: AnalysisTypeDefinition, sample: SampleToAnalyze, field: string): JobInput[] {
  const selected = selectInputs(
    definition,
    sample.files.map((file) => ({
      fileId: file.id,
      name: file.name,
      contentType: file.contentType,
      sha256: file.sha256,
      size: file.size,
    })),
  );
  if ('errors' in selected) {
    const errors = selected.errors.map((error) => ({ ...error, field }));
    throw new Invalid(
      `Sample ${sample.name} cannot be analysed with ${definition.name}: ${describe(errors)}`,
      errors,
    );
  }
  return selected.inputs;
}

/** A new job's spec: the command rendered now, kept as the job's provenance. */
function jobSpec(
  ids: { jobId: string; analysisId: string; attempt: number },
  definition: AnalysisTypeDefinition,
  params: Record<string, unknown>,
  inputs: JobInput[],
): JobSpec {
  return {
    ...ids,
    type: { name: definition.name, version: definition.version },
    params,
    argv: renderCommand(definition, params, inputs),
    stdoutTo: definition.stdoutTo ?? null,
    toolVersions: definition.toolVersions ?? {},
    inputs,
    outputs: definition.outputs.map((output) => ({
      name: output.name,
      path: output.path,
      required: output.required ?? true,
    })),
    resources: definition.resources,
  };
}

function newJobRow(spec: JobSpec, resourceId: string, now: string): repo.JobRow {
  return {
    id: spec.jobId,
    analysis_id: spec.analysisId,
    attempt: spec.attempt,
    resource_id: resourceId,
    status: 'queued',
    scheduler_state: null,
    external_id: null,
    reason: null,
    exit_code: null,
    spec: JSON.stringify(spec),
    tool_versions: null,
    cpu_seconds: null,
    peak_memory_bytes: null,
    stdout_tail: null,
    stderr_tail: null,
    stdout_file: null,
    stderr_file: null,
    lease_owner: null,
    lease_expires_at: null,
    cancel_requested_at: null,
    queued_at: now,
    submitted_at: null,
    started_at: null,
    ended_at: null,
    updated_at: now,
  };
}

/** The events a new job writes: the job, and on the sample's own history, that an analysis was asked for. */
function newJobChanges(analysis: repo.AnalysisRow, job: repo.JobRow): Change[] {
  return [
    {
      action: 'create',
      entityType: 'hpc_job',
      entityId: job.id,
      projectId: analysis.project_id,
      after: jobAuditView(job),
    },
    {
      action: 'create',
      entityType: 'sample_analysis',
      entityId: analysis.sample_id,
      projectId: analysis.project_id,
      after: {
        analysisId: analysis.id,
        analysisType: analysis.type_name,
        attempt: job.attempt,
        status: 'queued',
      },
    },
  ];
}

/**
 * Asks for one analysis per sample, all or nothing: the type (its latest version), the parameters (checked
 * against its schema, unknown ones refused), the resource (online, not draining) and each sample (write access
 * to its project; its files must satisfy the type's inputs) are checked before anything is written. Each
 * analysis is written `queued` with its first job in the caller's transaction.
 */
export async function createAnalyses(
  trx: Db,
  actor: Actor,
  request: CreateAnalysesBatch,
  policy: HeartbeatPolicy,
): Promise<AnalysisSummary[]> {
  const type = await requireType(trx, request.analysisType);
  const params = requireParameters(type.definition, request.params);
  const resource = await chooseResource(trx, request.resourceId, policy);
  const duplicate = request.sampleIds.find((id, index) => request.sampleIds.indexOf(id) !== index);
  if (duplicate !== undefined) {
    throw new Invalid(`Sample ${duplicate} is listed twice`, [
      { field: 'sampleIds', message: 'lists a sample twice' },
    ]);
  }
  const samples = await getSamplesToAnalyze(trx, actor, request.sampleIds);
  const now = nowIso();
  const analyses: repo.AnalysisRow[] = [];
  const jobs: repo.JobRow[] = [];
  const changes: Change[] = [];
  samples.forEach((sample, index) => {
    const field = request.sampleIds.length === 1 ? 'sampleId' : `sampleIds/${index}`;
    const inputs = inputsOf(type.definition, sample, field);
    const analysisId = newId();
    const spec = jobSpec({ jobId: newId(), analysisId, attempt: 1 }, type.definition, params, inputs);
    const analysis: repo.AnalysisRow = {
      id: analysisId,
      project_id: sample.projectId,
      sample_id: sample.id,
      analysis_type_id: type.id,
      type_name: type.definition.name,
      type_version: type.definition.version,
      params: JSON.stringify(params),
      status: 'queued',
      resource_id: resource.id,
      current_job_id: spec.jobId,
      result_path: null,
      requested_by: actor.id,
      submitted_at: now,
      completed_at: null,
      updated_at: now,
    };
    const job = newJobRow(spec, resource.id, now);
    analyses.push(analysis);
    jobs.push(job);
    changes.push(
      {
        action: 'create',
        entityType: 'analysis',
        entityId: analysis.id,
        projectId: analysis.project_id,
        after: analysisAuditView(analysis),
      },
      ...newJobChanges(analysis, job),
    );
  });
  await repo.insertAnalyses(trx, analyses);
  await repo.insertJobs(trx, jobs);
  await recordChanges(trx, actor, changes);
  const names = await namesFor(trx, analyses);
  return analyses.map((row, index) => toAnalysisSummary(row, jobs[index], names));
}

async function namesFor(db: Db, rows: readonly repo.AnalysisRow[]): Promise<AnalysisNames> {
  const [sampleNames, resources, users] = await Promise.all([
    namesOfSamples(db, [...new Set(rows.map((row) => row.sample_id))]),
    listAllResources(db, { staleSeconds: Number.POSITIVE_INFINITY }),
    summarizeUsers(
      db,
      rows.map((row) => row.requested_by).filter((id): id is string => id !== null),
    ),
  ]);
  return {
    sampleNames,
    resourceNames: new Map(resources.map((resource) => [resource.id, resource.name])),
    users,
  };
}

/** The analysis if the actor may see (read) or change (write) it; else NotFound, or Forbidden for a viewer's change. */
async function requireAnalysis(
  db: Db,
  actor: Actor,
  id: string,
  access: 'read' | 'write',
  lock = false,
): Promise<repo.AnalysisRow> {
  const row = lock ? await repo.findAnalysisForUpdate(db, id) : await repo.findAnalysis(db, id);
  if (!row) throw new NotFound('Analysis', id);
  if (!isAdmin(actor)) {
    await requireProjectAccess(db, actor, row.project_id, access).catch((error: unknown) => {
      throw error instanceof NotFound ? new NotFound('Analysis', id) : error;
    });
  }
  return row;
}

/** One analysis with its current job, earlier attempts, files, logs' tails and provenance. */
export async function getAnalysis(db: Db, actor: Actor, id: string): Promise<Analysis> {
  const row = await requireAnalysis(db, actor, id, 'read');
  return describeAnalysis(db, row);
}

async function describeAnalysis(db: Db, row: repo.AnalysisRow): Promise<Analysis> {
  const [jobs, files, names] = await Promise.all([
    repo.listJobsOfAnalysis(db, row.id),
    repo.listAnalysisFiles(db, row.id),
    namesFor(db, [row]),
  ]);
  return toAnalysis(row, jobs, files, names);
}

/** Analyses the actor may see, newest first, filtered, cursor-paged; each with its current job's state. */
export async function listAnalyses(
  db: Db,
  actor: Actor,
  query: ListAnalysesQuery & { limit: number },
): Promise<Page<AnalysisSummary>> {
  const visibleProjectIds = isAdmin(actor) ? undefined : await listProjectIdsOfMember(db, actor.id);
  const after = decodeCursor(query.cursor);
  const page = await fetchPage(
    query.limit,
    (limit) =>
      repo.listAnalyses(
        db,
        {
          projectId: query.projectId,
          sampleId: query.sampleId,
          status: query.status,
          typeName: query.type,
          resourceId: query.resourceId,
          visibleProjectIds,
        },
        after,
        limit,
      ),
    (row) => encodeCursor({ value: row.submitted_at, id: row.id }),
  );
  const jobIds = page.items.map((row) => row.current_job_id).filter((id): id is string => id !== null);
  const [jobs, names] = await Promise.all([repo.findJobsByIds(db, jobIds), namesFor(db, page.items)]);
  const jobById = new Map(jobs.map((job) => [job.id, job]));
  return {
    items: page.items.map((row) =>
      toAnalysisSummary(
        row,
        row.current_job_id === null ? undefined : jobById.get(row.current_job_id),
        names,
      ),
    ),
    nextCursor: page.nextCursor,
  };
}

const ENDED = new Set<string>(repo.ENDED_JOB_STATUSES);

/**
 * Cancels an analysis (write access to its project). A job no agent holds yet ends `cancelled` at once; a job
 * an agent holds is asked to stop (its agent cancels it with the scheduler and reports the ending). An
 * analysis that has ended is a 409.
 */
export async function cancelAnalysis(trx: Db, actor: Actor, id: string): Promise<Analysis> {
  const analysis = await requireAnalysis(trx, actor, id, 'write', true);
  const job =
    analysis.current_job_id === null ? undefined : await repo.findJobForUpdate(trx, analysis.current_job_id);
  if (job === undefined || ENDED.has(job.status) || ENDED.has(analysis.status)) {
    throw new Conflict(`Analysis ${id} has ended (${analysis.status}): there is nothing to cancel`);
  }
  const now = nowIso();
  const heldByAgent = job.lease_owner !== null && job.lease_expires_at !== null && job.lease_expires_at > now;
  if (job.cancel_requested_at !== null) return describeAnalysis(trx, analysis);
  if (job.status === 'queued' && !heldByAgent) {
    const endedJob: repo.JobRow = {
      ...job,
      status: 'cancelled',
      reason: `cancelled by ${actor.username} before it was submitted`,
      cancel_requested_at: now,
      ended_at: now,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now,
    };
    await repo.updateJob(trx, job.id, endedJob);
    await recordJobEnding(trx, actor, analysis, job, endedJob);
  } else {
    const asked: repo.JobRow = { ...job, cancel_requested_at: now, updated_at: now };
    await repo.updateJob(trx, job.id, { cancel_requested_at: now, updated_at: now });
    await recordChanges(trx, actor, [
      {
        action: 'update',
        entityType: 'hpc_job',
        entityId: job.id,
        projectId: analysis.project_id,
        before: jobAuditView(job),
        after: jobAuditView(asked),
      },
    ]);
  }
  return describeAnalysis(trx, (await repo.findAnalysis(trx, id))!);
}

/**
 * Writes a job's ending onto its analysis (status, completion date, result path) and audits both, with a
 * note on the sample's history. `endedJob` is already written.
 */
export async function recordJobEnding(
  trx: Db,
  actor: Actor | { id: string; requestId: string | null } | null,
  analysis: repo.AnalysisRow,
  before: repo.JobRow,
  endedJob: repo.JobRow,
): Promise<void> {
  const files = await repo.listJobFiles(trx, endedJob.id);
  const status = endedJob.status as 'completed' | 'failed' | 'cancelled';
  const changes = {
    status,
    completed_at: endedJob.ended_at,
    result_path: status === 'completed' && files.length > 0 ? `/api/analyses/${analysis.id}/files` : null,
    updated_at: nowIso(),
  };
  await repo.updateAnalysis(trx, analysis.id, changes);
  await recordChanges(trx, actor, [
    {
      action: 'update',
      entityType: 'hpc_job',
      entityId: endedJob.id,
      projectId: analysis.project_id,
      before: jobAuditView(before),
      after: jobAuditView(endedJob),
    },
    {
      action: 'update',
      entityType: 'analysis',
      entityId: analysis.id,
      projectId: analysis.project_id,
      before: analysisAuditView(analysis),
      after: analysisAuditView({ ...analysis, ...changes }),
    },
    {
      action: 'update',
      entityType: 'sample_analysis',
      entityId: analysis.sample_id,
      projectId: analysis.project_id,
      after: {
        analysisId: analysis.id,
        analysisType: analysis.type_name,
        attempt: endedJob.attempt,
        status,
        exitCode: endedJob.exit_code,
        reason: endedJob.reason,
      },
    },
  ]);
}

/**
 * Runs an ended analysis again as a new attempt (write access): same type version and parameters, inputs
 * chosen again from the sample's files, the same resource; the old attempt is kept. An analysis still queued
 * or running is a 409.
 */
export async function retryAnalysis(
  trx: Db,
  actor: Actor,
  id: string,
  policy: HeartbeatPolicy,
): Promise<Analysis> {
  const analysis = await requireAnalysis(trx, actor, id, 'write', true);
  if (!ENDED.has(analysis.status)) {
    throw new Conflict(`Analysis ${id} is ${analysis.status}: only an ended analysis can be retried`);
  }
  const type = await getTypeById(trx, analysis.analysis_type_id);
  const resource = await chooseResource(trx, analysis.resource_id, policy);
  const [sample] = await getSamplesToAnalyze(trx, actor, [analysis.sample_id]);
  const inputs = inputsOf(type.definition, sample!, 'sampleId');
  const previous = await repo.listJobsOfAnalysis(trx, id);
  const attempt = (previous[0]?.attempt ?? 0) + 1;
  const params = JSON.parse(analysis.params) as Record<string, unknown>;
  const spec = jobSpec({ jobId: newId(), analysisId: id, attempt }, type.definition, params, inputs);
  const now = nowIso();
  const job = newJobRow(spec, resource.id, now);
  await repo.insertJobs(trx, [job]);
  const changes = {
    status: 'queued' as const,
    current_job_id: job.id,
    resource_id: resource.id,
    completed_at: null,
    result_path: null,
    updated_at: now,
  };
  await repo.updateAnalysis(trx, id, changes);
  const after = { ...analysis, ...changes };
  await recordChanges(trx, actor, [
    {
      action: 'update',
      entityType: 'analysis',
      entityId: id,
      projectId: analysis.project_id,
      before: analysisAuditView(analysis),
      after: analysisAuditView(after),
    },
    ...newJobChanges(after, job),
  ]);
  return describeAnalysis(trx, after);
}

/** A stream of one analysis file, for download (read access). */
export async function openAnalysisFile(
  db: Db,
  actor: Actor,
  files: FileStore,
  analysisId: string,
  fileId: string,
): Promise<{ name: string; contentType: string; size: number; stream: Readable }> {
  await requireAnalysis(db, actor, analysisId, 'read');
  const row = await repo.findAnalysisFile(db, fileId);
  if (!row || row.analysis_id !== analysisId) throw new NotFound('File', fileId);
  return {
    name: row.name,
    contentType: row.content_type,
    size: Number(row.size),
    stream: files.open(row.storage_name),
  };
}

/**
 * The whole log of an analysis's current job (read access): the file its agent stored once the job ended, or,
 * while it runs, the tail its agent last reported (`complete` false).
 */
export async function openAnalysisLog(
  db: Db,
  actor: Actor,
  files: FileStore,
  analysisId: string,
  stream: 'stdout' | 'stderr',
): Promise<{ complete: boolean; stream: Readable | null; text: string }> {
  const analysis = await requireAnalysis(db, actor, analysisId, 'read');
  const job = analysis.current_job_id === null ? undefined : await repo.findJob(db, analysis.current_job_id);
  if (!job) return { complete: false, stream: null, text: '' };
  const stored = stream === 'stdout' ? job.stdout_file : job.stderr_file;
  if (stored !== null) return { complete: true, stream: files.open(stored), text: '' };
  const tail = (stream === 'stdout' ? job.stdout_tail : job.stderr_tail) ?? '';
  return { complete: ENDED.has(job.status), stream: null, text: tail };
}

/** The files of an analysis (read access), oldest first. */
export async function listAnalysisFiles(
  db: Db,
  actor: Actor,
  analysisId: string,
): Promise<Analysis['files']> {
  await requireAnalysis(db, actor, analysisId, 'read');
  return (await describeAnalysis(db, (await repo.findAnalysis(db, analysisId))!)).files;
}
