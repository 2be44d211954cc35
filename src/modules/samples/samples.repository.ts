/**
 * All SQL for samples. A sample's name, type, codes and place are its inventory item's, which this module
 * reaches through the inventory's service (lists name the item ids of a project's samples to it).
 */
import type { Selectable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import type { SamplesTable, SamplesTables, SampleStatus } from './samples.tables.js';

/** The handle with the samples module's tables only. */
const samplesTables = (db: Db) => tablesOf<SamplesTables>(db);

export type SampleRow = Selectable<SamplesTable>;

export async function insertSamples(db: Db, rows: SampleRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    await samplesTables(db)
      .insertInto('samples')
      .values(rows.slice(start, start + 500))
      .execute();
  }
}

export function findSample(db: Db, itemId: string): Promise<SampleRow | undefined> {
  return samplesTables(db).selectFrom('samples').selectAll().where('item_id', '=', itemId).executeTakeFirst();
}

export function findSamples(db: Db, itemIds: readonly string[]): Promise<SampleRow[]> {
  if (itemIds.length === 0) return Promise.resolve([]);
  return samplesTables(db).selectFrom('samples').selectAll().where('item_id', 'in', itemIds).execute();
}

export async function updateSample(
  db: Db,
  itemId: string,
  changes: Partial<Pick<SampleRow, 'status' | 'collection_date' | 'updated_at'>>,
): Promise<void> {
  await samplesTables(db).updateTable('samples').set(changes).where('item_id', '=', itemId).execute();
}

/** The item ids of a project's samples, of one status if given (one range of the project index). */
export async function listSampleIds(
  db: Db,
  query: { projectId: string; status?: SampleStatus | undefined },
): Promise<string[]> {
  let select = samplesTables(db)
    .selectFrom('samples')
    .select('item_id')
    .where('project_id', '=', query.projectId);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  const rows = await select.execute();
  return rows.map((row) => row.item_id);
}
