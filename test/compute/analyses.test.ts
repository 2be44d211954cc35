/**
 * Analyses end to end on both databases: a member asks for an analysis of a sample through the API, an
 * embedded agent of the local resource runs it as a real child process, and the outputs, logs, provenance,
 * history and audit trail come back. Also parameters as literal arguments, failures with their exit codes,
 * cancel and retry, batches (all or nothing), who sees what, agents' tokens and leases, and the refusals that
 * write nothing.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { inTransaction } from '../../src/db/transaction.js';
import type { Agent } from '../../src/modules/compute/agent/agent.js';
import type { Analysis, AnalysisSummary } from '../../src/modules/compute/analyses.schema.js';
import type { AnalysisTypeDefinition } from '../../src/modules/compute/analysis-type-definition.js';
import * as jobs from '../../src/modules/compute/hpc-jobs.service.js';
import type { AuditEvent } from '../../src/modules/history/history.schema.js';
import type { SampleDetail } from '../../src/modules/samples/samples.schema.js';
import type { Page, Problem } from '../support/api-types.js';
import {
  attachFiles,
  loadBuiltinAnalysisTypes,
  localResourceId,
  startTestAgent,
  waitForAnalysis,
} from '../support/compute-factories.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { buildProject, uniqueName } from '../support/factories.js';
import { buildSample } from '../support/sample-factories.js';
import { useTestApp, type TestUser } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A type with no inputs whose command is given: for exit codes, literal arguments and long runs. */
function commandType(name: string, command: string[], extra: Partial<AnalysisTypeDefinition> = {}) {
  return {
    name,
    version: '1',
    description: `test type ${name}`,
    command,
    parameters: { type: 'object', properties: {} },
    inputs: { min: 0 },
    outputs: [],
    resources: { cpus: 1, memory: '100M', time: '00:05:00' },
    ...extra,
  };
}

describe.each(dialects)('Analyses on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, {
      users: { admin: 'admin', manager: 'user', member: 'user', viewer: 'user', outsider: 'user' },
    });
    const { admin, manager, member, viewer, outsider } = t.users;
    let agent: Agent;
    let projectId: string;

    async function call<T>(who: TestUser, method: InjectOptions['method'], url: string, payload?: unknown) {
      const response = await t.app.inject({
        method,
        url,
        headers: who.headers,
        ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
      });
      return {
        status: response.statusCode,
        body: response.json<T>(),
        text: response.body,
        headers: response.headers,
      };
    }

    async function ask(who: TestUser, body: Record<string, unknown>): Promise<AnalysisSummary> {
      const { status, body: created } = await call<AnalysisSummary>(who, 'POST', '/api/analyses', body);
      expect(status, JSON.stringify(created)).toBe(201);
      return created;
    }

    async function registerType(definition: Record<string, unknown>): Promise<void> {
      const { status, body } = await call(admin, 'POST', '/api/analysis-types', definition);
      expect([200, 201], JSON.stringify(body)).toContain(status);
    }

    async function sampleWithFiles(files: Record<string, string>) {
      const sample = await buildSample(t, { by: member, projectId });
      if (Object.keys(files).length > 0) {
        await attachFiles(
          t,
          member,
          sample.id,
          Object.entries(files).map(([filename, content]) => ({
            filename,
            content,
            contentType: 'text/plain',
          })),
        );
      }
      return sample;
    }

    /** What the tables hold: a refused request leaves them as they were. */
    async function snapshot() {
      const db = t.database.db;
      const count = async (table: 'analyses' | 'hpc_jobs' | 'audit_events' | 'analysis_files') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return {
        analyses: await count('analyses'),
        jobs: await count('hpc_jobs'),
        events: await count('audit_events'),
        files: await count('analysis_files'),
      };
    }

    beforeAll(async () => {
      await loadBuiltinAnalysisTypes(t);
      projectId = (
        await buildProject(t.database.db, manager.user, {
          members: [
            [member.user, 'member'],
            [viewer.user, 'viewer'],
          ],
        })
      ).id;
      await registerType(commandType('exit-three', ['sh', '-c', 'echo about to fail >&2; exit 3']));
      await registerType(commandType('long-sleep', ['sleep', '300']));
      await registerType(
        commandType('echo-args', ['printf', '%s\\n', '{params.text}', '{params.other}'], {
          parameters: {
            type: 'object',
            properties: { text: { type: 'string', maxLength: 200 }, other: { type: 'string', default: 'x' } },
            required: ['text'],
          },
          outputs: [{ name: 'lines', path: 'outputs/lines.txt' }],
          stdoutTo: 'outputs/lines.txt',
        }),
      );
      await registerType(
        commandType('lies-about-output', ['true'], {
          outputs: [{ name: 'report', path: 'outputs/report.txt' }],
        }),
      );
      agent = await startTestAgent(t);
    });
    afterAll(async () => agent?.stop());

    it('runs a checksum of a sample: outputs, result path, logs, provenance, history and audit', async () => {
      const files = { 'reads_1.fastq': '@r1\nACGT\n+\nIIII\n', 'notes.txt': 'collected on ice\n' };
      const sample = await sampleWithFiles(files);
      const created = await ask(member, { sampleId: sample.id, analysisType: 'checksum' });
      expect(created).toMatchObject({
        status: 'queued',
        sampleId: sample.id,
        projectId,
        analysisType: { name: 'checksum', version: '1.0.0' },
        requestedBy: { id: member.user.id },
        job: { attempt: 1, status: 'queued' },
      });

      const done = await waitForAnalysis(t, member, created.id, ['completed', 'failed']);
      expect(done.status, JSON.stringify(done.job)).toBe('completed');
      expect(done.completedAt).not.toBeNull();
      expect(done.resultPath).toBe(`/api/analyses/${done.id}/files`);
      const job = done.job!;
      expect(job).toMatchObject({ status: 'completed', exitCode: 0, attempt: 1 });
      expect(job.externalId).toMatch(/^local:\d+$/);
      for (const time of [job.queuedAt, job.submittedAt, job.startedAt, job.endedAt])
        expect(time).not.toBeNull();
      expect(job.provenance.type).toEqual({ name: 'checksum', version: '1.0.0' });
      expect(job.provenance.argv[0]).toBe('sha256sum');
      expect(job.provenance.inputs.map((input) => [input.name, input.sha256]).sort()).toEqual(
        Object.entries(files)
          .map(([name, content]) => [name, sha256(content)])
          .sort(),
      );
      expect(job.provenance.toolVersions.sha256sum).toMatch(/sha256sum/);

      expect(done.files).toHaveLength(1);
      const [manifest] = done.files;
      expect(manifest).toMatchObject({ output: 'manifest', name: 'outputs/sha256-manifest.txt' });
      const download = await t.app.inject({
        method: 'GET',
        url: `/api/analyses/${done.id}/files/${manifest!.id}`,
        headers: member.headers,
      });
      expect(download.statusCode).toBe(200);
      expect(sha256(download.body)).toBe(manifest!.sha256);
      for (const [name, content] of Object.entries(files)) {
        expect(download.body).toContain(`${sha256(content)}  inputs/${name}`);
      }

      const log = await t.app.inject({
        method: 'GET',
        url: `/api/analyses/${done.id}/log?stream=stderr`,
        headers: member.headers,
      });
      expect(log.statusCode).toBe(200);
      expect(log.headers['cairn-log-complete']).toBe('true');

      const history = await call<SampleDetail>(member, 'GET', `/api/samples/${sample.id}`);
      const notes = history.body.history.filter((event) => event.entityType === 'sample_analysis');
      expect(notes.map((event) => (event.after as { status: string }).status).sort()).toEqual([
        'completed',
        'queued',
      ]);

      const audit = await call<Page<AuditEvent>>(member, 'GET', `/api/audit?entityId=${job.id}&limit=50`);
      const statuses = audit.body.items.map((event) => (event.after as { status: string }).status).reverse();
      expect(statuses).toEqual(['queued', 'submitted', 'running', 'completed']);
    });

    it('passes every parameter to the program as one literal argument, never through a shell', async () => {
      const hostile = '; rm -rf / # $(id) `id` \'quoted\' "double" * a\nb';
      const sample = await sampleWithFiles({});
      const created = await ask(member, {
        sampleId: sample.id,
        analysisType: 'echo-args',
        params: { text: hostile, other: '$HOME' },
      });
      const done = await waitForAnalysis(t, member, created.id, ['completed', 'failed']);
      expect(done.status, JSON.stringify(done.job)).toBe('completed');
      expect(done.job!.provenance.argv).toEqual(['printf', '%s\\n', hostile, '$HOME']);
      const file = done.files.find((candidate) => candidate.output === 'lines')!;
      const content = await t.app.inject({
        method: 'GET',
        url: `/api/analyses/${done.id}/files/${file.id}`,
        headers: member.headers,
      });
      expect(content.body).toBe(`${hostile}\n$HOME\n`);
    });

    it('fails a job that exits 3 with exit code 3 and its log, and keeps the attempt when retried', async () => {
      const sample = await sampleWithFiles({});
      const created = await ask(member, { sampleId: sample.id, analysisType: 'exit-three' });
      const failed = await waitForAnalysis(t, member, created.id, ['completed', 'failed']);
      expect(failed.status).toBe('failed');
      expect(failed.job).toMatchObject({ status: 'failed', exitCode: 3 });
      expect(failed.job!.stderrTail).toContain('about to fail');
      expect(failed.resultPath).toBeNull();

      const retried = await call<Analysis>(member, 'POST', `/api/analyses/${created.id}/retry`);
      expect(retried.status, JSON.stringify(retried.body)).toBe(200);
      expect(retried.body.status).toBe('queued');
      expect(retried.body.job!.attempt).toBe(2);
      expect(retried.body.attempts.map((job) => [job.attempt, job.status])).toEqual([[1, 'failed']]);
      const again = await waitForAnalysis(t, member, created.id, ['failed']);
      expect(again.job!.attempt).toBe(2);
      expect(again.attempts).toHaveLength(1);
    });

    it('fails a completed job whose required output is missing, saying which', async () => {
      const sample = await sampleWithFiles({});
      const created = await ask(member, { sampleId: sample.id, analysisType: 'lies-about-output' });
      const done = await waitForAnalysis(t, member, created.id, ['completed', 'failed']);
      expect(done.status).toBe('failed');
      expect(done.job!.exitCode).toBe(0);
      expect(done.job!.reason).toMatch(/required output report \(outputs\/report\.txt\) was not produced/);
    });

    it('cancels a running job (its process ends) and refuses to cancel it again or retry it while it runs', async () => {
      const sample = await sampleWithFiles({});
      const created = await ask(member, { sampleId: sample.id, analysisType: 'long-sleep' });
      await waitForAnalysis(t, member, created.id, ['running']);
      const retry = await call<Problem>(member, 'POST', `/api/analyses/${created.id}/retry`);
      expect(retry.status).toBe(409);
      const cancel = await call<Analysis>(member, 'POST', `/api/analyses/${created.id}/cancel`);
      expect(cancel.status).toBe(200);
      expect(cancel.body.job!.cancelRequestedAt).not.toBeNull();
      const cancelled = await waitForAnalysis(t, member, created.id, ['cancelled', 'failed', 'completed']);
      expect(cancelled.status).toBe('cancelled');
      const pid = Number(cancelled.job!.externalId!.split(':')[1]);
      expect(() => process.kill(pid, 0)).toThrow();
      const before = await snapshot();
      const again = await call<Problem>(member, 'POST', `/api/analyses/${created.id}/cancel`);
      expect(again.status).toBe(409);
      expect(await snapshot()).toEqual(before);
    });

    it('asks for a batch in one call, all or nothing', async () => {
      const samples = [
        await sampleWithFiles({ 'a.txt': 'a' }),
        await sampleWithFiles({ 'b.txt': 'b' }),
        await sampleWithFiles({}),
      ];
      const before = await snapshot();
      const refused = await call<Problem>(member, 'POST', '/api/analyses/batch', {
        sampleIds: samples.map((sample) => sample.id),
        analysisType: 'checksum',
      });
      expect(refused.status).toBe(422);
      expect(refused.body.errors?.[0]?.field).toBe('sampleIds/2');
      expect(await snapshot()).toEqual(before);

      const batch = await call<{ items: AnalysisSummary[] }>(member, 'POST', '/api/analyses/batch', {
        sampleIds: samples.slice(0, 2).map((sample) => sample.id),
        analysisType: 'checksum',
      });
      expect(batch.status).toBe(201);
      expect(batch.body.items.map((analysis) => analysis.sampleId)).toEqual(
        samples.slice(0, 2).map((s) => s.id),
      );
      for (const analysis of batch.body.items) {
        expect((await waitForAnalysis(t, member, analysis.id, ['completed', 'failed'])).status).toBe(
          'completed',
        );
      }
    });

    it('lists what each user may see, with filters and cursor pages', async () => {
      const sample = await sampleWithFiles({ 'x.txt': 'x' });
      const created = await ask(member, { sampleId: sample.id, analysisType: 'checksum' });
      const mine = await call<Page<AnalysisSummary>>(viewer, 'GET', `/api/analyses?sampleId=${sample.id}`);
      expect(mine.body.items.map((analysis) => analysis.id)).toEqual([created.id]);
      const theirs = await call<Page<AnalysisSummary>>(outsider, 'GET', '/api/analyses');
      expect(theirs.body.items).toEqual([]);
      expect((await call(outsider, 'GET', `/api/analyses/${created.id}`)).status).toBe(404);
      expect((await call(outsider, 'GET', `/api/analyses/${created.id}/log`)).status).toBe(404);

      const all: AnalysisSummary[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: Page<AnalysisSummary> } = await call<Page<AnalysisSummary>>(
          member,
          'GET',
          `/api/analyses?projectId=${projectId}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        all.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      expect(new Set(all.map((analysis) => analysis.id)).size).toBe(all.length);
      expect(all.length).toBeGreaterThanOrEqual(5);
      const failed = await call<Page<AnalysisSummary>>(
        member,
        'GET',
        '/api/analyses?status=failed&type=exit-three',
      );
      expect(
        failed.body.items.every((a) => a.status === 'failed' && a.analysisType.name === 'exit-three'),
      ).toBe(true);
      // Settled before the next test counts what is written (its ending is audited too).
      await waitForAnalysis(t, member, created.id, ['completed', 'failed']);
    });

    it('refuses bad requests with a problem document and writes nothing', async () => {
      const sample = await sampleWithFiles({ 'r.fastq': '@r\nA\n+\nI\n' });
      const other = await buildSample(t, { by: outsider });
      const draining = await call<{ id: string }>(admin, 'POST', '/api/hpc-resources', {
        name: uniqueName('draining '),
        type: 'local',
        status: 'draining',
      });
      const offline = await call<{ id: string }>(admin, 'POST', '/api/hpc-resources', {
        name: uniqueName('offline '),
        type: 'local',
        status: 'offline',
      });
      const cases: Array<[TestUser, Record<string, unknown>, number, string | undefined]> = [
        [member, { sampleId: sample.id, analysisType: 'no-such-type' }, 422, 'analysisType'],
        [
          member,
          { sampleId: sample.id, analysisType: 'fastq-subsample', params: { proportion: 2 } },
          422,
          'params.proportion',
        ],
        [
          member,
          { sampleId: sample.id, analysisType: 'fastq-subsample', params: { proportion: 0.5, bogus: 1 } },
          422,
          'params.bogus',
        ],
        [
          member,
          { sampleId: sample.id, analysisType: 'seqkit-stats', params: { all: 'yes' } },
          422,
          'params.all',
        ],
        [member, { sampleId: other.id, analysisType: 'checksum' }, 404, undefined],
        [viewer, { sampleId: sample.id, analysisType: 'checksum' }, 403, undefined],
        [
          member,
          { sampleId: sample.id, analysisType: 'checksum', resourceId: draining.body.id },
          409,
          'resourceId',
        ],
        [
          member,
          { sampleId: sample.id, analysisType: 'checksum', resourceId: offline.body.id },
          409,
          'resourceId',
        ],
        [member, { sampleId: sample.id, analysisType: 'checksum', resourceId: 'nope' }, 422, 'resourceId'],
        [member, { sampleId: sample.id, analysisType: 'checksum', extra: true }, 400, undefined],
      ];
      const before = await snapshot();
      for (const [who, body, status, field] of cases) {
        const response = await call<Problem>(who, 'POST', '/api/analyses', body);
        expect(response.status, `${JSON.stringify(body)} → ${response.text}`).toBe(status);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        if (field !== undefined) expect(response.body.errors?.map((error) => error.field)).toContain(field);
      }
      expect(await snapshot()).toEqual(before);
    });

    it("issues a resource agent's token that reaches only its agent routes", async () => {
      const resourceId = await localResourceId(t);
      const issued = await call<{ token: string; agentUsername: string }>(
        admin,
        'POST',
        `/api/hpc-resources/${resourceId}/agent-tokens`,
        { name: 'test agent' },
      );
      expect(issued.status).toBe(201);
      expect(issued.body.agentUsername).toBe('agent-local');
      const agentUser: TestUser = {
        user: { id: '', username: issued.body.agentUsername } as TestUser['user'],
        token: issued.body.token,
        headers: { authorization: `Bearer ${issued.body.token}` },
      };
      for (const url of [
        '/api/projects',
        '/api/audit',
        '/api/analyses',
        '/api/items',
        '/api/hpc-resources',
      ]) {
        expect((await call(agentUser, 'GET', url)).status, url).toBe(403);
      }
      const heartbeat = await call(agentUser, 'POST', '/api/agent/resources/local/heartbeat', {
        agentId: 'remote-1',
        jobs: [],
      });
      expect(heartbeat.status, heartbeat.text).toBe(200);
      const resource = await call<{ lastHeartbeatAt: string | null }>(
        admin,
        'GET',
        `/api/hpc-resources/${resourceId}`,
      );
      expect(resource.body.lastHeartbeatAt).not.toBeNull();
      const elsewhere = await call(
        agentUser,
        'POST',
        `/api/agent/resources/${encodeURIComponent('no such')}/claim`,
        {
          agentId: 'remote-1',
          limit: 1,
        },
      );
      expect(elsewhere.status).toBe(404);
      expect(
        (await call(member, 'POST', '/api/agent/resources/local/claim', { agentId: 'x', limit: 1 })).status,
      ).toBe(403);
      expect(
        (await call(outsider, 'POST', `/api/hpc-resources/${resourceId}/agent-tokens`, { name: 'x' })).status,
      ).toBe(403);
    });

    it('never gives one job to two agents claiming at once', async () => {
      await agent.stop();
      try {
        const samples = await Promise.all([1, 2, 3, 4, 5, 6].map(() => sampleWithFiles({ 'f.txt': 'f' })));
        await call(member, 'POST', '/api/analyses/batch', {
          sampleIds: samples.map((sample) => sample.id),
          analysisType: 'checksum',
        });
        const resourceId = await localResourceId(t);
        const policy = { staleSeconds: t.config.agentStaleSeconds };
        const claim = async (agentId: string) => {
          const session = await jobs.openAgentSession(
            t.database.db,
            null,
            { id: resourceId },
            agentId,
            policy,
          );
          return inTransaction(t.database.db, (trx) => jobs.claimJobs(trx, session, 4));
        };
        const [first, second] = await Promise.all([claim('agent-a'), claim('agent-b')]);
        const ids = [...first, ...second].map((job) => job.spec.jobId);
        expect(ids.length).toBe(6);
        expect(new Set(ids).size).toBe(6);
        const report = async (agentId: string, jobId: string) => {
          const session = await jobs.openAgentSession(
            t.database.db,
            null,
            { id: resourceId },
            agentId,
            policy,
          );
          return inTransaction(t.database.db, (trx) =>
            jobs.reportJob(trx, session, jobId, { kind: 'submitted', externalId: '1' }),
          );
        };
        await expect(report('agent-b', first[0]!.spec.jobId)).rejects.toThrow(/held by another agent/);
      } finally {
        agent = await startTestAgent(t, { agentId: 'test-agent-2' });
      }
    });

    it('gives no new job to a draining resource while it finishes the one it has', async () => {
      const resourceId = await localResourceId(t);
      const sample = await sampleWithFiles({});
      await agent.stop();
      agent = await startTestAgent(t, { agentId: 'draining-agent' });
      const running = await ask(member, { sampleId: sample.id, analysisType: 'long-sleep' });
      await waitForAnalysis(t, member, running.id, ['running']);
      await agent.stop();
      const waiting = await ask(member, { sampleId: sample.id, analysisType: 'exit-three' });
      const drain = await call(admin, 'PATCH', `/api/hpc-resources/${resourceId}`, { status: 'draining' });
      expect(drain.status).toBe(200);
      agent = await startTestAgent(t, { agentId: 'draining-agent' });
      try {
        // The held job is carried on with (and cancelled here to end it); the queued one is not taken.
        await call(member, 'POST', `/api/analyses/${running.id}/cancel`);
        expect((await waitForAnalysis(t, member, running.id, ['cancelled'])).status).toBe('cancelled');
        const stillQueued = await call<Analysis>(member, 'GET', `/api/analyses/${waiting.id}`);
        expect(stillQueued.body.status).toBe('queued');
        expect(stillQueued.body.job!.externalId).toBeNull();
      } finally {
        await call(admin, 'PATCH', `/api/hpc-resources/${resourceId}`, { status: 'online' });
      }
      expect((await waitForAnalysis(t, member, waiting.id, ['failed', 'completed'])).status).toBe('failed');
    });

    it('fails, after a restart, a job whose process was lost; never leaves it running', async () => {
      await agent.stop();
      const sample = await sampleWithFiles({});
      const created = await ask(member, { sampleId: sample.id, analysisType: 'long-sleep' });
      const first = await startTestAgent(t, { agentId: 'restarting-agent' });
      const running = await waitForAnalysis(t, member, created.id, ['running']);
      await first.stop();
      const pid = Number(running.job!.externalId!.split(':')[1]);
      process.kill(-pid, 'SIGKILL');
      await waitFor('the job process to go', () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      });
      agent = await startTestAgent(t, { agentId: 'restarting-agent' });
      const lost = await waitForAnalysis(t, member, created.id, ['failed', 'completed', 'cancelled']);
      expect(lost.status).toBe('failed');
      expect(lost.job!.reason).toMatch(/lost/);
    });
  });
});
