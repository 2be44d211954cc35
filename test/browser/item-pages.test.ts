/**
 * An item's and a sample's page in a real browser against a real server: a plasmid's long sequence stays in
 * its card, folded, and its page lists its tubes with where each one is; a file attached to a tube shows in
 * the tube's history; a sample is offered the statuses the server says may follow; a missing item, sample or
 * project shows the same not-found page.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/modules/accounts/accounts.schema.js';
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import { launchChromium, serveWebApp, skipBrowserTests, type WebServer } from '../support/browser.js';
import { openSession, type BrowserSession } from '../support/browser-session.js';
import { buildUser, uniqueName } from '../support/factories.js';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');

/** A made-up sequence of `length` bases, without spaces (nowhere to break it but anywhere). */
function sequenceOf(length: number): string {
  return Array.from({ length }, (_, i) => 'ACGT'[(i * 7 + (i >> 3)) % 4]).join('');
}

async function boxOf(page: Page, testId: string) {
  const box = await page.getByTestId(testId).first().boundingBox();
  if (box === null) throw new Error(`${testId} is not visible`);
  return box;
}

describe.skipIf(skipBrowserTests)('item pages', () => {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  let session: BrowserSession | undefined;
  let page: Page;
  let user: User;
  let baseUrl: string;
  const createItem = (input: Record<string, unknown>) => {
    if (!session) throw new Error('no session');
    return session.call<Item>('POST', '/api/items', input);
  };

  beforeAll(async () => {
    server = await serveWebApp();
    baseUrl = server.baseUrl;
    user = await buildUser(server.database.db, { displayName: 'Barbara McClintock' });
    browser = await launchChromium();
    session = await openSession(browser, server, user);
    page = session.page;
  });

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await server?.close();
  });

  it(
    "folds a long sequence inside its card and lists the plasmid's tubes with where they are",
    { timeout: 60_000 },
    async () => {
      const sequence = sequenceOf(4000);
      const plasmid = await createItem({
        type: 'plasmid',
        name: uniqueName('pCairn-EGFP '),
        fields: { sequence, backbone: 'pUC19', resistance: 'ampicillin' },
      });
      const room = await createItem({ type: 'room', name: 'Lab 2.14' });
      const freezer = await createItem({ type: '-80 freezer', name: 'Freezer A', parentId: room.id });
      const box = await createItem({ type: 'box 10x10', name: 'Box 1-1', parentId: freezer.id });
      const tube = (name: string, place: Record<string, unknown>) =>
        createItem({ type: 'tube', name, virtualId: plasmid.id, ...place });
      const tube10 = await tube('miniprep #10', { parentId: box.id, slot: 'A10' });
      const tube2 = await tube('miniprep #2', { parentId: box.id, slot: 'A2' });
      const loose = await tube('Miniprep #3', {});

      await page.goto(`${baseUrl}/inventory/items/${plasmid.id}`);
      const folded = page.getByTestId('long-field-value');
      await folded.waitFor();

      // The sequence takes the card's width and no more, folded to a few lines; its neighbours sit below it.
      const card = await boxOf(page, 'item-details');
      const value = await boxOf(page, 'long-field-value');
      expect(value.x).toBeGreaterThanOrEqual(card.x);
      expect(value.x + value.width).toBeLessThanOrEqual(card.x + card.width);
      expect(value.height).toBeLessThan(200);
      const backbone = page.getByTestId('item-details').getByText('pUC19', { exact: true });
      const backboneBox = await backbone.boundingBox();
      expect(backboneBox?.y).toBeGreaterThan(value.y + value.height);
      const details = page.getByTestId('item-details');
      const fits = await details.evaluate(
        (el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth <= el.clientWidth,
      );
      expect(fits).toBe(true);

      // "Show all" unfolds the whole sequence, still within the card.
      await folded.getByRole('button', { name: 'Show all (4,000 characters)' }).click();
      await folded.getByRole('button', { name: 'Show less' }).waitFor();
      // Polled through the element itself: a predicate given as text is evaluated, which the page's CSP refuses.
      await expect
        .poll(() =>
          page.getByTestId('long-field-value').evaluate((el: { clientHeight: number }) => el.clientHeight),
        )
        .toBeGreaterThan(400);
      const unfolded = await boxOf(page, 'long-field-value');
      expect(unfolded.x + unfolded.width).toBeLessThanOrEqual(card.x + card.width);

      // The tubes, in the order a person reads their names, each with its box's path and its slot.
      const panel = page.getByTestId('instances-panel');
      const rows = panel.getByTestId('instance');
      await rows.nth(2).waitFor();
      const ids = await Promise.all((await rows.all()).map((row) => row.getAttribute('data-item-id')));
      expect(ids).toEqual([tube2.id, loose.id, tube10.id]);
      const where = panel.getByTestId('instance-location');
      await where.first().filter({ hasText: 'Box 1-1' }).waitFor();
      expect(await where.allTextContents()).toEqual([
        'Lab 2.14/Freezer A/Box 1-1A2',
        'Top level',
        'Lab 2.14/Freezer A/Box 1-1A10',
      ]);
      fs.mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: path.join(RESULTS, 'item-page-plasmid.png'), fullPage: true });

      // One click from the plasmid to where a tube is.
      await where.first().getByRole('link', { name: 'Box 1-1' }).click();
      await page.getByTestId('item-name').filter({ hasText: 'Box 1-1' }).waitFor();
      expect(session?.pageErrors).toEqual([]);
    },
  );

  it("shows a file attached to a tube in the tube's history", { timeout: 60_000 }, async () => {
    const tube = await createItem({ type: 'tube', name: uniqueName('Tube ') });
    await page.goto(`${baseUrl}/inventory/items/${tube.id}`);
    const files = page.getByTestId('files-panel');
    await files.locator('input[type="file"]').setInputFiles({
      name: 'foo.fasta',
      mimeType: 'text/plain',
      buffer: Buffer.from(`>foo\n${sequenceOf(12 * 1024 - 5)}`),
    });
    await files.getByRole('button', { name: 'Upload' }).click();
    await files.getByRole('link', { name: 'foo.fasta' }).waitFor();

    const attached = page.getByTestId('history-panel').getByTestId('history-attach');
    await attached.waitFor();
    expect(await attached.textContent()).toBe('Attached file foo.fasta (12 kB)');
    const events = page.getByTestId('history-panel').getByTestId('history-event');
    const actions = await Promise.all((await events.all()).map((event) => event.getAttribute('data-action')));
    expect(actions).toEqual(['attach', 'create']);
    expect(await attached.getByRole('link', { name: 'foo.fasta' }).getAttribute('href')).toMatch(
      /^\/api\/files\//,
    );
    expect(session?.pageErrors).toEqual([]);
  });

  it(
    "offers a sample the statuses its lifecycle allows next (the server's nextStatuses) and changes it",
    { timeout: 60_000 },
    async () => {
      if (!session) throw new Error('no session');
      const project = await session.call<{ id: string }>('POST', '/api/projects', {
        name: uniqueName('Soil survey '),
      });
      const sample = await session.call<{ id: string }>('POST', '/api/samples', {
        projectId: project.id,
        name: 'Riverbank core 1',
        type: 'tube',
      });
      await page.goto(`${baseUrl}/samples/${sample.id}`);
      const lifecycle = page.getByTestId('sample-lifecycle');
      await lifecycle.getByTestId('sample-status').filter({ hasText: 'Registered' }).waitFor();

      // A registered sample may be received or disposed of, nothing else.
      const change = lifecycle.getByRole('textbox', { name: 'Change status to' });
      await change.click();
      const offered = await page.getByRole('option').allTextContents();
      expect(offered).toEqual(['Received', 'Disposed']);
      await page.getByRole('option', { name: 'Received' }).click();
      await lifecycle.getByTestId('sample-status').filter({ hasText: 'Received' }).waitFor();
      expect(session.pageErrors).toEqual([]);
    },
  );

  it('shows the same not-found page for a missing item, sample and project', async () => {
    const notFoundOf = async (address: string) => {
      await page.goto(`${baseUrl}${address}`);
      const notFound = page.getByTestId('not-found');
      await notFound.waitFor();
      return notFound.innerText();
    };
    const item = await notFoundOf(`/inventory/items/p-${randomUUID()}`);
    expect(item).toContain('Not found');
    expect(await notFoundOf(`/samples/${randomUUID()}`)).toBe(item);
    expect(await notFoundOf(`/projects/${randomUUID()}`)).toBe(item);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(session?.pageErrors).toEqual([]);
  });
});
