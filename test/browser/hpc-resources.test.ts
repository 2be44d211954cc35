/**
 * The HPC resources page in a real browser: an admin sees the local resource online (its health, its empty
 * queue and its chart without jobs), registers a Slurm cluster (a bad setting named under its field first),
 * and sets it draining; a plain user is not offered it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveWebApp, skipBrowserTests, type WebServer } from '../support/browser.js';
import { openSession, type BrowserSession } from '../support/browser-session.js';
import { buildUser, uniqueName } from '../support/factories.js';

describe.skipIf(skipBrowserTests)('HPC resources page', () => {
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

  it('lists, registers and drains resources for admins', { timeout: 60_000 }, async () => {
    const admin = await buildUser(server!.database.db, { role: 'admin' });
    const session = await openSession(browser!, server!, admin);
    sessions.push(session);
    const { page } = session;

    await page.getByRole('link', { name: 'HPC resources' }).click();
    await page.getByRole('heading', { name: 'HPC resources' }).waitFor();
    const local = page.getByTestId('resource-local');
    await expect.poll(() => local.textContent()).toContain('Online');
    // Its health and queue: the embedded agent sends no heartbeats; nothing waits or runs; no jobs to chart.
    expect(await local.textContent()).toContain('embedded agent');
    await expect
      .poll(() => local.getByTestId('queue-local').textContent())
      .toBe('0 queued · 0 submitted · 0 running');
    await page.getByTestId('job-chart-local').getByText('No finished jobs yet.').waitFor();

    const name = uniqueName('cluster-');
    await page.getByRole('button', { name: 'New resource' }).click();
    const dialog = page.getByRole('dialog', { name: 'New HPC resource' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Partition').fill('batch');
    await dialog.getByLabel('Default time').fill('25:00');
    await dialog.getByLabel('Default memory').fill('4G');
    await dialog.getByRole('button', { name: 'Register resource' }).click();
    // The server's 422 names the field; the form shows it under that field and keeps the dialog open.
    await expect
      .poll(() => dialog.textContent())
      .toMatch(/Default time.*must be \[D-\]HH:MM:SS or a number of minutes/);
    await dialog.getByLabel('Default time').fill('1-00:00:00');
    await dialog.getByRole('button', { name: 'Register resource' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByTestId(`resource-${name}`);
    await expect.poll(() => row.textContent()).toContain('partition batch · time 1-00:00:00 · memory 4G');
    expect(await row.textContent()).toContain('Slurm cluster');

    await row.getByLabel(`Status of ${name}`).click();
    await page.getByRole('option', { name: 'Draining' }).click();
    await expect.poll(() => row.textContent()).toContain('Draining');
    const listed = await session.call<{ items: { name: string; status: string }[] }>(
      'GET',
      '/api/hpc-resources',
    );
    expect(listed.items.find((resource) => resource.name === name)?.status).toBe('draining');
    expect(session.pageErrors).toEqual([]);
  });

  it('does not offer the page to a plain user', { timeout: 60_000 }, async () => {
    const user = await buildUser(server!.database.db);
    const session = await openSession(browser!, server!, user);
    sessions.push(session);
    expect(await session.page.getByRole('link', { name: 'HPC resources' }).count()).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });
});
