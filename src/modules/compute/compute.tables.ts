/** Kysely table types of the compute module: HPC resources (seed: lims-hpc HPCResources). */

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

export interface ComputeTables {
  hpc_resources: HpcResourcesTable;
}
