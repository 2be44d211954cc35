/** Test factories and HTTP helpers for the inventory: items made through the API as a given user. */
import type { InjectOptions } from 'fastify';
import type { Item } from '../../src/modules/inventory/inventory.schema.js';
import type { TestApp, TestUser } from './test-app.js';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

/** Calls the API as a user and parses the JSON answer (null for an empty body). */
export async function callApi<T = Record<string, unknown>>(
  t: TestApp,
  user: TestUser,
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
): Promise<ApiResponse<T>> {
  const response = await t.app.inject({
    method,
    url,
    headers: user.headers,
    ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
  });
  return { status: response.statusCode, body: (response.body === '' ? null : response.json()) as T };
}

/** Creates an item through the API and fails loudly if that does not work. */
export async function buildItem(
  t: TestApp,
  user: TestUser,
  input: { type: string; name?: string } & Record<string, unknown>,
): Promise<Item> {
  const response = await callApi<Item>(t, user, 'POST', '/api/items', {
    name: `${input.type} item`,
    ...input,
  });
  if (response.status !== 201)
    throw new Error(`creating ${input.type} failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** How many rows a table has (to show that refused requests wrote nothing). */
export async function countRows(t: TestApp, table: 'items' | 'audit_events' | 'item_types'): Promise<number> {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
