/**
 * The analysis type registry on both databases: the built-ins registered when the server opens its database,
 * a lab's own folder beside them (bad files reported by name, never fatal), admins registering versions
 * through the API, versions that never change, the refusals that write nothing, and the audit trail.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { loadConfig } from '../../src/config/config.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createLogger } from '../../src/http/logger.js';
import type { AnalysisType } from '../../src/modules/compute/analyses.schema.js';
import type { AnalysisTypeDefinition } from '../../src/modules/compute/analysis-type-definition.js';
import { loadDefinitionFiles } from '../../src/modules/compute/analysis-types.service.js';
import type { AuditEvent } from '../../src/modules/history/history.schema.js';
import { openRuntime } from '../../src/runtime.js';
import type { Page, Problem } from '../support/api-types.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { uniqueName } from '../support/factories.js';
import { useTestApp, type TestUser } from '../support/test-app.js';

/** A valid definition under a fresh name, with overrides. */
function buildDefinition(overrides: Partial<AnalysisTypeDefinition> = {}): AnalysisTypeDefinition {
  return {
    name: uniqueName('count-lines-'),
    version: '1.0.0',
    description: 'Counts the lines of the sample’s text files',
    command: ['wc', '-l', '{inputs}'],
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    inputs: { namePattern: '*.txt', min: 1 },
    outputs: [{ name: 'counts', path: 'outputs/counts.txt', required: true }],
    stdoutTo: 'outputs/counts.txt',
    resources: { cpus: 1, memory: '512M', time: '5' },
    toolVersions: { wc: ['wc', '--version'] },
    ...overrides,
  };
}

describe.each(dialects)('analysis types on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { admin: 'admin', staff: 'staff', user: 'user' } });
    const { admin, staff, user } = t.users;

    async function call<T>(who: TestUser, method: InjectOptions['method'], url: string, payload?: unknown) {
      const response = await t.app.inject({
        method,
        url,
        headers: who.headers,
        ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
      });
      return { status: response.statusCode, body: response.json<T>() };
    }

    /** What the registry and the audit trail hold: a refused request must leave both as they were. */
    async function snapshot() {
      const db = t.database.db;
      const types = await db.selectFrom('analysis_types').selectAll().orderBy('id').execute();
      const events = await db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return { types, events: Number(events.n) };
    }

    /** Opens the database as `cairn serve` does: migrations, then the definition files. */
    async function openAsServer(analysisTypesDir: string | null = null) {
      const config = { ...t.config, analysisTypesDir, logLevel: 'silent' as const };
      const runtime = await openRuntime(config, createLogger(config));
      await runtime.database.destroy();
    }

    it('registers the three built-ins when the server opens its database, once', async () => {
      await openAsServer();
      const before = await snapshot();
      await openAsServer();
      expect(await snapshot()).toEqual(before);

      const { status, body } = await call<{ items: AnalysisType[] }>(user, 'GET', '/api/analysis-types');
      expect(status).toBe(200);
      const byName = new Map(body.items.map((type) => [type.name, type]));
      for (const name of ['checksum', 'seqkit-stats', 'fastq-subsample', 'blast-search']) {
        expect(byName.get(name), name).toMatchObject({ origin: 'builtin', version: '1.0.0' });
      }
      expect(byName.get('fastq-subsample')).toMatchObject({
        parameters: {
          type: 'object',
          properties: {
            proportion: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
            seed: { type: 'integer', default: 11 },
          },
          required: ['proportion'],
        },
        inputs: { namePattern: '*.{fq,fastq}{,.gz}', min: 1, max: 1 },
        outputs: [{ name: 'subsample', path: 'outputs/subsample.fastq', required: true }],
        resources: { cpus: 1, memory: '1G', time: '00:10:00' },
        toolVersions: { seqkit: ['seqkit', 'version'] },
        stdoutTo: null,
      });
      expect(byName.get('checksum')).toMatchObject({
        command: ['sha256sum', '--', '{inputs}'],
        stdoutTo: 'outputs/sha256-manifest.txt',
      });
      expect(byName.get('seqkit-stats')?.parameters).toMatchObject({
        properties: { all: { type: 'boolean' } },
      });

      const one = await call<AnalysisType>(user, 'GET', '/api/analysis-types/checksum');
      expect(one.status).toBe(200);
      expect(one.body).toEqual(byName.get('checksum'));
      const missing = await call<Problem>(user, 'GET', '/api/analysis-types/no-such-type');
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('not_found');
    });

    it('loads a lab’s own folder beside the built-ins, reporting bad files by name without stopping', async () => {
      const folder = await mkdtemp(path.join(os.tmpdir(), 'cairn-types-'));
      try {
        const good = buildDefinition();
        const badTime = buildDefinition({ resources: { cpus: 1, memory: '1G', time: 'soon' } });
        await writeFile(path.join(folder, 'good.json'), JSON.stringify(good));
        await writeFile(path.join(folder, 'bad-time.json'), JSON.stringify(badTime));
        await writeFile(path.join(folder, 'broken.json'), '{ "name": ');
        await writeFile(
          path.join(folder, 'shape.json'),
          JSON.stringify({ ...good, name: 'Not A Name', extra: 1 }),
        );
        await writeFile(path.join(folder, 'readme.txt'), 'not a definition');
        await openAsServer(folder);

        const listed = await call<AnalysisType>(user, 'GET', `/api/analysis-types/${good.name}`);
        expect(listed.status).toBe(200);
        expect(listed.body).toMatchObject({ origin: 'file', version: '1.0.0', command: good.command });
        expect((await call(user, 'GET', `/api/analysis-types/${badTime.name}`)).status).toBe(404);

        // The same file again changes nothing; a changed file under the same version is a problem, not a crash.
        await writeFile(
          path.join(folder, 'changed.json'),
          JSON.stringify({ ...good, description: 'changed' }),
        );
        const report = await inTransaction(t.database.db, (trx) =>
          loadDefinitionFiles(trx, [{ directory: folder, origin: 'file' }]),
        );
        expect(report.registered).toEqual([]);
        const problems = new Map(report.problems.map((problem) => [path.basename(problem.file), problem]));
        expect([...problems.keys()].sort()).toEqual([
          'bad-time.json',
          'broken.json',
          'changed.json',
          'shape.json',
        ]);
        expect(problems.get('bad-time.json')?.errors.map((error) => error.field)).toEqual(['resources.time']);
        expect(problems.get('broken.json')?.message).toMatch(/JSON/);
        expect(
          problems
            .get('shape.json')
            ?.errors.map((error) => error.field)
            .sort(),
        ).toEqual(['extra', 'name']);
        expect(problems.get('changed.json')?.message).toMatch(/versions never change/);
        expect(
          (await call<AnalysisType>(user, 'GET', `/api/analysis-types/${good.name}`)).body.description,
        ).toBe(good.description);

        const absent = await inTransaction(t.database.db, (trx) =>
          loadDefinitionFiles(trx, [{ directory: path.join(folder, 'missing'), origin: 'file' }]),
        );
        expect(absent.problems).toHaveLength(1);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    });

    it('lets an admin register a version, answers the same one sent again, and lists versions latest first', async () => {
      const definition = buildDefinition();
      const created = await call<AnalysisType>(admin, 'POST', '/api/analysis-types', definition);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        name: definition.name,
        version: '1.0.0',
        origin: 'api',
        command: definition.command,
        parameters: definition.parameters,
      });

      const reordered = Object.fromEntries(Object.entries(definition).reverse());
      const again = await call<AnalysisType>(admin, 'POST', '/api/analysis-types', reordered);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(created.body);

      const second = await call<AnalysisType>(admin, 'POST', '/api/analysis-types', {
        ...definition,
        version: '1.1.0',
        command: ['wc', '-w', '{inputs}'],
      });
      expect(second.status).toBe(201);
      const latest = await call<AnalysisType>(user, 'GET', `/api/analysis-types/${definition.name}`);
      expect(latest.body).toEqual(second.body);
      const versions = await call<{ items: AnalysisType[] }>(
        user,
        'GET',
        `/api/analysis-types?name=${definition.name}`,
      );
      expect(versions.body.items.map((type) => type.version)).toEqual(['1.1.0', '1.0.0']);
      const all = await call<{ items: AnalysisType[] }>(user, 'GET', '/api/analysis-types');
      expect(
        all.body.items.filter((type) => type.name === definition.name).map((type) => type.version),
      ).toEqual(['1.1.0']);
      const names = all.body.items.map((type) => type.name);
      expect(names).toEqual([...names].sort());
      const unknown = await call<{ items: AnalysisType[] }>(
        user,
        'GET',
        '/api/analysis-types?name=nothing-here',
      );
      expect(unknown.body.items).toEqual([]);
    });

    it('refuses a changed definition under a registered version with 409, and writes nothing', async () => {
      const definition = buildDefinition();
      expect((await call(admin, 'POST', '/api/analysis-types', definition)).status).toBe(201);
      const before = await snapshot();
      for (const changed of [
        { ...definition, description: 'something else' },
        { ...definition, resources: { ...definition.resources, cpus: 2 } },
        { ...definition, outputs: [{ ...definition.outputs[0], required: false }] },
      ]) {
        const response = await call<Problem>(admin, 'POST', '/api/analysis-types', changed);
        expect(response.status).toBe(409);
        expect(response.body.code).toBe('conflict');
        expect(response.body.errors).toEqual([
          { field: 'version', message: 'versions never change: give it a new version' },
        ]);
      }
      const builtin = await call<Problem>(admin, 'POST', '/api/analysis-types', {
        ...buildDefinition(),
        name: 'checksum',
        version: '1.0.0',
      });
      expect(builtin.status).toBe(409);
      expect(await snapshot()).toEqual(before);
    });

    it('lets only admins register types, and writes nothing for others', async () => {
      const before = await snapshot();
      for (const who of [user, staff]) {
        const response = await call<Problem>(who, 'POST', '/api/analysis-types', buildDefinition());
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('forbidden');
      }
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a definition that does not hold together with 422 naming the field, and writes nothing', async () => {
      const before = await snapshot();
      const cases: Array<[Partial<AnalysisTypeDefinition>, string]> = [
        [{ parameters: { type: 'array' } }, 'parameters.type'],
        [
          { parameters: { type: 'object', properties: { n: { type: 'number', minimum: 'x' } } } },
          'parameters',
        ],
        [{ command: ['wc', '{params.lines}', '{inputs}'] }, 'command.1'],
        [{ command: ['wc', 'inputs/{inputs}'] }, 'command.1'],
        [{ command: ['{params.program}'] }, 'command.0'],
        [{ outputs: [{ name: 'escape', path: 'outputs/../../etc/cron.d/x' }] }, 'outputs.0.path'],
        [{ stdoutTo: 'outputs/../out.txt' }, 'stdoutTo'],
        [{ resources: { cpus: 1, memory: '1G', time: '1-30:00:00' } }, 'resources.time'],
        [{ inputs: { min: 2, max: 1 } }, 'inputs.max'],
      ];
      for (const [overrides, field] of cases) {
        const response = await call<Problem>(
          admin,
          'POST',
          '/api/analysis-types',
          buildDefinition(overrides),
        );
        expect(response.status, JSON.stringify(overrides)).toBe(422);
        expect(response.body.code).toBe('invalid');
        expect(
          response.body.errors?.map((error) => error.field),
          JSON.stringify(overrides),
        ).toEqual([field]);
      }
      for (const shape of [
        { ...buildDefinition(), shell: 'bash -c' },
        { ...buildDefinition(), name: 'Upper Case' },
        { ...buildDefinition(), command: [] },
        { ...buildDefinition(), resources: { cpus: 1, memory: '1GB', time: '5' } },
      ]) {
        expect((await call(admin, 'POST', '/api/analysis-types', shape)).status, JSON.stringify(shape)).toBe(
          400,
        );
      }
      expect(await snapshot()).toEqual(before);
    });

    it('records a registration in the audit trail, which every signed-in user may read', async () => {
      const definition = buildDefinition();
      const created = await call<AnalysisType>(admin, 'POST', '/api/analysis-types', definition);
      const history = await call<Page<AuditEvent>>(
        user,
        'GET',
        `/api/audit?entityType=analysis_type&entityId=${created.body.id}`,
      );
      expect(history.status).toBe(200);
      expect(history.body.items).toHaveLength(1);
      expect(history.body.items[0]).toMatchObject({
        action: 'create',
        actorId: admin.user.id,
        projectId: null,
        after: {
          name: definition.name,
          version: '1.0.0',
          origin: 'api',
          definition: { command: definition.command, resources: definition.resources },
        },
      });
    });

    it('describes every analysis type route in the OpenAPI document', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
      const doc = response.json<{
        paths: Record<string, Record<string, { tags?: string[]; summary?: string }>>;
      }>();
      for (const [route, method] of [
        ['/api/analysis-types', 'get'],
        ['/api/analysis-types', 'post'],
        ['/api/analysis-types/{name}', 'get'],
      ] as const) {
        const operation = doc.paths[route]?.[method];
        expect(operation?.tags, `${method} ${route}`).toEqual(['compute']);
        expect(operation?.summary).toBeTruthy();
      }
    });
  });
});

describe('CAIRN_ANALYSIS_TYPES_DIR', () => {
  it('is unset by default and must name an existing folder', async () => {
    expect(loadConfig({}).analysisTypesDir).toBeNull();
    const folder = await mkdtemp(path.join(os.tmpdir(), 'cairn-types-'));
    try {
      expect(loadConfig({ CAIRN_ANALYSIS_TYPES_DIR: folder }).analysisTypesDir).toBe(folder);
      const file = path.join(folder, 'a.json');
      await writeFile(file, '{}');
      for (const value of [path.join(folder, 'missing'), file]) {
        expect(() => loadConfig({ CAIRN_ANALYSIS_TYPES_DIR: value })).toThrow(/CAIRN_ANALYSIS_TYPES_DIR/);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
