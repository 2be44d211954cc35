/**
 * The record zip on both databases: a record built from real files downloads as a zip holding its files,
 * record.json, record.xml and previews/ (read back with Debian's `unzip`); another user gets 404; a file gone
 * from disk is listed in MISSING.txt and the zip still downloads; paths leading outside the data root (`..`, a
 * symbolic link out) are refused; a 300 MB file zips with bounded memory (the RSS sampled while it streams); and
 * a download the client breaks off closes the file it was reading.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readlink,
  rm,
  symlink,
  truncate,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { InjectOptions } from 'fastify';
import { FileStore } from '../../src/files/file-store.js';
import type { Session } from '../../src/modules/instruments/instruments.schema.js';
import { buildNextSession, type BuildSettings } from '../../src/modules/records/record-builder.service.js';
import type { ExperimentRecord, RecordSummary } from '../../src/modules/records/records.schema.js';
import type { Page } from '../support/api-types.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { uniqueName } from '../support/factories.js';
import { useTestApp, type TestUser } from '../support/test-app.js';
import { buildFeiTiff } from './metadata-file-writers.js';

const run = promisify(execFile);
const FEI_TEXT = '[User]\r\nUser=jdoe\r\n[Beam]\r\nHV=30000\r\nSpot=3\r\n';
const MB = 1024 * 1024;

describe.each(dialects)('Record zip on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { staff: 'staff', user: 'user', other: 'user' } });
    const { staff, user, other } = t.users;
    let settings: BuildSettings;
    let scratch: string;

    async function call<T>(who: TestUser, method: InjectOptions['method'], url: string, payload?: unknown) {
      const response = await t.app.inject({
        method,
        url,
        headers: who.headers,
        ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
      });
      return { status: response.statusCode, body: response.json<T>(), raw: response };
    }

    beforeAll(async () => {
      settings = {
        db: t.database.db,
        files: new FileStore(t.config.filesDir),
        dataRoot: t.config.instrumentDataDir,
        noFilesDelayMs: 60 * 60_000,
        retryWaitingMs: 0,
        sensitivity: 1,
        extensions: 'all',
        ignore: [],
        maxPreviewBytes: 10_000_000,
        claimant: 'test-builder',
      };
      scratch = await mkdtemp(path.join(tmpdir(), 'cairn-record-zip-'));
      return () => rm(scratch, { recursive: true, force: true });
    });

    /** A record built from a FEI TIFF (which gets a preview), a text file and a file in a subfolder. */
    async function builtRecord() {
      const pid = uniqueName('Quanta-');
      const folder = path.join(t.config.instrumentDataDir, 'Quanta', pid);
      await mkdir(path.join(folder, 'spectra'), { recursive: true });
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
      const sessionIdentifier = session.body.sessionIdentifier;
      const now = Date.parse(session.body.startedAt!) / 1000 + 0.01;
      const files: Array<[string, Buffer | string]> = [
        [
          'grain_001.tif',
          buildFeiTiff({
            width: 64,
            height: 48,
            feiText: FEI_TEXT,
            littleEndian: true,
            pixels: Buffer.alloc(64 * 48, 90),
          }),
        ],
        ['notes.txt', 'stage drift seen after 10 min\n'],
        ['spectra/point_1.msa', '#FORMAT: EMSA/MAS Spectral Data File\n#NPOINTS: 2\n1, 2\n'],
      ];
      for (const [name, content] of files) {
        await writeFile(path.join(folder, name), content);
        await utimes(path.join(folder, name), now, now);
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
      await call<Session>(user, 'POST', `/api/sessions/${sessionIdentifier}/end`);
      const outcome = await buildNextSession(settings);
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'COMPLETED', sessionIdentifier });
      const list = await call<Page<RecordSummary>>(user, 'GET', `/api/records?instrument=${pid}`);
      const id = list.body.items[0]!.id;
      return { id, folder, prefix: `Quanta/${pid}` };
    }

    /** Downloads the zip as the user into a file; its status and the file. */
    async function download(who: TestUser, id: string) {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/records/${id}/files.zip`,
        headers: who.headers,
      });
      const file = path.join(scratch, `${uniqueName('zip-')}.zip`);
      await writeFile(file, response.rawPayload);
      return { status: response.statusCode, headers: response.headers, file };
    }

    /** The zip's entries and their sizes, as `unzip -l` lists them. */
    async function entries(zip: string): Promise<Map<string, number>> {
      const { stdout } = await run('unzip', ['-l', zip]);
      const listed = new Map<string, number>();
      for (const line of stdout.split('\n')) {
        const match = /^\s*(\d+)\s+\S+\s+\S+\s+(.+)$/.exec(line);
        if (match && match[2] !== 'Name') listed.set(match[2]!, Number(match[1]));
      }
      return listed;
    }

    const entry = async (zip: string, name: string) =>
      (await run('unzip', ['-p', zip, name], { encoding: 'buffer', maxBuffer: 64 * MB })).stdout;

    it('zips the files, record.json, record.xml and the previews; others get 404', async () => {
      const { id, prefix } = await builtRecord();
      const zip = await download(user, id);
      expect(zip.status).toBe(200);
      expect(zip.headers['content-type']).toBe('application/zip');
      expect(zip.headers['content-disposition']).toBe(`attachment; filename="record-${id}.zip"`);
      const listed = await entries(zip.file);
      expect([...listed.keys()].sort()).toEqual(
        [
          'record.json',
          'record.xml',
          `${prefix}/grain_001.tif`,
          `${prefix}/notes.txt`,
          `${prefix}/spectra/point_1.msa`,
          `previews/${prefix}/grain_001.tif.png`,
        ].sort(),
      );
      expect((await entry(zip.file, `${prefix}/notes.txt`)).toString()).toBe(
        'stage drift seen after 10 min\n',
      );
      expect((await entry(zip.file, `${prefix}/spectra/point_1.msa`)).toString()).toContain('#NPOINTS: 2');
      const record = JSON.parse((await entry(zip.file, 'record.json')).toString()) as ExperimentRecord;
      expect(record.id).toBe(id);
      expect(record.document.activities.flatMap((a) => a.datasets).map((d) => d.name)).toContain('notes.txt');
      const xml = await t.app.inject({ method: 'GET', url: `/api/records/${id}/xml`, headers: user.headers });
      expect((await entry(zip.file, 'record.xml')).toString()).toBe(xml.body);
      const png = await entry(zip.file, `previews/${prefix}/grain_001.tif.png`);
      expect(png.subarray(1, 4).toString()).toBe('PNG');

      expect((await download(other, id)).status).toBe(404);
      expect((await download(staff, id)).status).toBe(200);
      expect((await download(user, 'no-such-record')).status).toBe(404);
    });

    it('lists a file gone from disk in MISSING.txt, and refuses paths that lead outside the data root', async () => {
      const { id, folder, prefix } = await builtRecord();
      await rm(path.join(folder, 'notes.txt'));
      const outside = path.join(scratch, 'secret.txt');
      await writeFile(outside, 'not for the zip');
      await rm(path.join(folder, 'spectra', 'point_1.msa'));
      await symlink(outside, path.join(folder, 'spectra', 'point_1.msa'));
      await t.database.db
        .insertInto('record_files')
        .values({
          id: uniqueName('escape-'),
          record_id: id,
          activity: 0,
          path: '../../secret.txt',
          size: 15,
          sha256: '0'.repeat(64),
          content_type: 'text/plain',
          modified_at: new Date().toISOString(),
          preview: null,
        })
        .execute();

      const zip = await download(user, id);
      expect(zip.status).toBe(200);
      const listed = await entries(zip.file);
      expect([...listed.keys()].sort()).toEqual(
        [
          'MISSING.txt',
          'record.json',
          'record.xml',
          `${prefix}/grain_001.tif`,
          `previews/${prefix}/grain_001.tif.png`,
        ].sort(),
      );
      const missing = (await entry(zip.file, 'MISSING.txt')).toString();
      expect(missing).toContain(`${prefix}/notes.txt\tmissing on disk`);
      expect(missing).toContain(`${prefix}/spectra/point_1.msa\trefused: outside the instrument data root`);
      expect(missing).toContain('../../secret.txt\trefused: outside the instrument data root');
    });

    it('zips a record with a 300 MB file with bounded memory', async () => {
      const { id, folder, prefix } = await builtRecord();
      // A sparse file: 300 MB to read and compress, none of it written to disk.
      await truncate(path.join(folder, 'notes.txt'), 300 * MB);
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      const zip = await download(user, id).finally(() => clearInterval(sampler));
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(zip.status).toBe(200);
      expect((await entries(zip.file)).get(`${prefix}/notes.txt`)).toBe(300 * MB);
      // Reading the file whole would add its 300 MB to the RSS; streamed, the growth is a few buffers.
      expect(peak - before).toBeLessThan(64 * MB);
    });

    /** How many of this process's open descriptors point at the file. */
    async function descriptorsOn(file: string): Promise<number> {
      let count = 0;
      for (const fd of await readdir('/proc/self/fd')) {
        const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
        if (target === file) count++;
      }
      return count;
    }

    it.skipIf(process.platform !== 'linux')(
      'closes the file being read when the client breaks the download off',
      async () => {
        const { id, folder } = await builtRecord();
        // 50 MB that do not compress, so that the zip stream stays well behind the file when the client hangs up.
        const big = path.join(folder, 'notes.txt');
        const out = createWriteStream(big);
        for (let written = 0; written < 50 * MB; written += MB) {
          if (!out.write(randomBytes(MB))) await once(out, 'drain');
        }
        await new Promise<void>((resolve, reject) =>
          out.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
        if (!t.app.server.listening) await t.app.listen({ host: '127.0.0.1', port: 0 });
        const { port } = t.app.server.address() as AddressInfo;
        await new Promise<void>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port, path: `/api/records/${id}/files.zip`, headers: user.headers },
            (response) => {
              expect(response.statusCode).toBe(200);
              let received = 0;
              response.on('data', (chunk: Buffer) => {
                received += chunk.length;
                // Into the big file (record.json, record.xml and the TIFF come first), then hang up.
                if (received > 2 * MB && !req.destroyed) {
                  req.destroy();
                  resolve();
                }
              });
              response.on('error', () => undefined);
            },
          );
          req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
          req.end();
        });
        await vi.waitFor(async () => expect(await descriptorsOn(big)).toBe(0), { timeout: 10_000 });
      },
    );
  });
});
