/**
 * The API explorer in a real browser: /api/docs lists every operation of Cairn's OpenAPI document, under the
 * page's own Content-Security-Policy, with no console error and no policy violation on the way.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveWebApp, skipBrowserTests, type WebServer } from '../support/browser.js';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

interface PolicyViolation {
  directive: string;
  blocked: string;
  sample: string;
}

describe.skipIf(skipBrowserTests)('API explorer', () => {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    server = await serveWebApp();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('lists every operation of the document with no console error or CSP violation', async () => {
    const baseUrl = server!.baseUrl;
    const openApi = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operationCount = Object.values(openApi.paths).reduce(
      (count, item) => count + Object.keys(item).filter((key) => HTTP_METHODS.includes(key)).length,
      0,
    );
    expect(operationCount).toBeGreaterThan(40);

    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Reported by the page itself: not every violation reaches the console.
    const violations: PolicyViolation[] = [];
    await page.exposeFunction('reportPolicyViolation', (violation: PolicyViolation) =>
      violations.push(violation),
    );
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (event) =>
      reportPolicyViolation({ directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample }))`);

    const response = await page.goto(`${baseUrl}/api/docs`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    // Generous: on a busy machine swagger-ui takes several times as long as on an idle one.
    await expect
      .poll(() => page.locator('.opblock').count(), { timeout: 60_000, interval: 100 })
      .toBe(operationCount);
    await page.locator('.opblock-summary-path').first().waitFor();

    expect(violations).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
