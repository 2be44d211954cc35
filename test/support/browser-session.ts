/**
 * A signed-in browser test session: a Chromium page signed in through the login form as a test user, and an
 * API caller with that user's bearer token (for setting up what the page then shows).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inTransaction } from '../../src/db/transaction.js';
import { createToken } from '../../src/modules/accounts/accounts.service.js';
import type { User } from '../../src/modules/accounts/accounts.schema.js';
import type { WebServer } from './browser.js';
import { actorOfUser, TEST_PASSWORD } from './factories.js';

export type ApiCall = <T>(method: string, url: string, body?: unknown) => Promise<T>;

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Calls the API as the user; fails loudly on a status other than 200 or 201. */
  readonly call: ApiCall;
  /** Messages of uncaught errors in the page, to be empty at the end of a test. */
  readonly pageErrors: string[];
}

export async function openSession(
  browser: Browser,
  server: WebServer,
  user: User,
  viewport = { width: 1400, height: 900 },
): Promise<BrowserSession> {
  const { token } = await inTransaction(server.database.db, (trx) =>
    createToken(trx, actorOfUser(user), { name: 'browser test' }),
  );
  const call: ApiCall = async <T>(method: string, url: string, body?: unknown) => {
    const response = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status !== 200 && response.status !== 201)
      throw new Error(`${method} ${url} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };

  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.baseUrl}/inventory`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inventory' }).waitFor();
  return { context, page, call, pageErrors };
}
