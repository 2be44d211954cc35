/**
 * What an agent needs of the server, whichever way it reaches it: in-process for the embedded agent of
 * `cairn serve` (embedded-agent-port.ts) or over the REST API for `cairn agent` beside a cluster
 * (http-agent-port.ts). Both sides end in the same service functions (hpc-jobs.service.ts).
 */
import type { HpcResource } from '../compute.schema.js';
import type { OutputFile } from '../executors/job-directory.js';
import type { JobInput } from '../executors/job-spec.js';
import type { AgentJob, JobReport } from '../hpc-jobs.service.js';

export type { AgentJob, JobReport };

export interface JobTail {
  jobId: string;
  stdoutTail: string;
  stderrTail: string;
}

export interface AgentPort {
  /** The resource the agent serves, as the server sees it now. */
  describeResource(): Promise<HpcResource>;
  /** The unended jobs this agent should carry on with (after a start or restart). */
  adopt(): Promise<AgentJob[]>;
  /** Up to `limit` queued jobs, now leased to this agent. */
  claim(limit: number): Promise<AgentJob[]>;
  /** Renews the agent's leases, keeps the logs' tails; answers which jobs to cancel. */
  heartbeat(tails: readonly JobTail[]): Promise<{ cancel: string[] }>;
  report(jobId: string, report: JobReport): Promise<{ cancelRequested: boolean }>;
  /** Writes an input's bytes to `destination`, checking its SHA-256 against the job's spec. */
  stageInput(jobId: string, input: JobInput, destination: string): Promise<void>;
  uploadOutput(jobId: string, file: OutputFile): Promise<void>;
  uploadLog(jobId: string, stream: 'stdout' | 'stderr', file: string): Promise<void>;
}
