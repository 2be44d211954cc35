/**
 * The record builder end to end on both databases: a session logged through the API while an instrument writes
 * real files (FEI TIFFs, a PNG, a text file) becomes a record — activities, setup, datasets with metadata and
 * previews, XML valid against NexusLIMS's schema — and the session COMPLETED with a RECORD_GENERATION row. A
 * session without files waits, then is NO_FILES_FOUND; two builders at once build a session once; a record is
 * seen by its session's user and staff only.
 */
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { FileStore } from '../../src/files/file-store.js';
import type { Session } from '../../src/modules/instruments/instruments.schema.js';
import { buildNextSession, type BuildSettings } from '../../src/modules/records/record-builder.service.js';
import { checkRecordXml } from '../../src/modules/records/record-schema.js';
import type { ExperimentRecord, RecordSummary } from '../../src/modules/records/records.schema.js';
import type { Page } from '../support/api-types.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { uniqueName } from '../support/factories.js';
import { useTestApp, type TestUser } from '../support/test-app.js';
import { buildFeiTiff } from './metadata-file-writers.js';

const FEI_TEXT = '[User]\r\nUser=jdoe\r\n[Beam]\r\nHV=30000\r\nSpot=3\r\n[Scan]\r\nDwelltime=3e-06\r\n';

describe.each(dialects)('Record builder on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { staff: 'staff', user: 'user', other: 'user' } });
    const { staff, user, other } = t.users;
    let settings: BuildSettings;

    async function call<T>(who: TestUser, method: InjectOptions['method'], url: string, payload?: unknown) {
      const response = await t.app.inject({
        method,
        url,
        headers: who.headers,
        ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
      });
      return { status: response.statusCode, body: response.json<T>(), raw: response };
    }

    /** An instrument with its own data folder, and a session on it from now on. */
    async function instrumentWithSession() {
      const pid = uniqueName('Quanta-');
      const folder = path.join(t.config.instrumentDataDir, 'Quanta', pid);
      await mkdir(folder, { recursive: true });
      const created = await call(staff, 'POST', '/api/instruments', {
        pid,
        apiUrl: `https://facility.example.org/instruments/${pid}`,
        calendarName: 'Quanta',
        calendarUrl: 'https://facility.example.org/calendar',
        location: 'Bldg 223',
        schemaName: 'FEI Quanta200 ESEM',
        propertyTag: '633137',
        filestorePath: `Quanta/${pid}`,
        harvester: 'api',
        timezone: 'America/New_York',
      });
      expect(created.status).toBe(201);
      const session = await call<Session>(user, 'POST', '/api/sessions', { instrument: pid });
      // File times come from the kernel's coarse clock, which may lag the process's by a few milliseconds.
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { pid, folder, sessionIdentifier: session.body.sessionIdentifier };
    }

    const end = (id: string) => call<Session>(user, 'POST', `/api/sessions/${id}/end`);

    beforeAll(() => {
      settings = {
        db: t.database.db,
        files: new FileStore(t.config.filesDir),
        dataRoot: t.config.instrumentDataDir,
        noFilesDelayMs: 60 * 60_000,
        retryWaitingMs: 0,
        sensitivity: 1,
        extensions: 'all',
        ignore: ['*.tmp'],
        maxPreviewBytes: 10_000_000,
        claimant: 'test-builder',
      };
    });

    it('builds a record of the files written during a session, with activities, previews and valid XML', async () => {
      const { folder, sessionIdentifier } = await instrumentWithSession();
      const now = Date.now() / 1000;
      const files: Array<[string, Buffer | string, number]> = [
        [
          'grain_001.tif',
          buildFeiTiff({
            width: 64,
            height: 48,
            feiText: FEI_TEXT,
            littleEndian: true,
            pixels: Buffer.alloc(64 * 48, 90),
          }),
          now,
        ],
        [
          'grain_002.tif',
          buildFeiTiff({
            width: 64,
            height: 48,
            feiText: FEI_TEXT.replace('Spot=3', 'Spot=4'),
            littleEndian: true,
            pixels: Buffer.alloc(64 * 48, 160),
          }),
          now,
        ],
        [
          'overview.png',
          await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2a6' } })
            .png()
            .toBuffer(),
          now,
        ],
        ['notes.txt', 'stage drift seen after 10 min\n', now],
        ['scratch.tmp', 'ignored', now],
      ];
      for (const [name, content, mtime] of files) {
        await writeFile(path.join(folder, name), content);
        await utimes(path.join(folder, name), mtime, mtime);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await end(sessionIdentifier)).body.status).toBe('TO_BE_BUILT');

      const outcome = await buildNextSession(settings);
      expect(outcome, JSON.stringify(outcome)).toMatchObject({
        status: 'COMPLETED',
        sessionIdentifier,
        files: 4,
      });
      const rows = await t.database.db
        .selectFrom('session_log')
        .select(['event_type', 'record_status'])
        .where('session_identifier', '=', sessionIdentifier)
        .orderBy('id_session_log')
        .execute();
      expect(rows).toEqual([
        { event_type: 'START', record_status: 'COMPLETED' },
        { event_type: 'END', record_status: 'COMPLETED' },
        { event_type: 'RECORD_GENERATION', record_status: 'COMPLETED' },
      ]);

      const list = await call<Page<RecordSummary>>(user, 'GET', `/api/records?text=Quanta`);
      const summary = list.body.items.find((item) => item.sessionIdentifier === sessionIdentifier)!;
      expect(summary).toBeDefined();
      const record = await call<ExperimentRecord>(user, 'GET', `/api/records/${summary.id}`);
      expect(record.status).toBe(200);
      const datasets = record.body.document.activities.flatMap((activity) => activity.datasets);
      expect(datasets.map((dataset) => dataset.name).sort()).toEqual([
        'grain_001.tif',
        'grain_002.tif',
        'notes.txt',
        'overview.png',
      ]);
      const tiff = datasets.find((dataset) => dataset.name === 'grain_002.tif')!;
      expect(tiff.type).toBe('Image');
      expect(tiff.preview).not.toBeNull();
      const setupAndOwn = [
        ...record.body.document.activities.flatMap((activity) => activity.setup),
        ...tiff.metadata,
      ].map((parameter) => parameter.name);
      expect(setupAndOwn).toContain('FEI – Beam – Spot');

      const preview = await t.app.inject({ method: 'GET', url: tiff.preview!, headers: user.headers });
      expect(preview.statusCode).toBe(200);
      expect(preview.headers['content-type']).toBe('image/png');
      expect((await sharp(preview.rawPayload).metadata()).width).toBe(64);

      const xml = await t.app.inject({
        method: 'GET',
        url: `/api/records/${summary.id}/xml`,
        headers: user.headers,
      });
      expect(xml.statusCode).toBe(200);
      expect(await checkRecordXml(xml.body)).toBeUndefined();
      expect(xml.body).toContain('grain_001.tif');

      const linked = await call<Session>(user, 'GET', `/api/sessions/${sessionIdentifier}`);
      expect(linked.body.recordId).toBe(summary.id);
      expect((await call(other, 'GET', `/api/records/${summary.id}`)).status).toBe(404);
      expect((await call(staff, 'GET', `/api/records/${summary.id}`)).status).toBe(200);
      const theirs = await call<Page<RecordSummary>>(other, 'GET', '/api/records');
      expect(theirs.body.items.some((item) => item.id === summary.id)).toBe(false);
    });

    it('leaves a session without files for later, then marks it NO_FILES_FOUND', async () => {
      const { sessionIdentifier } = await instrumentWithSession();
      await end(sessionIdentifier);
      expect(await buildNextSession(settings)).toMatchObject({
        status: 'WAITING_FOR_FILES',
        sessionIdentifier,
      });
      const waiting = await call<Session>(
        user,
        'GET',
        `/api/sessions/${encodeURIComponent(sessionIdentifier)}`,
      );
      expect(waiting.body.status).toBe('TO_BE_BUILT');
      const outcome = await buildNextSession({ ...settings, noFilesDelayMs: 0 });
      expect(outcome).toMatchObject({ status: 'NO_FILES_FOUND', sessionIdentifier });
      const done = await call<Session>(user, 'GET', `/api/sessions/${encodeURIComponent(sessionIdentifier)}`);
      expect(done.body.status).toBe('NO_FILES_FOUND');
    });

    it('marks a session ERROR with the reason when its data folder is missing, and builds it once sent back', async () => {
      const { folder, sessionIdentifier } = await instrumentWithSession();
      await rm(folder, { recursive: true });
      await end(sessionIdentifier);
      const failed = await buildNextSession(settings);
      expect(failed).toMatchObject({ status: 'ERROR', sessionIdentifier });
      expect(
        (await call<Session>(user, 'GET', `/api/sessions/${encodeURIComponent(sessionIdentifier)}`)).body
          .status,
      ).toBe('ERROR');
      const url = `/api/sessions/${encodeURIComponent(sessionIdentifier)}/rebuild`;
      expect((await call(user, 'POST', url)).status).toBe(403);
      const sent = await call<Session>(staff, 'POST', url);
      expect(sent.status).toBe(200);
      expect(sent.body.status).toBe('TO_BE_BUILT');
      expect((await call(staff, 'POST', url)).status).toBe(409);
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, 'late.txt'), 'here now');
      const now = Date.parse(sent.body.startedAt!) / 1000 + 0.01;
      await utimes(path.join(folder, 'late.txt'), now, now);
      expect(await buildNextSession(settings)).toMatchObject({
        status: 'COMPLETED',
        sessionIdentifier,
        files: 1,
      });
    });

    it('builds a session once when two builders run at once', async () => {
      const { folder, sessionIdentifier } = await instrumentWithSession();
      await writeFile(path.join(folder, 'only.txt'), 'one file');
      await new Promise((resolve) => setTimeout(resolve, 20));
      await end(sessionIdentifier);
      const outcomes = await Promise.all([
        buildNextSession({ ...settings, claimant: 'builder-a' }),
        buildNextSession({ ...settings, claimant: 'builder-b' }),
      ]);
      expect(
        outcomes.filter((outcome) => outcome?.status === 'COMPLETED'),
        JSON.stringify(outcomes),
      ).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === null)).toHaveLength(1);
      const records = await t.database.db
        .selectFrom('records')
        .select('id')
        .where('session_identifier', '=', sessionIdentifier)
        .execute();
      expect(records).toHaveLength(1);
    });
  });
});
