/**
 * Instruments and experiment records in a real browser against a real Cairn: a record is built in the test as
 * the instrument would make it (an instrument with its data folder, a session logged through the API while
 * real files are written — two FEI TIFFs and a PNG — then ended and built by the record builder). Its user
 * finds it in the records list (and not under a search that does not match), opens it, sees the summary, the
 * activity with its setup and datasets with their metadata, the gallery's previews loaded, and the XML
 * download answering the record. Staff open the instrument and see its sessions on the timeline, coloured
 * by status, and reach the instrument's records from there. A record whose reservation named a project and
 * its sample shows on the sample's page, and the record page links back to both.
 */
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/files/file-store.js';
import type { User } from '../../src/modules/accounts/accounts.schema.js';
import type { Session } from '../../src/modules/instruments/instruments.schema.js';
import { buildNextSession } from '../../src/modules/records/record-builder.service.js';
import type { RecordSummary } from '../../src/modules/records/records.schema.js';
import { buildFeiTiff } from '../records/metadata-file-writers.js';
import type { Page } from '../support/api-types.js';
import { launchChromium, serveWebApp, skipBrowserTests, type WebServer } from '../support/browser.js';
import { openSession, type BrowserSession } from '../support/browser-session.js';
import { inTransaction } from '../../src/db/transaction.js';
import { logPastSession } from '../../src/modules/instruments/sessions.service.js';
import type { Sample } from '../../src/modules/samples/samples.schema.js';
import { actorOfUser, buildProject, buildUser, uniqueName } from '../support/factories.js';

const FEI_TEXT = '[User]\r\nUser=jdoe\r\n[Beam]\r\nHV=30000\r\nSpot=3\r\n[Scan]\r\nDwelltime=3e-06\r\n';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipBrowserTests)('instruments and records in the browser', () => {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  let experimenter: BrowserSession | undefined;
  let staff: BrowserSession | undefined;
  let user: User | undefined;
  let staffUser: User | undefined;
  let pid = '';
  let record: RecordSummary | undefined;

  /** An instrument with its own data folder, a session on it in which it writes real files, built. */
  async function buildRecord() {
    const dataRoot = path.join(server!.database.connection.dataDir, 'instrument-data');
    pid = uniqueName('Quanta-');
    const folder = path.join(dataRoot, 'Quanta', pid);
    await mkdir(folder, { recursive: true });
    await staff!.call('POST', '/api/instruments', {
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
    const session = await experimenter!.call<Session>('POST', '/api/sessions', { instrument: pid });
    // File times come from the kernel's coarse clock, which may lag the process's by a few milliseconds.
    await pause(30);
    const tiff = (spot: number, shade: number) =>
      buildFeiTiff({
        width: 64,
        height: 48,
        feiText: FEI_TEXT.replace('Spot=3', `Spot=${spot}`),
        littleEndian: true,
        pixels: Buffer.alloc(64 * 48, shade),
      });
    const files: Array<[string, Buffer]> = [
      ['grain_001.tif', tiff(3, 90)],
      ['grain_002.tif', tiff(4, 160)],
      [
        'overview.png',
        await sharp({ create: { width: 40, height: 30, channels: 3, background: '#2a6' } })
          .png()
          .toBuffer(),
      ],
    ];
    const now = Date.now() / 1000;
    for (const [name, content] of files) {
      await writeFile(path.join(folder, name), content);
      await utimes(path.join(folder, name), now, now);
    }
    await pause(50);
    await experimenter!.call('POST', `/api/sessions/${encodeURIComponent(session.sessionIdentifier)}/end`);
    const outcome = await buildNextSession({
      db: server!.database.db,
      files: new FileStore(path.join(server!.database.connection.dataDir, 'files')),
      dataRoot,
      noFilesDelayMs: 60 * 60_000,
      retryWaitingMs: 0,
      sensitivity: 1,
      extensions: 'all',
      ignore: [],
      maxPreviewBytes: 10_000_000,
      claimant: 'browser-test',
    });
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'COMPLETED', files: 3 });
    const list = await experimenter!.call<Page<RecordSummary>>('GET', '/api/records');
    record = list.items.find((item) => item.sessionIdentifier === session.sessionIdentifier);
    expect(record).toBeDefined();
    // A later session, still running: the timeline shows it after a gap, in another colour.
    await pause(1_000);
    await experimenter!.call('POST', '/api/sessions', { instrument: pid });
  }

  beforeAll(async () => {
    server = await serveWebApp();
    browser = await launchChromium();
    user = await buildUser(server.database.db);
    staffUser = await buildUser(server.database.db, { role: 'staff' });
    experimenter = await openSession(browser, server, user);
    staff = await openSession(browser, server, staffUser);
    await buildRecord();
  }, 120_000);

  afterAll(async () => {
    await experimenter?.context.close();
    await staff?.context.close();
    await browser?.close();
    await server?.close();
  });

  it(
    'opens a built record from the records list: summary, activities, datasets, gallery and downloads',
    { timeout: 60_000 },
    async () => {
      const { page } = experimenter!;
      await page.goto(`${server!.baseUrl}/records`);
      const table = page.getByTestId('records-table');
      await table.getByRole('link', { name: record!.title }).waitFor();

      // A search that matches nothing empties the list; clearing it brings the record back.
      const search = page.getByLabel('Search');
      await search.fill('no-such-record-anywhere');
      await page.getByText('No record matches.').waitFor();
      await search.fill('');
      await table.getByRole('link', { name: record!.title }).click();

      await page.waitForURL(`${server!.baseUrl}/records/${record!.id}`);
      await page.getByTestId('record-title').filter({ hasText: record!.title }).waitFor();
      const summary = page.getByTestId('record-summary');
      expect(await summary.textContent()).toContain('FEI Quanta200 ESEM');

      const activities = page.getByTestId('record-activities');
      expect(await activities.getByTestId('record-activity').count()).toBeGreaterThan(0);
      const rows = activities.getByTestId('dataset-row');
      const names = await rows.allTextContents();
      for (const name of ['grain_001.tif', 'grain_002.tif', 'overview.png'])
        expect(names.some((text) => text.includes(name))).toBe(true);
      // The FEI metadata is shown: the spot size differs between the TIFFs, so it is each dataset's own.
      const metadata = (await activities.getByTestId('dataset-metadata').allTextContents()).join(' ');
      expect(metadata).toContain('Spot');
      expect(await activities.getByTestId('activity-setup').first().textContent()).not.toBe('');

      const gallery = page.getByTestId('record-gallery');
      const images = gallery.locator('img');
      await expect.poll(() => images.count()).toBe(3);
      for (let index = 0; index < 3; index += 1) {
        const image = images.nth(index);
        await image.scrollIntoViewIfNeeded();
        await expect
          .poll(() => image.evaluate((element: { naturalWidth: number }) => element.naturalWidth), {
            timeout: 10_000,
          })
          .toBeGreaterThan(0);
      }

      const downloads = page.getByTestId('record-downloads');
      const xmlHref = await downloads.getByRole('link', { name: 'XML' }).getAttribute('href');
      const xml = await page.evaluate(async (url) => (await fetch(url!)).text(), xmlHref);
      expect(xml).toContain('grain_001.tif');
      // The JSON is the document the page holds, saved as a file.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        downloads.getByRole('link', { name: 'JSON' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`record-${record!.id}.json`);
      const json = JSON.parse(await readFile(await download.path(), 'utf8')) as unknown;
      expect(json).toMatchObject({ id: record!.id, title: record!.title });
      expect(await downloads.getByRole('link', { name: 'Files (zip)' }).getAttribute('href')).toBe(
        `/api/records/${record!.id}/files.zip`,
      );
      expect(experimenter!.pageErrors).toEqual([]);
    },
  );

  it(
    "shows a linked record on its sample's page, and the record's project and sample links",
    { timeout: 60_000 },
    async () => {
      const db = server!.database.db;
      const project = await buildProject(db, user!, { name: uniqueName('Linked study ') });
      const sample = await experimenter!.call<Sample>('POST', '/api/samples', {
        projectId: project.id,
        name: uniqueName('Coupon '),
        type: 'tube',
      });
      const dataRoot = path.join(server!.database.connection.dataDir, 'instrument-data');
      const linkedPid = uniqueName('Linked-');
      await mkdir(path.join(dataRoot, 'Linked', linkedPid), { recursive: true });
      await staff!.call('POST', '/api/instruments', {
        pid: linkedPid,
        apiUrl: `https://facility.example.org/instruments/${linkedPid}`,
        calendarName: linkedPid,
        calendarUrl: 'https://facility.example.org/calendar',
        location: 'Bldg 1',
        schemaName: 'Linked SEM',
        propertyTag: 'L1',
        filestorePath: `Linked/${linkedPid}`,
        harvester: 'api',
        timezone: 'UTC',
      });
      const end = Date.now() - 60 * 60_000;
      const start = end - 60 * 60_000;
      const file = path.join(dataRoot, 'Linked', linkedPid, 'overview.png');
      await writeFile(
        file,
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
          .png()
          .toBuffer(),
      );
      await utimes(file, (start + 60_000) / 1000, (start + 60_000) / 1000);
      const title = uniqueName('Linked experiment ');
      const session = await inTransaction(db, (trx) =>
        logPastSession(trx, actorOfUser(staffUser!), {
          instrument: linkedPid,
          user: staffUser!.username,
          startedAt: new Date(start),
          endedAt: new Date(end),
          reservation: { projectId: project.name, experimentTitle: title, sampleNames: [sample.name] },
        }),
      );
      const outcome = await buildNextSession(
        {
          db,
          files: new FileStore(path.join(server!.database.connection.dataDir, 'files')),
          dataRoot,
          noFilesDelayMs: 60 * 60_000,
          retryWaitingMs: 0,
          sensitivity: 1,
          extensions: 'all',
          ignore: [],
          maxPreviewBytes: 10_000_000,
          claimant: 'browser-test',
        },
        [session.sessionIdentifier],
      );
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'COMPLETED' });

      // The experimenter is a member of the project, not the session's user: the link is what shows it.
      const { page } = experimenter!;
      await page.goto(`${server!.baseUrl}/samples/${sample.id}`);
      // The sample's history tells that a record was made with it.
      await page.getByTestId('history-panel').getByText(title).first().waitFor();
      const panel = page.getByTestId('sample-records');
      await panel.getByRole('link', { name: title }).click();
      await page.getByTestId('record-title').filter({ hasText: title }).waitFor();
      const links = page.getByTestId('record-links');
      await links.getByRole('link', { name: project.name }).waitFor();
      await links.getByRole('link', { name: new RegExp(sample.name) }).click();
      await page.waitForURL(`${server!.baseUrl}/samples/${sample.id}`);

      await page.goto(`${server!.baseUrl}/records?project=${project.id}`);
      const table = page.getByTestId('records-table');
      await table.getByRole('link', { name: title }).waitFor();
      expect(await table.getByRole('row').count()).toBe(2);
      expect(experimenter!.pageErrors).toEqual([]);
    },
  );

  it("shows staff an instrument's settings and its sessions on a timeline coloured by status", async () => {
    const { page } = staff!;
    await page.goto(`${server!.baseUrl}/instruments`);
    await page.getByTestId('instruments-table').getByText(pid).waitFor();
    await page
      .getByTestId('instruments-table')
      .getByRole('row')
      .filter({ hasText: pid })
      .getByRole('link')
      .click();
    await page.waitForURL(`${server!.baseUrl}/instruments/${pid}`);
    const details = page.getByTestId('instrument-details');
    await details.waitFor();
    expect(await details.textContent()).toContain(`Quanta/${pid}`);

    const bars = page.getByTestId('session-timeline').getByTestId('session-bar');
    await expect.poll(() => bars.count()).toBe(2);
    const statuses = await Promise.all((await bars.all()).map((bar) => bar.getAttribute('data-status')));
    expect(statuses).toEqual(['COMPLETED', 'WAITING_FOR_END']);
    // Each bar says its status and times; the one still running ends at "now".
    expect(await bars.first().getAttribute('aria-label')).toMatch(/^Record built: /);
    expect(await bars.last().getAttribute('aria-label')).toMatch(/^In progress: .* – now/);

    // Staff see the record too, in the instrument's filtered records list.
    await page.getByRole('link', { name: 'Records of this instrument' }).click();
    await page.waitForURL(`${server!.baseUrl}/records?instrument=${pid}`);
    await page.getByTestId('records-table').getByRole('link', { name: record!.title }).waitFor();
    expect(staff!.pageErrors).toEqual([]);
  });
});
