/**
 * The embedded agents of `cairn serve`: one per `local` resource, running its jobs as child processes of this
 * machine. Each keeps its instance id in the jobs directory, so that after a restart it adopts the jobs it
 * left (jobs whose process is gone are failed with that reason, never left running). One process per jobs
 * directory serves a resource: a second `cairn serve` sharing the directory leaves it to the first. A local
 * resource registered while the server runs is served from its next start.
 */
import path from 'node:path';
import type { Config } from '../../../config/config.js';
import type { Db } from '../../../db/database.js';
import type { FileStore } from '../../../files/file-store.js';
import { jobVariablesOf } from '../executors/job-environment.js';
import { createExecutor } from '../executors/create-executor.js';
import { listAllResources, type HeartbeatPolicy } from '../hpc-resources.service.js';
import { agentIdIn, lockAgentDirectory, unlockAgentDirectory } from './agent-directory.js';
import { Agent, type AgentLog } from './agent.js';
import { embeddedAgentPort } from './embedded-agent-port.js';

export interface EmbeddedAgents {
  /** Runs a round now for these resources' agents (jobs were just queued). */
  wake(resourceIds: readonly string[]): void;
  stop(): Promise<void>;
}

export async function startEmbeddedAgents(deps: {
  db: Db;
  files: FileStore;
  config: Config;
  log: AgentLog;
}): Promise<EmbeddedAgents> {
  const { db, files, config, log } = deps;
  const policy: HeartbeatPolicy = { staleSeconds: config.agentStaleSeconds };
  const agents = new Map<string, { agent: Agent; dir: string }>();
  for (const resource of await listAllResources(db, policy)) {
    if (resource.type !== 'local') continue;
    const dir = path.join(config.jobsDir, resource.id);
    const holder = await lockAgentDirectory(dir);
    if (holder !== null) {
      log.info(`agent: the local resource ${resource.name} is served by process ${holder} using ${dir}`);
      continue;
    }
    const agentId = await agentIdIn(dir, 'embedded');
    const agent = new Agent({
      port: embeddedAgentPort({
        db,
        files,
        resourceId: resource.id,
        agentId,
        policy,
        uploadLimitBytes: config.uploadLimitBytes,
      }),
      executor: createExecutor(resource, jobVariablesOf(config.blastDir)),
      workRoot: dir,
      pollIntervalMs: config.agentPollMs,
      heartbeatIntervalMs: (config.agentStaleSeconds * 1000) / 3,
      log,
    });
    await agent.start();
    agents.set(resource.id, { agent, dir });
  }
  return {
    wake: (resourceIds) => {
      for (const id of resourceIds) agents.get(id)?.agent.wake(true);
    },
    stop: async () => {
      await Promise.all(
        [...agents.values()].map(async ({ agent, dir }) => {
          await agent.stop();
          await unlockAgentDirectory(dir);
        }),
      );
    },
  };
}
