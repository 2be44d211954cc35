/** The executor for a resource's type: child processes for `local`, sbatch and friends for `slurm`. */
import type { HpcResource } from '../compute.schema.js';
import type { Executor } from './executor.js';
import type { JobVariables } from './job-environment.js';
import { LocalExecutor } from './local-executor.js';
import { SlurmExecutor } from './slurm-executor.js';

export function createExecutor(
  resource: Pick<HpcResource, 'type' | 'settings'>,
  jobVariables: JobVariables = {},
): Executor {
  switch (resource.type) {
    case 'local':
      return new LocalExecutor({ settings: resource.settings, jobVariables });
    case 'slurm':
      return new SlurmExecutor(resource.settings, { jobVariables });
  }
}
