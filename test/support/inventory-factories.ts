/**
 * Test factories and HTTP helpers for the inventory: types, boxes and items made through the API as a given
 * user (or, when none is given, by a new user who may make them), each creating the parents it lacks.
 */
import type { InjectOptions } from 'fastify';
import type {
  CreateItem,
  CreateItemType,
  Item,
  ItemType,
} from '../../src/modules/inventory/inventory.schema.js';
import { uniqueName } from './factories.js';
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

/** An item type (physical unless asked otherwise), made by `by` or else by a new staff member. */
export async function buildType(
  t: TestApp,
  overrides: Partial<CreateItemType> & { by?: TestUser } = {},
): Promise<ItemType> {
  const { by, ...input } = overrides;
  const author = by ?? (await t.userWithToken({ role: 'staff' }));
  const response = await callApi<ItemType>(t, author, 'POST', '/api/types', {
    name: uniqueName('type '),
    class: 'physical',
    ...input,
  });
  if (response.status !== 201) throw new Error(`creating a type failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

export interface BoxOverrides extends Partial<CreateItem> {
  /** Who makes the box (a new user when missing). */
  by?: TestUser;
  /** The grid of the box type made when `type` is missing (9×9 unless given). */
  grid?: { rows: number; columns: number };
  /** Puts the box into a new freezer when no `parentId` is given. */
  inLocation?: boolean;
}

/**
 * A box: a container with a grid, of a new box type unless `type` names one, and in a new freezer when asked.
 */
export async function buildBox(t: TestApp, overrides: BoxOverrides = {}): Promise<Item> {
  const { by, grid = { rows: 9, columns: 9 }, inLocation = false, ...input } = overrides;
  const maker = by ?? (await t.userWithToken());
  const type = input.type ?? (await buildType(t, { name: uniqueName('box type '), grid })).name;
  const parentId =
    input.parentId ??
    (inLocation
      ? (await buildItem(t, maker, { type: '-80 freezer', name: uniqueName('Freezer ') })).id
      : null);
  return buildItem(t, maker, { name: uniqueName('Box '), ...input, type, parentId });
}

/** How many rows a table has (to show that refused requests wrote nothing). */
export async function countRows(t: TestApp, table: 'items' | 'audit_events' | 'item_types'): Promise<number> {
  const row = await t.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
