/**
 * The way `cairn agent` beside a cluster reaches the server: the agent routes of the REST API, with the token
 * of the resource's agent account. A failed call throws with the server's problem detail; the agent retries
 * at its next round.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { HpcResource } from '../compute.schema.js';
import { openLogFile } from '../executors/job-directory.js';
import { writeCheckedCopy } from './embedded-agent-port.js';
import type { AgentJob, AgentPort } from './agent-port.js';

export interface HttpPortOptions {
  /** The server's base URL (`https://lims.example.org`). */
  readonly server: string;
  readonly token: string;
  readonly resourceName: string;
  readonly agentId: string;
}

export class ServerRefused extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`the server answered ${status}: ${detail}`);
  }
}

export function httpAgentPort(options: HttpPortOptions): AgentPort {
  const base = new URL(options.server);
  const resourcePath = `/api/agent/resources/${encodeURIComponent(options.resourceName)}`;
  const headers = { authorization: `Bearer ${options.token}` };
  const agentQuery = `agentId=${encodeURIComponent(options.agentId)}`;

  async function call(path: string, init: RequestInit & { duplex?: 'half' } = {}): Promise<Response> {
    const response = await fetch(new URL(path, base), {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    });
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const problem = (await response.json()) as { detail?: string };
        detail = problem.detail ?? detail;
      } catch {
        // not a problem document: keep the status text
      }
      throw new ServerRefused(response.status, detail);
    }
    return response;
  }

  async function post<T>(path: string, body: unknown): Promise<T> {
    const response = await call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as T;
  }

  async function upload(path: string, content: Readable): Promise<void> {
    await call(path, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: Readable.toWeb(content) as ReadableStream,
      duplex: 'half',
    });
  }

  const jobPath = (jobId: string) => `${resourcePath}/jobs/${encodeURIComponent(jobId)}`;

  return {
    describeResource: async () => (await (await call(`${resourcePath}?${agentQuery}`)).json()) as HpcResource,
    adopt: async () =>
      (await post<{ jobs: AgentJob[] }>(`${resourcePath}/adopt`, { agentId: options.agentId })).jobs,
    claim: async (limit) =>
      (await post<{ jobs: AgentJob[] }>(`${resourcePath}/claim`, { agentId: options.agentId, limit })).jobs,
    heartbeat: (tails) => post(`${resourcePath}/heartbeat`, { agentId: options.agentId, jobs: tails }),
    report: (jobId, report) => post(`${jobPath(jobId)}/report`, { agentId: options.agentId, report }),
    stageInput: async (jobId, input, destination) => {
      const response = await call(
        `${jobPath(jobId)}/inputs/${encodeURIComponent(input.fileId)}?${agentQuery}`,
      );
      if (response.body === null) throw new Error(`the server sent no content for input ${input.name}`);
      await writeCheckedCopy(Readable.fromWeb(response.body as never), destination, input.sha256);
    },
    uploadOutput: (jobId, file) =>
      upload(
        `${jobPath(jobId)}/outputs?${agentQuery}&output=${encodeURIComponent(file.output)}&name=${encodeURIComponent(file.relativePath)}`,
        createReadStream(file.absolutePath),
      ),
    uploadLog: async (jobId, stream, file) =>
      upload(`${jobPath(jobId)}/logs/${stream}?${agentQuery}`, await openLogFile(file)),
  };
}
