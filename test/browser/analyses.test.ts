/**
 * Analyses in a real browser against a real Cairn (its embedded agent runs the jobs on the local resource): a
 * project member opens a sample that has a file, clicks "Run analysis", chooses `checksum`, starts it, lands
 * on the analysis page and sees it become completed with its output listed, without reloading the page;
 * several samples selected in the project's list get one analysis each; Retry runs an ended analysis again
 * and keeps the earlier attempt; Cancel stops a running one; a project's viewer is offered neither Run
 * analysis nor Retry; the parameter form of `fastq-subsample` shows the server's refusal of a bad proportion
 * under that field, and nothing is started.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { createToken } from '../../src/modules/accounts/accounts.service.js';
import type { User } from '../../src/modules/accounts/accounts.schema.js';
import { launchChromium, serveWebApp, skipBrowserTests, type WebServer } from '../support/browser.js';
import { openSession, type BrowserSession } from '../support/browser-session.js';
import { actorOfUser, buildProject, buildUser, uniqueName } from '../support/factories.js';

const READS = '@read1\nACGTACGTAC\n+\nIIIIIIIIII\n@read2\nTTGCAAGGCT\n+\nIIIIIIIIII\n';

describe.skipIf(skipBrowserTests)('analyses in the browser', () => {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  let member: User | undefined;
  let session: BrowserSession | undefined;
  let projectId = '';

  beforeAll(async () => {
    server = await serveWebApp({ withAgents: true });
    browser = await launchChromium();
    member = await buildUser(server.database.db);
    projectId = (await buildProject(server.database.db, member)).id;
    session = await openSession(browser, server, member);
  });

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await server?.close();
  });

  /** The bearer token of a user, for API calls the browser session does not make. */
  async function tokenOf(user: User): Promise<string> {
    const { token } = await inTransaction(server!.database.db, (trx) =>
      createToken(trx, actorOfUser(user), { name: 'browser test set-up' }),
    );
    return token;
  }

  /** A tube sample of the project with `reads.fastq` attached, made through the API. */
  async function sampleWithFile(): Promise<{ id: string; name: string }> {
    // A sample's id is its item's.
    const sample = await session!.call<{ id: string; name: string }>('POST', '/api/samples', {
      projectId,
      type: 'tube',
      name: uniqueName('Sample '),
    });
    const token = await tokenOf(member!);
    const form = new FormData();
    form.append('file', new Blob([READS], { type: 'text/plain' }), 'reads.fastq');
    const upload = await fetch(`${server!.baseUrl}/api/items/${sample.id}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(upload.status, await upload.clone().text()).toBe(201);
    return sample;
  }

  async function openRunDialog(sampleId: string, type: string) {
    const { page } = session!;
    await page.goto(`${server!.baseUrl}/samples/${sampleId}`);
    const panel = page.getByTestId('sample-analyses');
    await panel.getByText('No analyses yet.').waitFor();
    await panel.getByRole('button', { name: 'Run analysis' }).click();
    const dialog = page.getByRole('dialog', { name: 'New analysis' });
    await dialog.getByLabel('Analysis type').click();
    await page.getByRole('option', { name: new RegExp(`^${type} `) }).click();
    return dialog;
  }

  it(
    "starts a checksum from the sample's page and watches it complete without reloading",
    { timeout: 120_000 },
    async () => {
      const { page } = session!;
      const sample = await sampleWithFile();
      const dialog = await openRunDialog(sample.id, 'checksum');
      // A marker in the page's window survives only as long as the page is not reloaded.
      await page.evaluate(() => {
        (globalThis as { cairnNotReloaded?: boolean }).cairnNotReloaded = true;
      });
      await dialog.getByRole('button', { name: 'Start analysis' }).click();

      await page.waitForURL(/\/analyses\/[^/]+$/);
      await page.getByTestId('analysis-title').filter({ hasText: 'checksum' }).waitFor();
      const details = page.getByTestId('analysis-details');
      await expect
        .poll(() => details.textContent(), { timeout: 90_000, interval: 250 })
        .toContain('Completed');

      const outputs = page.getByTestId('analysis-outputs');
      await outputs.getByRole('link', { name: 'sha256-manifest.txt' }).waitFor();
      const timeline = page.getByTestId('job-timeline');
      expect(await timeline.textContent()).toContain('exit code 0');
      expect(await page.getByTestId('job-argv').locator('li').count()).toBeGreaterThan(1);
      expect(await page.getByTestId('job-provenance').textContent()).toContain('reads.fastq');
      expect(await page.evaluate(() => (globalThis as { cairnNotReloaded?: boolean }).cairnNotReloaded)).toBe(
        true,
      );

      // The whole log, once the job has ended, is the log the agent handed over.
      const logs = page.getByTestId('analysis-logs');
      await logs.getByRole('button', { name: 'Load whole log' }).click();
      await logs.getByText('The whole log').waitFor();

      // The download link answers the file the job wrote: the manifest names the input.
      const href = await outputs.getByRole('link', { name: 'sha256-manifest.txt' }).getAttribute('href');
      const manifest = await page.evaluate(async (url) => (await fetch(url!)).text(), href);
      expect(manifest).toContain('reads.fastq');

      // The sample's page lists it.
      await page.getByRole('link', { name: sample.name }).first().click();
      const row = page.getByTestId('sample-analyses').getByTestId('analyses-table');
      await expect.poll(() => row.textContent()).toContain('checksum');
      expect(await row.textContent()).toContain('Completed');
      expect(session!.pageErrors).toEqual([]);
    },
  );

  it(
    "starts one analysis of each selected sample from the project's samples and lists them as they complete",
    { timeout: 120_000 },
    async () => {
      const { page } = session!;
      const samples = [await sampleWithFile(), await sampleWithFile()];
      await page.goto(`${server!.baseUrl}/projects/${projectId}?tab=samples`);
      const panel = page.getByTestId('samples-panel');
      for (const sample of samples) await panel.getByLabel(`Select ${sample.name}`).check();
      await panel.getByRole('button', { name: 'Analyze selected (2)' }).click();
      const dialog = page.getByRole('dialog', { name: 'New analysis of 2 samples' });
      await dialog.getByLabel('Analysis type').click();
      await page.getByRole('option', { name: /^checksum / }).click();
      await dialog.getByRole('button', { name: 'Start 2 analyses' }).click();
      // The project's analyses list opens with the new ones.
      await page.waitForURL(`${server!.baseUrl}/analyses?projectId=${projectId}`);
      const table = page.getByTestId('analyses-table');
      for (const sample of samples) {
        const row = table.getByRole('row').filter({ hasText: sample.name });
        await expect.poll(() => row.textContent(), { timeout: 90_000, interval: 250 }).toContain('Completed');
        expect(await row.textContent()).toContain('checksum');
      }
      expect(session!.pageErrors).toEqual([]);
    },
  );

  it(
    'retries an ended analysis as a new attempt and keeps the earlier one',
    { timeout: 120_000 },
    async () => {
      const { page } = session!;
      const sample = await sampleWithFile();
      const analysis = await session!.call<{ id: string }>('POST', '/api/analyses', {
        sampleId: sample.id,
        analysisType: 'checksum',
      });
      await page.goto(`${server!.baseUrl}/analyses/${analysis.id}`);
      const details = page.getByTestId('analysis-details');
      await expect
        .poll(() => details.textContent(), { timeout: 90_000, interval: 250 })
        .toContain('Completed');
      expect(await page.getByTestId('analysis-attempts').count()).toBe(0);

      await page.getByRole('button', { name: 'Retry' }).click();
      const job = page.getByTestId('analysis-job');
      await expect.poll(() => job.textContent()).toContain('attempt 2');
      await expect
        .poll(() => details.textContent(), { timeout: 90_000, interval: 250 })
        .toContain('Completed');
      const attempts = page.getByTestId('analysis-attempts');
      expect(await attempts.getByRole('row').count()).toBe(2);
      expect(await attempts.textContent()).toContain('exit code 0');
      expect(session!.pageErrors).toEqual([]);
    },
  );

  it('cancels a running analysis from its page', { timeout: 120_000 }, async () => {
    const { page } = session!;
    // A type whose job runs until it is stopped, registered by an admin.
    const admin = await buildUser(server!.database.db, { role: 'admin' });
    const registered = await fetch(`${server!.baseUrl}/api/analysis-types`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenOf(admin)}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: uniqueName('wait-').toLowerCase(),
        version: '1',
        description: 'Sleeps for ten minutes',
        command: ['sleep', '600'],
        parameters: { type: 'object', properties: {} },
        inputs: { min: 0 },
        outputs: [],
        resources: { cpus: 1, memory: '64M', time: '00:15:00' },
      }),
    });
    expect(registered.status, await registered.clone().text()).toBe(201);
    const type = (await registered.json()) as { name: string };
    const sample = await sampleWithFile();
    const analysis = await session!.call<{ id: string }>('POST', '/api/analyses', {
      sampleId: sample.id,
      analysisType: type.name,
    });

    await page.goto(`${server!.baseUrl}/analyses/${analysis.id}`);
    const details = page.getByTestId('analysis-details');
    await expect.poll(() => details.textContent(), { timeout: 90_000, interval: 250 }).toContain('Running');
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page
      .getByRole('dialog', { name: 'Cancel this analysis?' })
      .getByRole('button', { name: 'Cancel analysis' })
      .click();
    await expect.poll(() => details.textContent(), { timeout: 90_000, interval: 250 }).toContain('Cancelled');
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
    expect(session!.pageErrors).toEqual([]);
  });

  it("offers a project's viewer neither Run analysis nor Retry", { timeout: 60_000 }, async () => {
    const sample = await sampleWithFile();
    const analysis = await session!.call<{ id: string }>('POST', '/api/analyses', {
      sampleId: sample.id,
      analysisType: 'checksum',
    });
    const viewer = await buildUser(server!.database.db);
    await session!.call('POST', `/api/projects/${projectId}/members`, {
      username: viewer.username,
      role: 'viewer',
    });
    const viewing = await openSession(browser!, server!, viewer);
    try {
      const { page } = viewing;
      await page.goto(`${server!.baseUrl}/analyses/${analysis.id}`);
      const details = page.getByTestId('analysis-details');
      await expect
        .poll(() => details.textContent(), { timeout: 90_000, interval: 250 })
        .toContain('Completed');
      expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);

      await page.getByRole('link', { name: sample.name }).first().click();
      const panel = page.getByTestId('sample-analyses');
      await expect.poll(() => panel.textContent()).toContain('checksum');
      expect(await panel.getByRole('button', { name: 'Run analysis' }).count()).toBe(0);
      expect(viewing.pageErrors).toEqual([]);
    } finally {
      await viewing.context.close();
    }
  });

  it(
    "shows the server's refusal of a bad fastq-subsample proportion under the field, and starts nothing",
    { timeout: 60_000 },
    async () => {
      const sample = await sampleWithFile();
      const dialog = await openRunDialog(sample.id, 'fastq-subsample');
      const proportion = dialog.getByLabel('proportion');
      await proportion.fill('2');
      await dialog.getByRole('button', { name: 'Start analysis' }).click();
      await expect.poll(() => proportion.getAttribute('aria-invalid')).toBe('true');
      // The message sits under the field (Mantine links it as the input's description of the error).
      const errorId = (await proportion.getAttribute('aria-describedby'))
        ?.split(' ')
        .find((id) => id.endsWith('-error'));
      expect(errorId).toBeTruthy();
      expect((await dialog.locator(`[id="${errorId}"]`).textContent())?.length).toBeGreaterThan(0);
      expect(await dialog.isVisible()).toBe(true);

      const listed = await session!.call<{ items: unknown[] }>(
        'GET',
        `/api/analyses?sampleId=${encodeURIComponent(sample.id)}`,
      );
      expect(listed.items).toEqual([]);
      expect(session!.pageErrors).toEqual([]);
    },
  );
});
