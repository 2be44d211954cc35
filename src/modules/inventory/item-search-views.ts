/**
 * Items as the search index reads them (the search module sits above the inventory and reaches its data only
 * through here): every text an item can be found by, with what the index filters by — its type, project,
 * hidden flag, barcode and place in the hierarchy. No access check: the index stores who may see each item
 * and every search applies it.
 */
import type { Db } from '../../db/database.js';
import type { FieldKind, FieldValue } from './field-values.js';
import * as repo from './items.repository.js';
import { typesById } from './types.service.js';

export interface SearchableItem {
  id: string;
  itemClass: 'virtual' | 'physical';
  humanId: string;
  name: string;
  description: string;
  typeId: string;
  typeName: string;
  /** The type-specific values with their field's kind (the index keeps the textual ones). */
  fields: { name: string; kind: FieldKind; value: FieldValue }[];
  hidden: boolean;
  barcode: string | null;
  path: string | null;
  projectId: string | null;
  createdAt: string;
  updatedAt: string;
}

async function toSearchable(db: Db, rows: repo.ItemWithTypeRow[]): Promise<SearchableItem[]> {
  const types = await typesById(db, [...new Set(rows.map((row) => row.type_id))]);
  return rows.map((row) => {
    const values = JSON.parse(row.fields) as Record<string, FieldValue>;
    const definitions = types.get(row.type_id)?.fields ?? [];
    return {
      id: row.id,
      itemClass: row.class,
      humanId: row.human_id,
      name: row.name,
      description: row.description,
      typeId: row.type_id,
      typeName: row.type_name,
      fields: Object.entries(values).map(([name, value]) => ({
        name,
        kind: definitions.find((definition) => definition.name === name)?.kind ?? 'text',
        value,
      })),
      hidden: row.hidden === 1,
      barcode: row.barcode,
      path: row.path,
      projectId: row.project_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  });
}

/** These items as the index sees them; deleted and unknown ids are left out (their documents go). */
export async function readSearchableItems(db: Db, ids: readonly string[]): Promise<SearchableItem[]> {
  const rows = (await repo.findItems(db, ids)).filter((row) => row.deleted_at === null);
  return toSearchable(db, rows);
}

/** A page of live items in id order, for rebuilding the index. */
export async function readSearchableItemsInIdOrder(
  db: Db,
  afterId: string | null,
  limit: number,
): Promise<SearchableItem[]> {
  return toSearchable(db, await repo.listLiveItemsWithTypeInIdOrder(db, afterId, limit));
}

/** The live items of a type, a page at a time (its name is part of their documents). */
export function listLiveItemIdsOfType(
  db: Db,
  typeId: string,
  afterId: string | null,
  limit: number,
): Promise<string[]> {
  return repo.listLiveItemIdsOfType(db, typeId, afterId, limit);
}
