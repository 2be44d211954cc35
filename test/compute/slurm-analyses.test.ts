/**
 * Analyses on a real one-node Slurm, asked for through the API and run by a real `cairn agent` process
 * serving a Slurm resource (sbatch, squeue, sacct, scancel): completion with outputs registered, exit code 3,
 * a time limit (TIMEOUT), cancel reaching Slurm, a controller restart in the middle of a job, and an agent
 * killed with SIGKILL between sbatch and reporting the job id that, restarted, submits nothing twice. The agent
 * reaches the server through a small proxy, which is how the test holds its report to kill it at that moment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { AnalysisSummary } from '../../src/modules/compute/analyses.schema.js';
import { startCairn, type RunningCairn } from '../support/cairn-cli.js';
import { attachFiles, loadBuiltinAnalysisTypes, waitForAnalysis } from '../support/compute-factories.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildProject, uniqueName } from '../support/factories.js';
import { callApi } from '../support/inventory-factories.js';
import { runProcess } from '../support/run-process.js';
import { buildSample } from '../support/sample-factories.js';
import { CLUSTER_SCRIPT, holdSlurmCluster, releaseSlurmCluster, slurm } from '../support/slurm.js';
import { useTestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** A proxy to the server that can hold the agent's next "submitted" report unanswered. */
function startProxy(target: () => string) {
  let holding = false;
  let held: (() => void) | null = null;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (holding && request.url?.endsWith('/report') && body.toString().includes('"kind":"submitted"')) {
        holding = false;
        held?.();
        return; // never answered: the agent is killed while it waits
      }
      const upstream = http.request(
        new URL(request.url ?? '/', target()),
        { method: request.method, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  });
  return {
    server,
    /** Resolves when the next "submitted" report arrives (and is held). */
    holdNextSubmittedReport(): Promise<void> {
      holding = true;
      return new Promise<void>((resolve) => (held = resolve));
    },
  };
}

const TIME_LIMITED_TIMEOUT_MS = 240_000;

describe.each(dialects)('Analyses on Slurm through the API on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { admin: 'admin', member: 'user' } });
    const { admin, member } = t.users;
    let unavailable: string | null = null;
    let serverUrl = '';
    const proxy = startProxy(() => serverUrl);
    let workDir = '';
    let resourceId = '';
    let resourceName = '';
    let token = '';
    let projectId = '';
    let agent: RunningCairn | undefined;
    let timeLimited: AnalysisSummary | undefined;

    const needSlurm = (context: TestContext) => {
      if (unavailable !== null) context.skip(unavailable);
    };

    const startAgent = () => {
      const { port } = proxy.server.address() as AddressInfo;
      return startCairn(
        [
          'agent',
          '--server',
          `http://127.0.0.1:${port}`,
          '--resource',
          resourceName,
          '--work-dir',
          workDir,
          '--poll-ms',
          '250',
          '--heartbeat-seconds',
          '2',
        ],
        { ...process.env, CAIRN_AGENT_TOKEN: token },
      );
    };

    const ask = async (analysisType: string, files: Record<string, string> = {}) => {
      const sample = await buildSample(t, { by: member, projectId });
      if (Object.keys(files).length > 0) {
        await attachFiles(
          t,
          member,
          sample.id,
          Object.entries(files).map(([filename, content]) => ({ filename, content })),
        );
      }
      const created = await callApi<AnalysisSummary>(t, member, 'POST', '/api/analyses', {
        sampleId: sample.id,
        analysisType,
        resourceId,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body;
    };

    const jobsNamed = async (jobId: string) =>
      (await slurm('sacct', ['-X', '-n', '-P', '-o', 'JobID', `--name=cairn-${jobId}`, '-S', 'now-1days']))
        .split('\n')
        .filter((line) => line.trim() !== '');

    const slurmType = (name: string, command: string[], time = '5') =>
      callApi(t, admin, 'POST', '/api/analysis-types', {
        name,
        version: '1',
        description: `Slurm test type ${name}`,
        command,
        parameters: { type: 'object', properties: {} },
        inputs: { min: 0 },
        outputs: [],
        resources: { cpus: 1, memory: '100M', time },
      });

    beforeAll(async () => {
      unavailable = await holdSlurmCluster();
      if (unavailable !== null) return;
      await loadBuiltinAnalysisTypes(t);
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      serverUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
      workDir = await mkdtemp(path.join(os.tmpdir(), 'cairn-slurm-agent-'));
      resourceName = uniqueName('cluster ');
      const resource = await callApi<{ id: string }>(t, admin, 'POST', '/api/hpc-resources', {
        name: resourceName,
        type: 'slurm',
      });
      resourceId = resource.body.id;
      token = (
        await callApi<{ token: string }>(t, admin, 'POST', `/api/hpc-resources/${resourceId}/agent-tokens`, {
          name: 'agent on the test cluster',
        })
      ).body.token;
      await slurmType('slurm-exit-three', ['sh', '-c', 'echo failing >&2; exit 3']);
      await slurmType('slurm-sleep', ['sleep', '6']);
      await callApi(t, admin, 'POST', '/api/analysis-types', {
        name: 'slurm-environment',
        version: '1',
        description: "writes the job's environment",
        command: ['env'],
        parameters: { type: 'object', properties: {} },
        inputs: { min: 0 },
        outputs: [{ name: 'environment', path: 'outputs/env.txt' }],
        stdoutTo: 'outputs/env.txt',
        resources: { cpus: 1, memory: '100M', time: '5' },
      });
      await slurmType('slurm-long-sleep', ['sleep', '300']);
      await slurmType('slurm-over-time', ['sleep', '300'], '1');
      projectId = (await buildProject(t.database.db, member.user)).id;
      agent = startAgent();
      // The time limit takes 60 to 90 s to bite (one minute is sbatch's shortest, checked every 30 s): it runs
      // beside the other tests and is checked last, on one database (the mapping does not depend on it).
      if (dialect === 'sqlite') timeLimited = await ask('slurm-over-time');
    }, 600_000);

    afterAll(async () => {
      await agent?.kill();
      proxy.server.close();
      if (workDir !== '') await rm(workDir, { recursive: true, force: true });
      await releaseSlurmCluster();
    });

    it('completes a checksum with its outputs registered and the scheduler state and id kept', async (context) => {
      needSlurm(context);
      const created = await ask('checksum', { 'reads.fastq': '@r\nACGT\n+\nIIII\n' });
      const done = await waitForAnalysis(t, member, created.id, ['completed', 'failed', 'cancelled']);
      expect(done.status, `${JSON.stringify(done.job)}\n${agent?.output()}`).toBe('completed');
      expect(done.job).toMatchObject({ status: 'completed', schedulerState: 'COMPLETED', exitCode: 0 });
      expect(done.job!.externalId).toMatch(/^\d+$/);
      expect(done.files.map((file) => file.output)).toEqual(['manifest']);
      expect(await jobsNamed(done.job!.id)).toEqual([done.job!.externalId]);
    });

    it("runs a job without the agent's token or settings in its environment", async (context) => {
      needSlurm(context);
      const created = await ask('slurm-environment');
      const done = await waitForAnalysis(t, member, created.id, ['completed', 'failed', 'cancelled']);
      expect(done.status).toBe('completed');
      const file = await t.app.inject({
        method: 'GET',
        url: `/api/analyses/${created.id}/files/${done.files[0]!.id}`,
        headers: member.headers,
      });
      expect(file.body).toMatch(/^PATH=/m);
      expect(file.body).toMatch(/^SLURM_JOB_ID=/m);
      expect(file.body).not.toContain(token);
      expect(file.body).not.toMatch(/^CAIRN_/m);
    });

    it('fails a job that exits 3 with exit code 3', async (context) => {
      needSlurm(context);
      const created = await ask('slurm-exit-three');
      const done = await waitForAnalysis(t, member, created.id, ['completed', 'failed', 'cancelled']);
      expect(done.job).toMatchObject({ status: 'failed', schedulerState: 'FAILED', exitCode: 3 });
      const log = await t.app.inject({
        method: 'GET',
        url: `/api/analyses/${created.id}/log?stream=stderr`,
        headers: member.headers,
      });
      expect(log.body).toContain('failing');
    });

    it('cancels a running job in Slurm', async (context) => {
      needSlurm(context);
      const created = await ask('slurm-long-sleep');
      const running = await waitForAnalysis(t, member, created.id, ['running']);
      const cancel = await callApi(t, member, 'POST', `/api/analyses/${created.id}/cancel`);
      expect(cancel.status).toBe(200);
      const done = await waitForAnalysis(t, member, created.id, ['cancelled', 'failed', 'completed']);
      expect(done.job).toMatchObject({ status: 'cancelled', schedulerState: 'CANCELLED' });
      const state = await slurm('sacct', ['-X', '-n', '-P', '-o', 'State', '-j', running.job!.externalId!]);
      expect(state).toMatch(/^CANCELLED/);
    });

    it('ends a job right across a restart of slurmctld in its middle', async (context) => {
      needSlurm(context);
      const created = await ask('slurm-sleep');
      await waitForAnalysis(t, member, created.id, ['running']);
      const restart = await runProcess('bash', [CLUSTER_SCRIPT, 'restart-controller'], {
        timeoutMs: 120_000,
      });
      expect(restart.status, restart.stderr).toBe(0);
      const done = await waitForAnalysis(t, member, created.id, ['completed', 'failed', 'cancelled']);
      expect(done.job, agent?.output()).toMatchObject({ status: 'completed', exitCode: 0 });
    });

    it('submits nothing twice when the agent is killed between sbatch and reporting, and loses nothing', async (context) => {
      needSlurm(context);
      const held = proxy.holdNextSubmittedReport();
      const created = await ask('slurm-sleep');
      await held;
      await agent!.kill('SIGKILL');
      const jobId = created.job!.id;
      await waitFor('the job to be in Slurm', async () => (await jobsNamed(jobId)).length > 0, {
        timeout: 30_000,
      });
      agent = startAgent();
      const done = await waitForAnalysis(t, member, created.id, ['completed', 'failed', 'cancelled']);
      expect(done.status, agent.output()).toBe('completed');
      const submissions = await jobsNamed(jobId);
      expect(submissions).toEqual([done.job!.externalId]);
      expect(agent.output()).toContain(`was already submitted as ${done.job!.externalId}`);
    });

    it(
      'ends a job over its time limit TIMEOUT',
      async (context) => {
        needSlurm(context);
        if (timeLimited === undefined) context.skip('checked on SQLite only');
        const done = await waitForAnalysis(
          t,
          member,
          timeLimited!.id,
          ['completed', 'failed', 'cancelled'],
          TIME_LIMITED_TIMEOUT_MS,
        );
        expect(done.job).toMatchObject({ status: 'failed', schedulerState: 'TIMEOUT' });
        expect(done.job!.reason).toMatch(/time limit/i);
      },
      TIME_LIMITED_TIMEOUT_MS + 30_000,
    );
  });
});
