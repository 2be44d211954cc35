/**
 * The demo's instruments and records, loaded on a real SQLite file as `cairn demo` loads them: two instruments
 * with real FEI-style TIFFs and PNGs under the instrument data root, one past session built into a record whose
 * XML validates against NexusLIMS's schema and whose datasets have previews (served through the API to the
 * session's user), one past session left TO_BE_BUILT with its files in its window; a second load adds nothing.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { loadDemoInstruments, type DemoInstrumentsSummary } from '../../src/demo/demo-instruments.js';
import {
  actorFor,
  createToken,
  createUser,
  ensureAdmin,
} from '../../src/modules/accounts/accounts.service.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { listInstruments } from '../../src/modules/instruments/instruments.service.js';
import { listSessions } from '../../src/modules/instruments/sessions.service.js';
import { parseFeiMetadata } from '../../src/modules/records/metadata/fei-metadata.js';
import { checkRecordXml } from '../../src/modules/records/record-schema.js';
import type { ExperimentRecord, RecordSummary } from '../../src/modules/records/records.schema.js';
import { getRecordXml, listRecords } from '../../src/modules/records/records.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('demo instruments and records (sqlite)', () => {
  let t: TestApp;
  let admin: Actor;
  let first: DemoInstrumentsSummary;
  let bob: { authorization: string };

  async function countRows(): Promise<Record<string, number>> {
    const db = t.database.db;
    const count = async (table: 'instruments' | 'session_log' | 'records' | 'record_files') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      instruments: await count('instruments'),
      sessionRows: await count('session_log'),
      records: await count('records'),
      recordFiles: await count('record_files'),
    };
  }

  beforeAll(async () => {
    t = await createTestApp('sqlite');
    await inTransaction(t.database.db, (trx) => ensureAdmin(trx, 'demo-admin-password'));
    admin = await actorFor(t.database.db, 'admin');
    const { token } = await inTransaction(t.database.db, async (trx) => {
      await createUser(trx, admin, {
        username: 'bob',
        email: 'bob@demo.cairn.local',
        displayName: 'Bob Okafor',
        role: 'user',
        password: 'cairn-demo',
      });
      return createToken(trx, await actorFor(trx, 'bob'), { name: 'demo test' });
    });
    bob = { authorization: `Bearer ${token}` };
    first = await loadDemoInstruments({ db: t.database.db, config: t.config }, admin);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('registers two instruments, logs two past sessions and builds one record', async () => {
    expect(first).toEqual({ instrumentsCreated: 2, sessionsLogged: 2, recordsBuilt: 1, buildProblem: null });
    const instruments = await listInstruments(t.database.db);
    expect(instruments.map((instrument) => instrument.pid).sort()).toEqual([
      'Demo-Helios-G4',
      'Demo-Quanta-650',
    ]);
    const sessions = (await listSessions(t.database.db, admin, { limit: 50 })).items;
    expect(sessions.map((session) => [session.instrument, session.user, session.status]).sort()).toEqual([
      ['Demo-Helios-G4', 'carol', 'TO_BE_BUILT'],
      ['Demo-Quanta-650', 'bob', 'COMPLETED'],
    ]);
    for (const session of sessions) {
      expect(Date.parse(session.endedAt!)).toBeLessThan(Date.now());
      expect(Date.parse(session.startedAt!)).toBeLessThan(Date.parse(session.endedAt!));
    }
  });

  it('builds a record whose XML validates and whose datasets have previews, served to its user', async () => {
    const records = (await listRecords(t.database.db, admin, { limit: 50 })).items;
    expect(records.map((record) => [record.instrument, record.user])).toEqual([['Demo-Quanta-650', 'bob']]);
    const xml = await getRecordXml(t.database.db, admin, records[0]!.id);
    expect(await checkRecordXml(xml)).toBeUndefined();

    const list = await t.app.inject({ method: 'GET', url: '/api/records', headers: bob });
    expect(list.statusCode, list.body).toBe(200);
    const [summary] = list.json<{ items: RecordSummary[] }>().items;
    const response = await t.app.inject({ method: 'GET', url: `/api/records/${summary!.id}`, headers: bob });
    expect(response.statusCode, response.body).toBe(200);
    const record = response.json<ExperimentRecord>();
    expect(record.document.activities.length).toBeGreaterThanOrEqual(2);
    const datasets = record.document.activities.flatMap((activity) => activity.datasets);
    expect(datasets.map((dataset) => dataset.name).sort()).toEqual([
      'grains_050x.tif',
      'grains_100x.tif',
      'grains_200x.tif',
      'grains_bse_100x.tif',
      'navcam.png',
    ]);
    for (const dataset of datasets) {
      expect(dataset.type, dataset.name).toBe('Image');
      expect(dataset.warnings, dataset.name).toEqual([]);
      expect(dataset.preview, dataset.name).not.toBeNull();
      const preview = await t.app.inject({ method: 'GET', url: dataset.preview!, headers: bob });
      expect(preview.statusCode, dataset.name).toBe(200);
      expect(preview.headers['content-type']).toBe('image/png');
      expect((await sharp(preview.rawPayload).metadata()).width).toBeGreaterThan(0);
    }
    const parameters = [
      ...record.document.activities.flatMap((activity) => activity.setup),
      ...datasets.flatMap((dataset) => dataset.metadata),
    ].map((parameter) => parameter.name);
    expect(parameters).toContain('FEI – Beam – HV');
  });

  it('leaves the second session waiting, its files real and written inside its window', async () => {
    const [waiting] = (await listSessions(t.database.db, admin, { status: 'TO_BE_BUILT', limit: 50 })).items;
    const folder = path.join(t.config.instrumentDataDir, 'demo/Helios-G4/carol/lamella-03');
    for (const name of ['overview.png', 'site_2kx.tif', 'thinned_10kx.tif']) {
      const modified = (await stat(path.join(folder, name))).mtimeMs;
      expect(modified, name).toBeGreaterThanOrEqual(Date.parse(waiting!.startedAt!));
      expect(modified, name).toBeLessThanOrEqual(Date.parse(waiting!.endedAt!));
    }
    const tiff = await readFile(path.join(folder, 'site_2kx.tif'));
    expect((await sharp(tiff).metadata()).width).toBe(320);
    const text = tiff.toString('latin1');
    const block = text.slice(text.indexOf('[User]'), text.indexOf('\0', text.indexOf('[User]')));
    expect(parseFeiMetadata(block).sections).toMatchObject({ System: { SystemType: 'Helios G4 UX' } });
    expect((await sharp(path.join(folder, 'overview.png')).metadata()).format).toBe('png');
  });

  it('adds nothing on a second load', async () => {
    const before = await countRows();
    const second = await loadDemoInstruments({ db: t.database.db, config: t.config }, admin);
    expect(second).toEqual({ instrumentsCreated: 0, sessionsLogged: 0, recordsBuilt: 0, buildProblem: null });
    expect(await countRows()).toEqual(before);
  });
});
