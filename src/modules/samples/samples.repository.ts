/**
 * All SQL for samples. A sample is an inventory item: listings filter and sort on the item's name, type and
 * codes in the same query, so they read `items` (read-only; items are written only by the inventory service).
 */
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import { containsText } from '../../db/text-search.js';
import type { Cursor } from '../../db/paging.js';
import type { SamplesTable, SampleStatus } from './samples.tables.js';

export type SampleRow = Selectable<SamplesTable>;

export interface SampleListRow extends SampleRow {
  human_id: string;
  name: string;
  type_id: string;
  barcode: string | null;
  parent_id: string | null;
  slot: string | null;
  /** The container's human id, name and owning project (null: lab-wide); null when there is none. */
  parent_human_id: string | null;
  parent_name: string | null;
  parent_project_id: string | null;
}

export async function insertSamples(db: Db, rows: SampleRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    await db
      .insertInto('samples')
      .values(rows.slice(start, start + 500))
      .execute();
  }
}

export function findSample(db: Db, itemId: string): Promise<SampleRow | undefined> {
  return db.selectFrom('samples').selectAll().where('item_id', '=', itemId).executeTakeFirst();
}

export function findSamples(db: Db, itemIds: readonly string[]): Promise<SampleRow[]> {
  if (itemIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('samples').selectAll().where('item_id', 'in', itemIds).execute();
}

export async function updateSample(
  db: Db,
  itemId: string,
  changes: Partial<Pick<SampleRow, 'status' | 'collection_date' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('samples').set(changes).where('item_id', '=', itemId).execute();
}

export interface SampleListQuery {
  projectId: string;
  status?: SampleStatus | undefined;
  typeId?: string | undefined;
  q?: string | undefined;
  after: Cursor | null;
  limit: number;
}

/** The types of a project's live samples (which field columns an export of them needs). */
export async function listSampleTypeIds(db: Db, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('samples')
    .innerJoin('items', 'items.id', 'samples.item_id')
    .select('items.type_id')
    .distinct()
    .where('samples.project_id', '=', projectId)
    .where('items.deleted_at', 'is', null)
    .execute();
  return rows.map((row) => row.type_id);
}

/** A project's live samples by name (then id), keyset-paged. */
export function listSamples(db: Db, query: SampleListQuery): Promise<SampleListRow[]> {
  let select = db
    .selectFrom('samples')
    .innerJoin('items', 'items.id', 'samples.item_id')
    .leftJoin('items as parent', 'parent.id', 'items.parent_id')
    .selectAll('samples')
    .select([
      'items.human_id',
      'items.name',
      'items.type_id',
      'items.barcode',
      'items.parent_id',
      'items.slot',
      'parent.human_id as parent_human_id',
      'parent.name as parent_name',
      'parent.project_id as parent_project_id',
    ])
    .where('samples.project_id', '=', query.projectId)
    .where('items.deleted_at', 'is', null);
  if (query.status !== undefined) select = select.where('samples.status', '=', query.status);
  if (query.typeId !== undefined) select = select.where('items.type_id', '=', query.typeId);
  const q = query.q?.trim();
  if (q !== undefined && q !== '') {
    select = select.where(containsText(db, ['items.name', 'items.human_id', 'items.barcode'], q));
  }
  if (query.after !== null) {
    const { value, id } = query.after;
    select = select.where(
      sql<boolean>`(items.name > ${value} or (items.name = ${value} and items.id > ${id}))`,
    );
  }
  return select.orderBy('items.name').orderBy('items.id').limit(query.limit).execute();
}
