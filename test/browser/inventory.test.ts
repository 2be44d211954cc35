/**
 * The inventory UI end to end in a real browser against a real server: a room → freezer → rack → box made
 * through the API, then in the browser the box is found in the location tree, a tube is created in its free
 * slot B3 and shows up in that slot of the grid, and its history names its type, box and volume; a tube's
 * move out of a box deleted since reads as one line, and the deleted box's page shows where it was and its
 * history, and restores it; and a small CSV is checked (dry run: the bad row is named), fixed and imported.
 * The box grid: slots taken by another project's samples read as restricted, labels print in slot order, and
 * a filled slot's details come into view; the tree, the box's badge and the move dialog say only what
 * applies; the catalogue lists A–Z as a person reads it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/transaction.js';
import { createToken } from '../../src/modules/accounts/accounts.service.js';
import type { User } from '../../src/modules/accounts/accounts.schema.js';
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import { launchChromium, serveWebApp, skipBrowserTests, type WebServer } from '../support/browser.js';
import type { TestDatabase } from '../support/databases.js';
import { createSample } from '../../src/modules/samples/samples.service.js';
import { openSession } from '../support/browser-session.js';
import { actorOfUser, buildProject, buildUser, TEST_PASSWORD, uniqueName } from '../support/factories.js';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');

describe.skipIf(skipBrowserTests)('inventory UI', () => {
  let server: WebServer | undefined;
  let database: TestDatabase;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let baseUrl: string;
  let user: User;
  let token: string;
  const pageErrors: string[] = [];

  /** Calls the API as the test user with a bearer token; fails loudly on an unexpected status. */
  async function call<T>(method: string, url: string, body?: unknown, expected = [200, 201]): Promise<T> {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!expected.includes(response.status))
      throw new Error(`${method} ${url} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  const createItem = (input: Record<string, unknown>) => call<Item>('POST', '/api/items', input);

  beforeAll(async () => {
    server = await serveWebApp();
    ({ database, baseUrl } = server);
    user = await buildUser(database.db, { displayName: 'Rosalind Franklin' });
    const db = database.db;
    ({ token } = await inTransaction(db, (trx) =>
      createToken(trx, actorOfUser(user), { name: 'browser test' }),
    ));

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${baseUrl}/inventory`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inventory' }).waitFor();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  it('places a new tube in a free slot of a box and shows it in the grid', { timeout: 60_000 }, async () => {
    const room = await createItem({ type: 'room', name: uniqueName('Room ') });
    const freezer = await createItem({ type: '-80 freezer', name: 'Freezer F2', parentId: room.id });
    const rack = await createItem({ type: 'rack', name: 'Rack 4', parentId: freezer.id });
    const box = await createItem({ type: 'box 9x9', name: 'Glycerol stocks', parentId: rack.id });
    await createItem({ type: 'tube', name: 'pUC19 stock', parentId: box.id, slot: 'A1' });

    // Walk the location tree down to the box.
    await page.reload();
    const tree = page.getByTestId('location-tree');
    for (const item of [room, freezer, rack, box]) {
      await tree.locator(`[data-testid="tree-node"][data-item-id="${item.id}"]`).click();
    }
    await page.getByTestId('container-name').filter({ hasText: 'Glycerol stocks' }).waitFor();
    expect(await page.getByTestId('location-path').textContent()).toContain('Rack 4');
    expect(await page.getByTestId('slot-A1').getAttribute('data-state')).toBe('filled');

    // B3 is free: clicking it offers to place an item there.
    const b3 = page.getByTestId('slot-B3');
    expect(await b3.getAttribute('data-state')).toBe('free');
    await b3.click();
    const dialog = page.getByRole('dialog', { name: 'Place an item in slot B3' });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Tube 42');
    await dialog.getByRole('textbox', { name: 'Volume (µl)' }).fill('250');
    await dialog.getByRole('button', { name: 'Create here' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.locator('[data-testid="slot-B3"][data-state="filled"]').waitFor();
    expect(await b3.textContent()).toContain('Tube 42');
    expect(await page.getByTestId('slot-summary').textContent()).toContain('2 filled');

    // The server agrees: the tube is in the box, in slot B3, with its volume.
    const children = await call<{ items: Item[]; grid: { occupancy: Record<string, { name: string }> } }>(
      'GET',
      `/api/items/${box.id}/children`,
    );
    const tube = children.items.find((item) => item.name === 'Tube 42');
    expect(tube).toMatchObject({ parentId: box.id, slot: 'B3', fields: { volume_ul: 250 } });
    expect(children.grid.occupancy.B3?.name).toBe('Tube 42');
    expect(await b3.getAttribute('aria-label')).toContain(tube?.humanId);

    // Selecting the filled slot offers its item.
    await b3.click();
    expect(await page.getByTestId('selected-slot').textContent()).toContain(tube?.humanId);

    fs.mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'inventory-grid.png'), fullPage: true });

    // The tube's history reads as labels and names (its type, box and volume), not recorded keys and ids.
    await page.goto(`${baseUrl}/inventory/items/${tube?.id}`);
    const created = page
      .getByTestId('history-panel')
      .locator('[data-testid="history-event"][data-action="create"]');
    await created.filter({ hasText: `${box.humanId} Glycerol stocks` }).waitFor();
    expect(await created.locator('tr[data-key="type_id"] td').allTextContents()).toEqual(['Type', 'tube']);
    expect(await created.textContent()).toContain('Volume (µl)250');
    expect(await created.textContent()).not.toContain('type_id');
    expect(pageErrors).toEqual([]);
  });

  it(
    'reads a move out of a box that was deleted since, and restores the box from its page',
    { timeout: 60_000 },
    async () => {
      const room = await createItem({ type: 'room', name: uniqueName('Room ') });
      const rack = await createItem({ type: 'rack', name: 'Rack 7', parentId: room.id });
      const box = await createItem({ type: 'box 9x9', name: 'Old box', parentId: rack.id });
      const spare = await createItem({ type: 'box 9x9', name: 'Spare box', parentId: rack.id });
      const tube = await createItem({ type: 'tube', name: 'Tube 7', parentId: box.id, slot: 'B3' });
      await call('POST', `/api/items/${tube.id}/move`, { parentId: spare.id, slot: 'C4' });

      // The emptied box is deleted from its page, which turns to the deleted view: where it was, a restore.
      await page.goto(`${baseUrl}/inventory/items/${box.id}`);
      await page.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete item' }).click();
      const banner = page.getByTestId('deleted-banner');
      await banner.waitFor();
      expect(await banner.textContent()).toContain(
        `It was in ${rack.humanId} Rack 7; restoring puts it back there.`,
      );

      // The tube's move reads as one line naming both boxes, the deleted one marked so.
      await page.goto(`${baseUrl}/inventory/items/${tube.id}`);
      const moved = page.getByTestId('history-panel').getByTestId('history-move');
      await moved.filter({ hasText: '(deleted)' }).waitFor();
      expect(await moved.textContent()).toBe(
        `Moved from ${box.humanId} Old box (deleted) (B3) to ${spare.humanId} Spare box (C4)`,
      );

      // The deleted box's page, loaded afresh, shows it deleted with its history, and restores it.
      await moved.getByRole('link', { name: `${box.humanId} Old box` }).click();
      await banner.waitFor();
      const boxHistory = page.getByTestId('history-panel').getByTestId('history-event');
      await boxHistory.nth(1).waitFor();
      const actions = await Promise.all(
        (await boxHistory.all()).map((event) => event.getAttribute('data-action')),
      );
      expect(actions).toEqual(['delete', 'create']);
      await banner.getByRole('button', { name: 'Restore' }).click();
      await banner.waitFor({ state: 'hidden' });
      await page.getByTestId('history-panel').locator('[data-action="restore"]').waitFor();
      expect(pageErrors).toEqual([]);
    },
  );

  it(
    'checks a CSV with a dry run, shows the bad row, and imports it once fixed',
    { timeout: 60_000 },
    async () => {
      const room = await createItem({ type: 'room', name: uniqueName('Cold room ') });
      const rack = await createItem({ type: 'rack', name: 'Import rack', parentId: room.id });
      const boxName = uniqueName('Imported box ');
      const csv = (tubeSlot: string) =>
        [
          'type,name,parent,slot,volume_ul',
          `box 9x9,${boxName},${rack.humanId},,`,
          `tube,Imported tube 1,${boxName},${tubeSlot},20`,
          `tube,Imported tube 2,${boxName},C4,40`,
        ].join('\n');

      await page.goto(`${baseUrl}/inventory`);
      await page.getByRole('link', { name: 'Import CSV' }).click();
      await page.getByRole('heading', { name: 'Import CSV' }).waitFor();
      const input = page.getByRole('textbox', { name: 'CSV' });
      const check = page.getByRole('button', { name: 'Check (dry run)' });
      const importButton = page.getByRole('button', { name: 'Import', exact: true });

      // Slot Z9 is not on a 9×9 box: the dry run names row 3 (the header is row 1) and nothing can be imported.
      await input.fill(csv('Z9'));
      await check.click();
      const errors = page.getByTestId('import-errors');
      await errors.waitFor();
      const badRow = errors.locator('tbody tr');
      expect(await badRow.count()).toBe(1);
      expect(await badRow.getAttribute('data-row')).toBe('3');
      expect(await badRow.textContent()).toContain('Z9');
      expect(await page.getByTestId('import-summary').textContent()).toContain('1 bad row');
      expect(await importButton.isDisabled()).toBe(true);
      await page.screenshot({ path: path.join(RESULTS, 'inventory-import-dry-run.png'), fullPage: true });

      // Fixed, it checks clean; editing the text asked for a new check first.
      await input.fill(csv('B2'));
      expect(await importButton.isDisabled()).toBe(true);
      await check.click();
      await page.getByTestId('import-summary').filter({ hasText: 'all valid' }).waitFor();
      expect(await errors.count()).toBe(0);
      await importButton.click();
      const created = page.getByTestId('import-created');
      await created.waitFor();
      expect(await created.textContent()).toContain('3 items created');
      await page.screenshot({ path: path.join(RESULTS, 'inventory-import.png'), fullPage: true });

      // The server has the box under the rack and the tubes in its slots.
      const boxes = await call<{ items: Item[] }>('GET', `/api/items?parent=${rack.id}`);
      const box = boxes.items.find((item) => item.name === boxName);
      expect(box?.type.name).toBe('box 9x9');
      const children = await call<{ items: Item[] }>('GET', `/api/items/${box?.id}/children`);
      const placed = Object.fromEntries(
        children.items.map((item) => [item.name, [item.slot, item.fields.volume_ul]]),
      );
      expect(placed).toEqual({ 'Imported tube 1': ['B2', 20], 'Imported tube 2': ['C4', 40] });
      expect(pageErrors).toEqual([]);
    },
  );
  /** Whether the page's code `expression` (text: the tests are type-checked without the DOM's types) holds. */
  const holds = (expression: string) => page.evaluate<boolean>(expression);

  it(
    "shows slots of another project's samples as restricted and prints a box's labels in slot order",
    { timeout: 60_000 },
    async () => {
      const room = await createItem({ type: 'room', name: uniqueName('Room ') });
      const box = await createItem({ type: 'box 10x10', name: 'Shared box', parentId: room.id });
      // Made in name order, so that name order (#1, #10, #2) and slot order differ.
      for (const [name, slot] of [
        ['pUC19 #1', 'A1'],
        ['pUC19 #10', 'A10'],
        ['pUC19 #11', 'B1'],
        ['pUC19 #2', 'A2'],
      ] as const) {
        await createItem({ type: 'tube', name, parentId: box.id, slot });
      }
      const stranger = await buildUser(database.db);
      const project = await buildProject(database.db, stranger);
      await inTransaction(database.db, (trx) =>
        createSample(trx, actorOfUser(stranger), {
          projectId: project.id,
          name: 'Not yours',
          type: 'tube',
          parentId: box.id,
          slot: 'C3',
          status: 'stored',
        }),
      );

      await page.goto(`${baseUrl}/inventory?container=${box.id}`);
      const restricted = page.getByTestId('slot-C3');
      await restricted.waitFor();
      expect(await restricted.getAttribute('data-state')).toBe('restricted');
      expect(await restricted.getAttribute('aria-label')).toBe('Slot C3: restricted');
      expect(await restricted.textContent()).toBe('restricted');
      // On one line, hatched rather than the filled slots' colour, and not a button to select.
      const word = await restricted.locator('span').boundingBox();
      expect(word?.height).toBeLessThan(16);
      expect(
        await holds(
          `getComputedStyle(document.querySelector('[data-testid="slot-C3"]')).backgroundImage.includes('repeating-linear-gradient')`,
        ),
      ).toBe(true);
      expect(await restricted.evaluate((el: { tagName: string }) => el.tagName)).toBe('DIV');
      expect(await page.getByTestId('slot-summary').textContent()).toContain('1 restricted');
      await page.screenshot({ path: path.join(RESULTS, 'inventory-restricted.png'), fullPage: true });

      // The labels go out in the order the grid reads: A1, A2, A10, B1.
      const names = new Map(
        (await call<{ items: Item[] }>('GET', `/api/items/${box.id}/children`)).items.map((item) => [
          item.id,
          item.name,
        ]),
      );
      const [request, tab] = await Promise.all([
        page.waitForRequest((candidate) => candidate.url().endsWith('/api/labels')),
        context?.waitForEvent('page'),
        page.getByRole('button', { name: 'Print their labels' }).click(),
      ]);
      const { itemIds } = request.postDataJSON() as { itemIds: string[] };
      expect(itemIds.map((id) => names.get(id))).toEqual(['pUC19 #1', 'pUC19 #2', 'pUC19 #10', 'pUC19 #11']);
      await tab?.close();
      expect(pageErrors).toEqual([]);
    },
  );

  it(
    "brings a filled slot's details into view at 1400×900, and the tree, badge and move dialog say what applies",
    { timeout: 60_000 },
    async () => {
      if (!server || !browser) throw new Error('not started');
      const room = await createItem({ type: 'room', name: uniqueName('Room ') });
      const rack = await createItem({ type: 'rack', name: 'Rack 9', parentId: room.id });
      const box = await createItem({ type: 'box 10x10', name: 'Deep box', parentId: rack.id });
      const tube = await createItem({ type: 'tube', name: 'Bottom tube', parentId: box.id, slot: 'J10' });

      const small = await openSession(browser, server, user, { width: 1400, height: 900 });
      try {
        const view = small.page;
        await view.goto(`${baseUrl}/inventory?container=${room.id}`);
        const tree = view.getByTestId('location-tree');
        const node = (item: Item) => tree.locator(`[data-testid="tree-node"][data-item-id="${item.id}"]`);
        await node(room).click(); // selected already: the click opens it
        await node(rack).click();
        await node(box).click();
        await view.getByTestId('container-name').filter({ hasText: 'Deep box' }).waitFor();

        // The box holds only tubes in slots: it loses its chevron instead of opening onto an empty line.
        await view.waitForFunction(
          `document.querySelector('[data-item-id="${box.id}"]').getAttribute('aria-expanded') === null`,
        );
        expect(await tree.textContent()).not.toContain('No sub-locations');
        expect(await node(box).getByTestId('tree-node-description').textContent()).toBe(
          `box 10x10 · ${box.humanId}`,
        );
        const line = await node(box).getByTestId('tree-node-description').boundingBox();
        expect(line?.height).toBeLessThan(24);
        expect(await view.getByTestId('container-type').textContent()).toBe('box 10x10');

        // J10 is below the fold; its details come into view when it is clicked.
        await view.getByTestId('slot-J10').click();
        await view.getByTestId('selected-slot').waitFor();
        await view.waitForFunction(
          `(() => { const r = document.querySelector('[data-testid="selected-slot"]').getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight; })()`,
        );
        expect(await view.getByTestId('selected-slot').textContent()).toContain(tube.humanId);
        await view.screenshot({ path: path.join(RESULTS, 'inventory-selected-slot.png') });

        // Moving the tube moves just the tube; moving the box moves what is in it too.
        await view.getByTestId('selected-slot').getByRole('button', { name: 'Move…' }).click();
        const summary = view.getByRole('dialog').getByTestId('move-summary');
        await summary.waitFor();
        expect(await summary.textContent()).toBe(`Moving Bottom tube (${tube.humanId}).`);
        await view.keyboard.press('Escape');
        await summary.waitFor({ state: 'hidden' });
        await view.getByTestId('selected-container').getByRole('button', { name: 'Move…' }).first().click();
        await summary.filter({ hasText: 'and everything in it' }).waitFor();
        expect(await summary.textContent()).toBe(`Moving Deep box (${box.humanId}) and everything in it.`);
        expect(small.pageErrors).toEqual([]);
      } finally {
        await small.context.close();
      }
    },
  );

  it('lists the catalogue A–Z as a person reads it', { timeout: 60_000 }, async () => {
    const token = uniqueName('cat');
    for (const name of ['T7 promoter', 'pUC19 #10', 'anti-GFP (rabbit)', 'pUC19 #2', 'Zeocin marker']) {
      await createItem({ type: 'plasmid', name: `${name} ${token}` });
    }
    await page.goto(`${baseUrl}/inventory?tab=catalogue`);
    await page.getByLabel('Search').fill(token);
    const names = page.getByTestId('catalogue-table').locator('tbody tr td:nth-child(2)');
    await names.nth(4).waitFor();
    await page.getByTestId('catalogue-table').locator('tbody tr').nth(5).waitFor({ state: 'detached' });
    expect((await names.allTextContents()).map((name) => name.replace(` ${token}`, ''))).toEqual([
      'anti-GFP (rabbit)',
      'pUC19 #2',
      'pUC19 #10',
      'T7 promoter',
      'Zeocin marker',
    ]);
    expect(pageErrors).toEqual([]);
  });
});
