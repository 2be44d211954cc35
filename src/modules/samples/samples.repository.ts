/**
 * All SQL for samples. A sample's name, type, codes and place are its inventory item's, which this module
 * reaches through the inventory's service (lists name the item ids of a project's samples to it).
 */
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { tablesOf, type Db } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
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

/**
 * The item ids of a project's samples, of one status if given: one range of the project index, gathered
 * into one JSON array by the database (a row per id costs several times more for a project of thousands).
 */
export async function listSampleIds(
  db: Db,
  query: { projectId: string; status?: SampleStatus | undefined },
): Promise<string[]> {
  // PostgreSQL hands json over parsed (null for no rows), SQLite as text ('[]' for no rows).
  const gathered: RawBuilder<string[] | string | null> =
    dialectOf(db) === 'postgres' ? sql`json_agg(item_id)` : sql`json_group_array(item_id)`;
  let select = samplesTables(db)
    .selectFrom('samples')
    .select(gathered.as('ids'))
    .where('project_id', '=', query.projectId);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  const { ids } = await select.executeTakeFirstOrThrow();
  return typeof ids === 'string' ? (JSON.parse(ids) as string[]) : (ids ?? []);
}
