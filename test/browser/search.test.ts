/**
 * Searching in a real browser against a real Cairn: a plasmid, a tube of it in a box and a project share a
 * rare word. Typed into the header's box (reached with `/`), it offers completions; arrows and Enter open the
 * chosen item's page. Enter without a choice opens the results page, with facets by kind and type, highlighted
 * snippets and where the tube is; a type facet narrows the list. A misspelt word gets "Did you mean", and
 * following it finds the plasmid; a query the server refuses shows its problem. A long list pages with
 * "Load more"; hidden items are found only when asked for.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import { launchChromium, serveWebApp, skipBrowserTests, type WebServer } from '../support/browser.js';
import { openSession, type BrowserSession } from '../support/browser-session.js';
import { buildUser } from '../support/factories.js';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');

describe.skipIf(skipBrowserTests)('search in the browser', () => {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  let session: BrowserSession | undefined;
  let page: Page;
  let plasmid: Item;
  let tube: Item;

  beforeAll(async () => {
    server = await serveWebApp();
    browser = await launchChromium();
    session = await openSession(browser, server, await buildUser(server.database.db));
    page = session.page;
    const create = (input: Record<string, unknown>) => session!.call<Item>('POST', '/api/items', input);
    plasmid = await create({
      type: 'plasmid',
      name: 'Aequorin reporter',
      description: 'The aequorin calcium sensor of the jellyfish Aequorea victoria',
      fields: { sequence: 'ATGACCAGCGAACAATACTCAGTCAAGCTTACATCAGACTTCGACAACCCAAGATGG', backbone: 'pUC19' },
    });
    const room = await create({ type: 'room', name: 'Lab 3.02' });
    const freezer = await create({ type: '-80 freezer', name: 'Freezer B', parentId: room.id });
    const box = await create({ type: 'box 10x10', name: 'Box 7', parentId: freezer.id });
    tube = await create({
      type: 'tube',
      name: 'Aequorin miniprep',
      virtualId: plasmid.id,
      parentId: box.id,
      slot: 'B3',
    });
    await session.call('POST', '/api/projects', { name: 'Aequorin imaging' });
  }, 120_000);

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await server?.close();
  });

  const searchBox = () => page.getByRole('searchbox', { name: 'Find in Cairn' });

  it('completes as the user types in the header box; arrows and Enter open the chosen item', async () => {
    await page.goto(`${server!.baseUrl}/projects`);
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    // In a text field `/` is text; outside one it goes to the search box.
    const projectFilter = page.getByPlaceholder('Name or description');
    await projectFilter.click();
    await page.keyboard.type('a/b');
    expect(await projectFilter.inputValue()).toBe('a/b');
    await projectFilter.fill('');
    await page.locator('body').click();
    await page.keyboard.press('/');
    await expect
      .poll(() => searchBox().evaluate((el: { matches(selector: string): boolean }) => el.matches(':focus')))
      .toBe(true);
    await page.keyboard.type('aequ');

    const options = page.getByRole('option');
    await options.filter({ hasText: 'Aequorin reporter' }).waitFor();
    const titles = await options.allTextContents();
    expect(titles.some((title) => title.startsWith('Aequorin miniprep'))).toBe(true);
    expect(titles.some((title) => title.startsWith('Aequorin imaging'))).toBe(true);
    const index = titles.findIndex((title) => title.startsWith('Aequorin reporter'));
    for (let step = 0; step <= index; step++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => options.nth(index).getAttribute('data-combobox-selected')).toBe('true');
    await page.keyboard.press('Enter');

    await page.waitForURL(`**/inventory/items/${plasmid.id}`);
    await page.getByTestId('item-name').filter({ hasText: 'Aequorin reporter' }).waitFor();

    // Escape closes the completions, and a second Escape leaves the box.
    await page.keyboard.press('/');
    await page.keyboard.type('aequ');
    await options.first().waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => options.count()).toBe(0);
    await page.keyboard.press('Escape');
    await expect
      .poll(() => searchBox().evaluate((el: { matches(selector: string): boolean }) => el.matches(':focus')))
      .toBe(false);
    expect(session?.pageErrors).toEqual([]);
  });

  it('opens the results with Enter: facets, highlighted snippets, locations; a type facet filters', async () => {
    await searchBox().click();
    await searchBox().fill('aequorin');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('q') === 'aequorin');
    await page.getByRole('heading', { name: 'Search results for “aequorin”' }).waitFor();

    const results = page.getByTestId('search-result');
    await expect.poll(() => results.count()).toBe(3);
    const facets = page.getByTestId('search-facets');
    await expect.poll(() => facets.getByTestId('facet-kind-item').textContent()).toBe('Item2');
    expect(await facets.getByTestId('facet-kind-project').textContent()).toBe('Project1');
    expect(await facets.getByTestId('facet-type').allTextContents()).toEqual(
      expect.arrayContaining(['plasmidItem1', 'tubeItem1']),
    );
    const marks = await page.getByTestId('search-snippet').locator('mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((mark) => mark.toLowerCase() === 'aequorin')).toBe(true);
    const tubeResult = results.filter({ hasText: 'Aequorin miniprep' });
    expect(await tubeResult.getByTestId('search-location').innerText()).toMatch(
      /Lab 3\.02\s*›\s*Freezer B\s*›\s*Box 7/,
    );
    expect(await facets.getByTestId('search-fasta').getAttribute('href')).toBe(
      '/api/search/items.fasta?q=aequorin',
    );
    fs.mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'search-results.png'), fullPage: true });

    // The tube type's facet leaves only the tube, and the address says so.
    await facets.getByTestId('facet-type').filter({ hasText: 'tube' }).click();
    await page.waitForURL((url) => url.searchParams.get('type') !== null);
    await expect.poll(() => results.count()).toBe(1);
    expect(await results.first().getByRole('link', { name: 'Aequorin miniprep' }).getAttribute('href')).toBe(
      `/inventory/items/${tube.id}`,
    );
    // A word of the body is highlighted where it was found.
    await searchBox().fill('victoria');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Search results for “victoria”' }).waitFor();
    await expect
      .poll(() => page.getByTestId('search-snippet').locator('mark').allTextContents())
      .toEqual(['victoria']);
    expect(session?.pageErrors).toEqual([]);
  });

  it('offers "Did you mean" for a misspelt word, and following it finds the item', async () => {
    await searchBox().fill('aequorim');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Search results for “aequorim”' }).waitFor();
    const didYouMean = page.getByTestId('did-you-mean');
    await didYouMean.waitFor();
    expect(await didYouMean.innerText()).toBe('Did you mean aequorin?');
    expect(await page.getByTestId('search-total').innerText()).toMatch(/^Nothing matches\./);

    await didYouMean.getByRole('link', { name: 'aequorin' }).click();
    await page.getByRole('heading', { name: 'Search results for “aequorin”' }).waitFor();
    await page.getByTestId('search-result').getByRole('link', { name: 'Aequorin reporter' }).click();
    await page.waitForURL(`**/inventory/items/${plasmid.id}`);

    // A query the server refuses shows its problem in place.
    await searchBox().fill('-aequorin');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/not only words to leave out/);
    expect(await page.getByTestId('search-result').count()).toBe(0);
    expect(session?.pageErrors).toEqual([]);
  });

  it('pages with "Load more" until every match is shown', async () => {
    for (let n = 1; n <= 23; n++)
      await session!.call('POST', '/api/items', { type: 'tube', name: `Quokka ${n}` });
    await searchBox().fill('quokka');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Search results for “quokka”' }).waitFor();
    const results = page.getByTestId('search-result');
    await expect.poll(() => results.count()).toBe(20);
    expect(await page.getByTestId('search-total').innerText()).toBe('23 matches');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => results.count()).toBe(23);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    const titles = await results.getByRole('link').allTextContents();
    expect(new Set(titles.filter((title) => title.startsWith('Quokka'))).size).toBe(23);
    expect(session?.pageErrors).toEqual([]);
  });

  it('leaves hidden items out unless asked for', async () => {
    await session!.call('POST', '/api/items', { type: 'tube', name: 'Wombat stock' });
    await session!.call('POST', '/api/items', { type: 'tube', name: 'Wombat old stock', hidden: true });
    await searchBox().fill('wombat');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Search results for “wombat”' }).waitFor();
    const results = page.getByTestId('search-result');
    await expect.poll(() => results.count()).toBe(1);
    expect(await results.innerText()).toContain('Wombat stock');
    await page.getByRole('switch', { name: 'Hidden items too' }).click();
    await page.waitForURL((url) => url.searchParams.get('hidden') === 'true');
    await expect.poll(() => results.count()).toBe(2);
    // A facet keeps hidden items in.
    await page.getByTestId('facet-kind-item').click();
    await page.waitForURL((url) => url.searchParams.get('kind') === 'item');
    expect(new URL(page.url()).searchParams.get('hidden')).toBe('true');
    await expect.poll(() => results.count()).toBe(2);
    expect(session?.pageErrors).toEqual([]);
  });
});
