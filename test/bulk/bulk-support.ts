/** Helpers of the bulk tests: CSV bodies through the API, reports, and counting what was written. */
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import type { ImportReport } from '../../src/modules/bulk/import-report.js';
import { countRows } from '../support/inventory-factories.js';
import type { TestApp, TestUser } from '../support/test-app.js';

export interface ImportAnswer {
  status: number;
  /** The report (200/201), or the problem document (422) with the same `errors`. */
  body: ImportReport & { code?: string; detail?: string };
}

/** Posts a CSV body to an import route. */
export async function postCsv(
  t: TestApp,
  user: TestUser,
  url: string,
  csv: string,
  contentType = 'text/csv',
): Promise<ImportAnswer> {
  const response = await t.app.inject({
    method: 'POST',
    url,
    headers: { ...user.headers, 'content-type': contentType },
    payload: csv,
  });
  return { status: response.statusCode, body: response.json() };
}

/** Items and audit events: what a refused import must leave as it was. */
export async function writtenRows(t: TestApp): Promise<number[]> {
  return [await countRows(t, 'items'), await countRows(t, 'audit_events')];
}

/** The live items whose names are given, by name (fails loudly when one is missing). */
export async function itemsNamed(
  t: TestApp,
  user: TestUser,
  names: readonly string[],
): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  for (const name of names) {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/items?q=${encodeURIComponent(name)}&includeHidden=true&limit=500`,
      headers: user.headers,
    });
    const item = response.json<{ items: Item[] }>().items.find((candidate) => candidate.name === name);
    if (item === undefined) throw new Error(`no item named ${name}`);
    found.set(name, item);
  }
  return found;
}

/** Fetches a text export. */
export async function getText(
  t: TestApp,
  user: TestUser,
  url: string,
): Promise<{ status: number; text: string; type: string }> {
  const response = await t.app.inject({ method: 'GET', url, headers: user.headers });
  return { status: response.statusCode, text: response.body, type: String(response.headers['content-type']) };
}
