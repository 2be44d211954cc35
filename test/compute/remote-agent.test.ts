/**
 * `cairn agent` as a real process beside the server, on both databases: it reaches the server only through the
 * agent routes with its resource's token, downloads the inputs, runs the job, uploads outputs and logs, and
 * after a SIGKILL picks up the job it was running where it left off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisSummary } from '../../src/modules/compute/analyses.schema.js';
import { startCairn, type RunningCairn } from '../support/cairn-cli.js';
import { attachFiles, loadBuiltinAnalysisTypes, waitForAnalysis } from '../support/compute-factories.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildProject, uniqueName } from '../support/factories.js';
import { callApi } from '../support/inventory-factories.js';
import { buildSample } from '../support/sample-factories.js';
import { useTestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

describe.each(dialects)('cairn agent beside the server on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { admin: 'admin', member: 'user' } });
    const { admin, member } = t.users;
    let server: string;
    let workDir: string;
    let resourceName: string;
    let resourceId: string;
    let token: string;
    let agent: RunningCairn | undefined;
    let projectId: string;

    const startAgent = () =>
      startCairn(
        [
          'agent',
          '--server',
          server,
          '--resource',
          resourceName,
          '--work-dir',
          workDir,
          '--poll-ms',
          '100',
          '--heartbeat-seconds',
          '1',
        ],
        { ...process.env, CAIRN_AGENT_TOKEN: token },
      );

    beforeAll(async () => {
      await loadBuiltinAnalysisTypes(t);
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      server = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      workDir = await mkdtemp(path.join(os.tmpdir(), 'cairn-agent-'));
      resourceName = uniqueName('bench box ');
      const resource = await callApi<{ id: string }>(t, admin, 'POST', '/api/hpc-resources', {
        name: resourceName,
        type: 'local',
        settings: { maxConcurrent: 2 },
      });
      resourceId = resource.body.id;
      const issued = await callApi<{ token: string }>(
        t,
        admin,
        'POST',
        `/api/hpc-resources/${resourceId}/agent-tokens`,
        {
          name: 'agent beside the bench box',
        },
      );
      expect(issued.status).toBe(201);
      token = issued.body.token;
      await callApi(t, admin, 'POST', '/api/analysis-types', {
        name: 'remote-sleep',
        version: '1',
        description: 'sleeps, then writes a file',
        command: ['sh', '-c', 'sleep 3; echo slept > outputs/slept.txt'],
        parameters: { type: 'object', properties: {} },
        inputs: { min: 0 },
        outputs: [{ name: 'note', path: 'outputs/slept.txt' }],
        resources: { cpus: 1, memory: '100M', time: '00:05:00' },
      });
      projectId = (await buildProject(t.database.db, member.user)).id;
      agent = startAgent();
    });
    afterAll(async () => {
      await agent?.kill();
      await rm(workDir, { recursive: true, force: true });
    });

    it('runs a checksum through the REST API only, with inputs downloaded and outputs uploaded', async () => {
      const sample = await buildSample(t, { by: member, projectId });
      await attachFiles(t, member, sample.id, [{ filename: 'seq.fasta', content: '>s1\nACGT\n' }]);
      const created = await callApi<AnalysisSummary>(t, member, 'POST', '/api/analyses', {
        sampleId: sample.id,
        analysisType: 'checksum',
        resourceId,
      });
      expect(created.status).toBe(201);
      const done = await waitForAnalysis(t, member, created.body.id, ['completed', 'failed']);
      expect(done.status, `${JSON.stringify(done.job)}\n${agent!.output()}`).toBe('completed');
      expect(done.resource.name).toBe(resourceName);
      expect(done.files.map((file) => file.output)).toEqual(['manifest']);
      const resource = await callApi<{ lastHeartbeatAt: string | null; status: string }>(
        t,
        admin,
        'GET',
        `/api/hpc-resources/${resourceId}`,
      );
      expect(resource.body.lastHeartbeatAt).not.toBeNull();
      expect(resource.body.status).toBe('online');
    });

    it('carries on with a running job after being killed with SIGKILL and restarted', async () => {
      const sample = await buildSample(t, { by: member, projectId });
      const created = await callApi<AnalysisSummary>(t, member, 'POST', '/api/analyses', {
        sampleId: sample.id,
        analysisType: 'remote-sleep',
        resourceId,
      });
      const running = await waitForAnalysis(t, member, created.body.id, ['running']);
      await agent!.kill('SIGKILL');
      agent = startAgent();
      const done = await waitForAnalysis(t, member, created.body.id, ['completed', 'failed']);
      expect(done.status, `${JSON.stringify(done.job)}\n${agent.output()}`).toBe('completed');
      expect(done.job!.externalId).toBe(running.job!.externalId);
      expect(done.attempts).toEqual([]);
      expect(done.files.map((file) => file.name)).toEqual(['outputs/slept.txt']);
      await waitFor('the agent to say it carried on', () =>
        agent!.output().includes('carrying on with 1 job'),
      );
    });
  });
});
