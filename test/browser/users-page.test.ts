/** The users page in a real browser: an admin creates an account through the "New user" form. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveWebApp, skipBrowserTests, type WebServer } from '../support/browser.js';
import { openSession, type BrowserSession } from '../support/browser-session.js';
import { buildUser, uniqueName } from '../support/factories.js';

describe.skipIf(skipBrowserTests)('users page', () => {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    server = await serveWebApp();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await server?.close();
  });

  it('creates a user typed into the form field by field', { timeout: 60_000 }, async () => {
    const admin = await buildUser(server!.database.db, { role: 'admin' });
    session = await openSession(browser!, server!, admin);
    const { page } = session;
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();

    const username = uniqueName('grace')
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '');
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    // Typed key by key, as a person does: each keystroke updates the form.
    await dialog.getByLabel('Username').pressSequentially(username);
    await dialog.getByLabel('Display name').pressSequentially('Grace Hopper');
    await dialog.getByLabel('Email').pressSequentially(`${username}@example.org`);
    await dialog.getByLabel('Password').pressSequentially('long enough password');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await expect.poll(() => page.getByTestId('users-table').textContent()).toContain('Grace Hopper');
    expect(await page.getByTestId('users-table').textContent()).toContain(`${username}@example.org`);
    expect(session.pageErrors).toEqual([]);
  });
});
