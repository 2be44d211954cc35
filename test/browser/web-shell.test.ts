/**
 * The web shell end to end in a real browser against a real server: sign in through the login form, create a
 * project, find it in the list, open it and see its creation in the history panel, sign out.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/modules/accounts/accounts.schema.js';
import { launchChromium, serveWebApp, skipBrowserTests, type WebServer } from '../support/browser.js';
import type { TestDatabase } from '../support/databases.js';
import { buildUser, TEST_PASSWORD, uniqueName } from '../support/factories.js';

const SCREENSHOT = path.resolve(import.meta.dirname, '../../test-results/web-shell.png');

describe.skipIf(skipBrowserTests)('web shell', () => {
  let server: WebServer | undefined;
  let database: TestDatabase;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let baseUrl: string;
  let user: User;

  beforeAll(async () => {
    server = await serveWebApp();
    ({ database, baseUrl } = server);
    user = await buildUser(database.db, { displayName: 'Ada Lovelace' });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('signs in, creates a project, finds it and shows its history', { timeout: 60_000 }, async () => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // A signed-out visit lands on the login form.
    await page.goto(`${baseUrl}/projects`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    expect(await page.getByTestId('current-user').textContent()).toBe('Ada Lovelace');
    expect(new URL(page.url()).pathname).toBe('/projects');

    const name = uniqueName('Soil microbiome ');
    await page.getByRole('button', { name: 'New project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Description').fill('16S sequencing of the north field plots');
    await dialog.getByLabel('Start date').fill('2025-03-01');
    await dialog.getByRole('button', { name: 'Create project' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByLabel('Search').fill(name);
    const link = page.getByTestId('projects-table').getByRole('link', { name });
    await link.click();

    await page.getByTestId('project-name').filter({ hasText: name }).waitFor();
    const created = page
      .getByTestId('history-panel')
      .locator('[data-testid="history-event"][data-action="create"]');
    await created.waitFor();
    expect(await created.textContent()).toContain(name);
    expect(await created.textContent()).toContain(`by ${user.username} (you)`);
    expect(await page.getByTestId('members-panel').textContent()).toContain(user.username);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
