/** Analyses, jobs and their files as the API answers them (rows → API types), and as the audit trail keeps them. */
import type { UserSummary } from '../accounts/accounts.service.js';
import type { AnalysisFileRow, AnalysisRow, JobRow } from './analyses.repository.js';
import type { Analysis, AnalysisFile, AnalysisSummary, Job } from './analyses.schema.js';
import type { JobSpec } from './executors/job-spec.js';

export function specOf(row: JobRow): JobSpec {
  return JSON.parse(row.spec) as JobSpec;
}

export function toAnalysisFile(row: AnalysisFileRow): AnalysisFile {
  return {
    id: row.id,
    output: row.output,
    name: row.name,
    contentType: row.content_type,
    size: Number(row.size),
    sha256: row.sha256,
    createdAt: row.created_at,
  };
}

export function toJob(row: JobRow, files: readonly AnalysisFileRow[]): Job {
  const spec = specOf(row);
  return {
    id: row.id,
    attempt: row.attempt,
    resourceId: row.resource_id,
    status: row.status,
    schedulerState: row.scheduler_state,
    externalId: row.external_id,
    reason: row.reason,
    exitCode: row.exit_code,
    queuedAt: row.queued_at,
    submittedAt: row.submitted_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    cpuSeconds: row.cpu_seconds,
    peakMemoryBytes: row.peak_memory_bytes === null ? null : Number(row.peak_memory_bytes),
    stdoutTail: row.stdout_tail,
    stderrTail: row.stderr_tail,
    cancelRequestedAt: row.cancel_requested_at,
    provenance: {
      type: spec.type,
      argv: [...spec.argv],
      params: { ...spec.params },
      inputs: spec.inputs.map((input) => ({ ...input })),
      toolVersions:
        row.tool_versions === null ? {} : (JSON.parse(row.tool_versions) as Record<string, string>),
    },
    outputs: files.filter((file) => file.job_id === row.id).map(toAnalysisFile),
  };
}

/** What a list and a detail share: the seed's fields, the sample and resource by name, who asked. */
export interface AnalysisNames {
  sampleNames: ReadonlyMap<string, string>;
  resourceNames: ReadonlyMap<string, string>;
  users: ReadonlyMap<string, UserSummary>;
}

function commonFields(row: AnalysisRow, names: AnalysisNames) {
  const requester = row.requested_by === null ? undefined : names.users.get(row.requested_by);
  return {
    id: row.id,
    projectId: row.project_id,
    sampleId: row.sample_id,
    sampleName: names.sampleNames.get(row.sample_id) ?? row.sample_id,
    analysisType: { name: row.type_name, version: row.type_version },
    params: JSON.parse(row.params) as Record<string, unknown>,
    status: row.status,
    resource: { id: row.resource_id, name: names.resourceNames.get(row.resource_id) ?? row.resource_id },
    requestedBy: requester === undefined ? null : { id: requester.id, username: requester.username },
    submittedAt: row.submitted_at,
    completedAt: row.completed_at,
    resultPath: row.result_path,
    updatedAt: row.updated_at,
  };
}

export function toAnalysisSummary(
  row: AnalysisRow,
  job: JobRow | undefined,
  names: AnalysisNames,
): AnalysisSummary {
  return {
    ...commonFields(row, names),
    job:
      job === undefined
        ? null
        : {
            id: job.id,
            attempt: job.attempt,
            status: job.status,
            externalId: job.external_id,
            queuedAt: job.queued_at,
            startedAt: job.started_at,
            endedAt: job.ended_at,
          },
  };
}

export function toAnalysis(
  row: AnalysisRow,
  jobs: readonly JobRow[],
  files: readonly AnalysisFileRow[],
  names: AnalysisNames,
): Analysis {
  const current = jobs.find((job) => job.id === row.current_job_id);
  return {
    ...commonFields(row, names),
    job: current === undefined ? null : toJob(current, files),
    attempts: jobs.filter((job) => job.id !== row.current_job_id).map((job) => toJob(job, files)),
    files: files.map(toAnalysisFile),
  };
}

/** The audit trail's view of an analysis: its columns, parameters as an object. */
export function analysisAuditView(row: AnalysisRow): Record<string, unknown> {
  return { ...row, params: JSON.parse(row.params) as unknown };
}

/** The audit trail's view of a job: its state, without the spec (kept on the job) or the log tails. */
export function jobAuditView(row: JobRow): Record<string, unknown> {
  const {
    spec: _spec,
    stdout_tail: _stdout,
    stderr_tail: _stderr,
    lease_expires_at: _lease,
    tool_versions: toolVersions,
    ...state
  } = row;
  return { ...state, tool_versions: toolVersions === null ? null : (JSON.parse(toolVersions) as unknown) };
}
