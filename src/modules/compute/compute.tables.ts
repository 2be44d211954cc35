/**
 * Kysely table types of the compute module (seed: lims-hpc Analyses, HPCJobs, HPCResources): HPC resources and
 * their agents, the analysis type registry, analyses, their jobs and the files they produced.
 */

export type HpcResourceType = 'local' | 'slurm';
export type HpcResourceStatus = 'online' | 'offline' | 'draining';

export interface HpcResourcesTable {
  id: string;
  name: string;
  description: string;
  type: HpcResourceType;
  /** What an admin set; an agent's silence is answered as offline on read, never stored. */
  status: HpcResourceStatus;
  /** JSON text: the scheduler settings (partition, account, maxConcurrent, defaultTime, defaultMemory). */
  settings: string;
  /** The last heartbeat of the resource's agent; null for resources served by the embedded agent. */
  agent_heartbeat_at: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** Which machine accounts (users with `is_agent`) serve a resource as its agent. */
export interface HpcResourceAgentsTable {
  resource_id: string;
  user_id: string;
  created_at: string;
  created_by: string | null;
}

export type AnalysisTypeOrigin = 'builtin' | 'file' | 'api';

/** One version of a declared analysis type; (name, version) is unique and a version never changes. */
export interface AnalysisTypesTable {
  id: string;
  name: string;
  version: string;
  description: string;
  /** JSON text: the whole checked definition (analysis-type-definition.ts). */
  definition: string;
  origin: AnalysisTypeOrigin;
  created_at: string;
  created_by: string | null;
}

export type AnalysisStatus =
  'draft' | 'queued' | 'submitted' | 'running' | 'completed' | 'failed' | 'cancelled';
export type JobStatus = 'queued' | 'submitted' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface AnalysesTable {
  id: string;
  /** The sample's project when the analysis was asked for: whose members may see it. */
  project_id: string;
  sample_id: string;
  /** The exact type version used. */
  analysis_type_id: string;
  type_name: string;
  type_version: string;
  /** JSON text: the parameters as checked against the type's schema. */
  params: string;
  status: AnalysisStatus;
  resource_id: string;
  current_job_id: string | null;
  /** Where the outputs are: `/api/analyses/<id>/files`, once there are any. */
  result_path: string | null;
  requested_by: string | null;
  /** The seed's SubmissionDate: when the analysis was asked for. */
  submitted_at: string;
  /** The seed's CompletionDate: when it ended (completed, failed or cancelled). */
  completed_at: string | null;
  updated_at: string;
}

/** One attempt at running an analysis (seed: HPCJobs). */
export interface HpcJobsTable {
  id: string;
  analysis_id: string;
  /** 1 for the first attempt, one more for each retry. */
  attempt: number;
  resource_id: string;
  status: JobStatus;
  /** The scheduler's own word for the state (PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, OUT_OF_MEMORY, …). */
  scheduler_state: string | null;
  /** The scheduler's job id (Slurm's job id; the process id for the local executor). */
  external_id: string | null;
  /** Why the job is in its state: the scheduler's reason, or Cairn's (lost process, no such job, …). */
  reason: string | null;
  exit_code: number | null;
  /** JSON text: the job spec fixed at creation (executors/job-spec.ts), also the job's provenance. */
  spec: string;
  /** JSON text: tool name → the version line the job printed. */
  tool_versions: string | null;
  cpu_seconds: number | null;
  peak_memory_bytes: number | null;
  stdout_tail: string | null;
  stderr_tail: string | null;
  /** The whole logs once the job has ended, in the file store. */
  stdout_file: string | null;
  stderr_file: string | null;
  /** The agent instance holding the job, and until when (renewed by its heartbeats). */
  lease_owner: string | null;
  lease_expires_at: string | null;
  cancel_requested_at: string | null;
  queued_at: string;
  submitted_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  updated_at: string;
}

/** A file an analysis produced, in the file store. */
export interface AnalysisFilesTable {
  id: string;
  analysis_id: string;
  job_id: string;
  /** The name of the declared output it answers. */
  output: string;
  /** Its path inside the job's outputs, a label for people. */
  name: string;
  storage_name: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: string;
}

export interface ComputeTables {
  hpc_resources: HpcResourcesTable;
  hpc_resource_agents: HpcResourceAgentsTable;
  analysis_types: AnalysisTypesTable;
  analyses: AnalysesTable;
  hpc_jobs: HpcJobsTable;
  analysis_files: AnalysisFilesTable;
}
