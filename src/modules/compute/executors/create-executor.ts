/** The executor for a resource's type: child processes for `local`, sbatch and friends for `slurm`. */
import type { HpcResource } from '../compute.schema.js';
import type { Executor } from './executor.js';
import { LocalExecutor } from './local-executor.js';
import { SlurmExecutor } from './slurm-executor.js';

export function createExecutor(resource: Pick<HpcResource, 'type' | 'settings'>): Executor {
  switch (resource.type) {
    case 'local':
      return new LocalExecutor({ settings: resource.settings });
    case 'slurm':
      return new SlurmExecutor(resource.settings);
  }
}
