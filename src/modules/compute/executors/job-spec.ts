/**
 * A job spec: everything an agent needs to run one attempt of an analysis, fixed when the job is created and
 * kept with it as its provenance (the type and version, the exact argument vector, the parameters, the inputs
 * with their SHA-256). Paths in it are relative to the job's directory, which the agent chooses.
 */

/** One input file, staged by the agent as `inputs/<name>` in the job directory. */
export interface JobInput {
  /** The sample file it is (inventory item file id). */
  readonly fileId: string;
  /** Its name in `inputs/`: a plain file name, unique within the job. */
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
}

/** A declared output: the files under the job directory matching `path` (a glob inside `outputs/`). */
export interface JobOutput {
  readonly name: string;
  readonly path: string;
  /** An output that must exist for the job to count as completed. */
  readonly required: boolean;
}

/** What the job asks of the scheduler. */
export interface JobResources {
  readonly cpus: number;
  /** Slurm's memory size: a whole number with a unit K, M, G or T. */
  readonly memory: string;
  /** Slurm's time limit, `[D-]HH:MM:SS` or minutes. */
  readonly time: string;
}

export interface JobSpec {
  readonly jobId: string;
  readonly analysisId: string;
  readonly attempt: number;
  readonly type: { readonly name: string; readonly version: string };
  readonly params: Record<string, unknown>;
  /** The command as an argument vector; never joined into a shell line. */
  readonly argv: string[];
  /** Where the command's standard output goes (a path inside `outputs/`), when the type captures it. */
  readonly stdoutTo: string | null;
  /** Tool name → the argument vector that prints its version; run by the job before the command. */
  readonly toolVersions: Record<string, string[]>;
  readonly inputs: JobInput[];
  readonly outputs: JobOutput[];
  readonly resources: JobResources;
}

/** The scheduler's job name for a Cairn job: how an agent finds a job it submitted but never reported. */
export function schedulerJobName(jobId: string): string {
  return `cairn-${jobId}`;
}
