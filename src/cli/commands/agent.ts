/**
 * `cairn agent`: the agent beside a cluster. It needs no database: it reaches the server over the REST API
 * with the token of the resource's agent account, keeps its identity in its work directory, and runs the
 * resource's jobs with the executor of its type (Slurm's commands on a submit host, or child processes).
 */
import path from 'node:path';
import { Agent, type AgentLog } from '../../modules/compute/agent/agent.js';
import {
  agentIdIn,
  lockAgentDirectory,
  unlockAgentDirectory,
} from '../../modules/compute/agent/agent-directory.js';
import { httpAgentPort } from '../../modules/compute/agent/http-agent-port.js';
import { createExecutor } from '../../modules/compute/executors/create-executor.js';
import { jobVariablesOf } from '../../modules/compute/executors/job-environment.js';

export interface AgentCommandOptions {
  server: string;
  token: string;
  resource: string;
  workDir: string;
  pollMs: number;
  heartbeatSeconds: number;
  /** The server's CAIRN_BLAST_DIR as this machine sees it: jobs get its nucleotide database. */
  blastDir?: string | undefined;
}

const log: AgentLog = {
  info: (message) => process.stderr.write(`${new Date().toISOString()} ${message}\n`),
  warn: (message) => process.stderr.write(`${new Date().toISOString()} warning: ${message}\n`),
  error: (message) => process.stderr.write(`${new Date().toISOString()} error: ${message}\n`),
};

/** Runs the agent until SIGINT/SIGTERM; jobs keep running in the scheduler and are adopted at the next start. */
export async function runAgent(options: AgentCommandOptions): Promise<void> {
  const workDir = path.resolve(options.workDir);
  const holder = await lockAgentDirectory(workDir);
  if (holder !== null) throw new Error(`another agent (process ${holder}) is using ${workDir}`);
  const agentId = await agentIdIn(workDir, 'agent');
  const port = httpAgentPort({
    server: options.server,
    token: options.token,
    resourceName: options.resource,
    agentId,
  });
  const resource = await port.describeResource();
  const agent = new Agent({
    port,
    executor: createExecutor(
      resource,
      options.blastDir === undefined ? {} : jobVariablesOf(path.resolve(options.blastDir)),
    ),
    workRoot: workDir,
    pollIntervalMs: options.pollMs,
    heartbeatIntervalMs: options.heartbeatSeconds * 1000,
    log,
  });
  await agent.start();
  log.info(
    `agent ${agentId} serves ${resource.name} (${resource.type}) for ${options.server} from ${workDir}`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    log.info('stopping: running jobs stay with the scheduler and are picked up at the next start');
    agent
      .stop()
      .then(() => unlockAgentDirectory(workDir))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error(String(error));
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
