/**
 * The embedded agents of `cairn serve`: one per `local` resource, running its jobs as child processes of this
 * machine. Each keeps its instance id in the jobs directory, so that after a restart it adopts the jobs it
 * left (jobs whose process is gone are failed with that reason, never left running). One process per jobs
 * directory serves a resource: a second `cairn serve` sharing the directory leaves it to the first.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../../config/config.js';
import type { Db } from '../../../db/database.js';
import type { FileStore } from '../../../files/file-store.js';
import { createExecutor } from '../executors/create-executor.js';
import { listAllResources, type HeartbeatPolicy } from '../hpc-resources.service.js';
import { Agent, type AgentLog } from './agent.js';
import { embeddedAgentPort } from './embedded-agent-port.js';

export interface EmbeddedAgents {
  /** Runs a round now for these resources' agents (jobs were just queued). */
  wake(resourceIds: readonly string[]): void;
  stop(): Promise<void>;
}

/** This process's instance id for the resource, kept in `dir` across restarts. */
async function agentIdIn(dir: string): Promise<string> {
  const file = path.join(dir, 'agent-id');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const id = `embedded-${randomUUID()}`;
    await writeFile(file, `${id}\n`, { flag: 'wx' });
    return id;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the directory for this process; false when another live process has it. */
async function lockDirectory(dir: string): Promise<boolean> {
  const lock = path.join(dir, 'agent.pid');
  try {
    await writeFile(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) return false;
  await writeFile(lock, String(process.pid));
  return true;
}

export async function startEmbeddedAgents(deps: {
  db: Db;
  files: FileStore;
  config: Config;
  log: AgentLog;
}): Promise<EmbeddedAgents> {
  const { db, files, config, log } = deps;
  const policy: HeartbeatPolicy = { staleSeconds: config.agentStaleSeconds };
  const agents = new Map<string, { agent: Agent; lock: string }>();
  for (const resource of await listAllResources(db, policy)) {
    if (resource.type !== 'local') continue;
    const dir = path.join(config.jobsDir, resource.id);
    await mkdir(dir, { recursive: true });
    if (!(await lockDirectory(dir))) {
      log.info(`agent: the local resource ${resource.name} is served by another process using ${dir}`);
      continue;
    }
    const agentId = await agentIdIn(dir);
    const agent = new Agent({
      port: embeddedAgentPort({
        db,
        files,
        resourceId: resource.id,
        agentId,
        policy,
        uploadLimitBytes: config.uploadLimitBytes,
      }),
      executor: createExecutor(resource),
      workRoot: dir,
      pollIntervalMs: config.agentPollMs,
      heartbeatIntervalMs: (config.agentStaleSeconds * 1000) / 3,
      log,
    });
    await agent.start();
    agents.set(resource.id, { agent, lock: path.join(dir, 'agent.pid') });
  }
  return {
    wake: (resourceIds) => {
      for (const id of resourceIds) agents.get(id)?.agent.wake();
    },
    stop: async () => {
      await Promise.all(
        [...agents.values()].map(async ({ agent, lock }) => {
          await agent.stop();
          await rm(lock, { force: true });
        }),
      );
    },
  };
}
