/**
 * Live updates in a real browser: with the HPC resources page open, resources registered and changed through
 * the API (not through the page) show up on it without a reload, through the app's one event stream.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveWebApp, skipBrowserTests, type WebServer } from '../support/browser.js';
import { openSession, type BrowserSession } from '../support/browser-session.js';
import { buildUser, uniqueName } from '../support/factories.js';

describe.skipIf(skipBrowserTests)('live updates', () => {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  const sessions: BrowserSession[] = [];

  beforeAll(async () => {
    server = await serveWebApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const session of sessions) await session.context.close();
    await browser?.close();
    await server?.close();
  });

  it('shows resources changed elsewhere without reloading the page', { timeout: 60_000 }, async () => {
    const viewer = await openSession(
      browser!,
      server!,
      await buildUser(server!.database.db, { role: 'admin' }),
    );
    const other = await openSession(
      browser!,
      server!,
      await buildUser(server!.database.db, { role: 'admin' }),
    );
    sessions.push(viewer, other);
    const { page } = viewer;
    await page.getByRole('link', { name: 'HPC resources' }).click();
    await page.getByRole('heading', { name: 'HPC resources' }).waitFor();
    await expect.poll(() => page.getByTestId('resource-local').textContent()).toContain('Online');
    // A page load would drop this mark.
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));

    const name = uniqueName('cluster-');
    const created = await other.call<{ id: string }>('POST', '/api/hpc-resources', {
      name,
      type: 'slurm',
      settings: { partition: 'batch' },
    });
    const row = page.getByTestId(`resource-${name}`);
    // Generous bounds on the waits: they only bound a hang on a busy machine.
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('partition batch');

    await other.call('PATCH', `/api/hpc-resources/${created.id}`, { status: 'draining' });
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Draining');

    expect(await page.evaluate(() => 'notReloaded' in globalThis)).toBe(true);
    expect(viewer.pageErrors).toEqual([]);
  });
});
