/** Every benchmark `npm run bench` knows, in the order they run. Add new ones here. */
import { blast } from './blast.bench.js';
import { fileDiscovery } from './file-discovery.bench.js';
import { importItems } from './import-items.bench.js';
import { itemPath } from './item-path.bench.js';
import { localJobs } from './local-jobs.bench.js';
import { moveBox } from './move-box.bench.js';
import { nemoHarvest } from './nemo-harvest.bench.js';
import { projectRead } from './project-read.bench.js';
import { recordBuild } from './record-build.bench.js';
import { search } from './search.bench.js';
import { slurmLatency } from './slurm-latency.bench.js';
import { slurmSubmit } from './slurm-submit.bench.js';
import type { Benchmark } from './support/benchmark.js';

export const benchmarks: readonly Benchmark[] = [
  projectRead,
  importItems,
  itemPath,
  moveBox,
  localJobs,
  slurmSubmit,
  slurmLatency,
  fileDiscovery,
  recordBuild,
  nemoHarvest,
  blast,
  search,
];
