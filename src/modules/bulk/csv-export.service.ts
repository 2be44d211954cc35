/**
 * CSV export of any item list, of a project's samples and of a location's whole subtree, streamed a page at a
 * time (keyset pages of the inventory and samples services; memory stays bounded however large the list).
 * The columns are the ones the CSV import reads, so an export imports again into an empty database: rows name
 * themselves by `humanId` and `id` and their parent and virtual by human id; types by name; one column per
 * field of the types exported; samples also give their project (by id), collection date and status. A subtree
 * export writes its root at the top level (its place is in the `path` column) so that it imports on its own.
 */
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import type { FieldValues } from '../inventory/field-values.js';
import { findPaths, getPath, openDescendants } from '../inventory/hierarchy.service.js';
import type { Item, ListItemsQuery, PathEntry } from '../inventory/inventory.schema.js';
import type { ItemClass } from '../inventory/inventory.schema.js';
import { RESTRICTED } from '../inventory/item-access.js';
import { openItemList } from '../inventory/item-lists.service.js';
import { findItemsByReference, getItem, getLiveItems } from '../inventory/items.service.js';
import { resolveType } from '../inventory/types.service.js';
import type { ListSamplesQuery } from '../samples/samples.schema.js';
import { listProjectSampleTypeIds, openProjectSamples } from '../samples/samples.service.js';
import { formatCell, spreadsheetSafe } from './cell-values.js';
import { fieldHeader, normalizeHeader } from './csv-columns.js';
import { TypeCatalog, type CatalogType } from './type-catalog.js';

const PAGE = 500;
/** Container paths kept for the subtree export; beyond this the oldest are dropped and asked for again. */
const MAX_CACHED_PATHS = 50_000;

interface FieldColumn {
  header: string;
  name: string;
}

/**
 * The parent cell: the container's human id, or the restricted stand-in for one the actor may not see
 * (parentId '': another project's sample), which an import refuses rather than putting the row elsewhere.
 */
function parentCell(item: Item, references: ReadonlyMap<string, string>): string {
  if (item.parentId === null) return '';
  if (item.parentId === '') return RESTRICTED;
  return references.get(item.parentId) ?? item.parentId;
}

/** One column per field name of the given types (a field shared by several types is one column). */
function fieldColumns(types: readonly CatalogType[]): FieldColumn[] {
  const names: string[] = [];
  for (const type of [...types].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const field of type.fields) if (!names.includes(field.name)) names.push(field.name);
  }
  return names.map((name) => {
    const clashes = names.some((other) => other !== name && normalizeHeader(other) === normalizeHeader(name));
    return { name, header: clashes ? `fields.${name}` : fieldHeader(name) };
  });
}

function typesFor(catalog: TypeCatalog, filter: { typeId?: string; itemClass?: ItemClass }): CatalogType[] {
  return catalog.types.filter(
    (type) =>
      (filter.typeId === undefined || type.id === filter.typeId) &&
      (filter.itemClass === undefined || type.itemClass === filter.itemClass),
  );
}

/** Type id → the names of its fields: which field columns a row of the type fills. */
function fieldNamesByType(types: readonly CatalogType[]): Map<string, Set<string>> {
  return new Map(types.map((type) => [type.id, new Set(type.fields.map((field) => field.name))]));
}

/** Human ids of the parents and virtuals of a page, in one lookup. */
async function humanIdsOf(db: Db, actor: Actor, items: readonly Item[]): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      items.flatMap((item) => [item.parentId ?? '', item.virtualId ?? ''].filter((id) => id !== '')),
    ),
  ];
  const found = await findItemsByReference(db, actor, ids);
  return new Map(found.map((item) => [item.id, item.humanId]));
}

function itemCells(
  item: Item,
  references: ReadonlyMap<string, string>,
  fields: readonly FieldColumn[],
  typeFields: ReadonlySet<string>,
  place: { parent: string; path?: string },
): string[] {
  const values: FieldValues = item.fields;
  const physical = item.class === 'physical';
  const reference = (id: string | null) => (id === null ? '' : (references.get(id) ?? id));
  const cells = [
    item.humanId,
    item.id,
    item.type.name,
    item.name,
    item.description,
    item.barcode ?? '',
    ...(place.path === undefined ? [] : [place.path]),
    place.parent,
    item.slot ?? '',
    reference(item.virtualId),
    physical ? String(item.hidden) : '',
    item.created.at,
    item.created.by?.username ?? '',
    item.updated.at,
    item.updated.by?.username ?? '',
    ...fields.map((field) => (typeFields.has(field.name) ? formatCell(values[field.name]) : '')),
  ];
  return cells.map(spreadsheetSafe);
}

function headerRow(fields: readonly FieldColumn[], withPath: boolean): string[] {
  return [
    'humanId',
    'id',
    'type',
    'name',
    'description',
    'barcode',
    ...(withPath ? ['path'] : []),
    'parent',
    'slot',
    'virtual',
    'hidden',
    'createdAt',
    'createdBy',
    'updatedAt',
    'updatedBy',
    ...fields.map((field) => field.header),
  ];
}

export type ItemsCsvQuery = Omit<ListItemsQuery, 'limit' | 'cursor' | 'deleted'>;

/**
 * The items `GET /api/items` would list with the same filters, as CSV text chunks (a page each). The filters
 * are checked before the first chunk, so a bad one is a 422 rather than a broken download.
 */
export async function exportItemsCsv(
  db: Db,
  actor: Actor,
  query: ItemsCsvQuery,
): Promise<AsyncIterable<string>> {
  const catalog = await TypeCatalog.load(db);
  const typeId = query.type === undefined ? undefined : (await resolveType(db, query.type)).id;
  const types = typesFor(catalog, {
    ...(typeId !== undefined && { typeId }),
    ...(query.class !== undefined && { itemClass: query.class }),
  });
  const fields = fieldColumns(types);
  const fieldsOfType = fieldNamesByType(types);
  const readPage = await openItemList(db, actor, { ...query, limit: PAGE });
  async function* chunks(): AsyncGenerator<string> {
    yield stringify([headerRow(fields, false)]);
    let cursor: string | null = null;
    do {
      const page = await readPage(cursor);
      const references = await humanIdsOf(db, actor, page.items);
      yield stringify(
        page.items.map((item) =>
          itemCells(item, references, fields, fieldsOfType.get(item.type.id) ?? new Set(), {
            parent: parentCell(item, references),
          }),
        ),
      );
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
  return chunks();
}

export type SamplesCsvQuery = Omit<ListSamplesQuery, 'limit' | 'cursor'>;

/**
 * A project's samples as `GET /api/projects/:id/samples` lists them with the same filters, as CSV text chunks
 * that `POST /api/imports/samples` reads again: the item columns, then project, collection date and status.
 * Access (404/403) and the type filter (422) are checked before the first chunk.
 */
export async function exportSamplesCsv(
  db: Db,
  actor: Actor,
  projectId: string,
  query: SamplesCsvQuery,
): Promise<AsyncIterable<string>> {
  const readPage = await openProjectSamples(db, actor, projectId, { ...query, limit: PAGE });
  const catalog = await TypeCatalog.load(db);
  // Field columns for the types the project's samples have (not every physical type's fields).
  const present = new Set(await listProjectSampleTypeIds(db, actor, projectId));
  const typeId = query.type === undefined ? undefined : (await resolveType(db, query.type)).id;
  const types = catalog.types.filter(
    (type) => present.has(type.id) && (typeId === undefined || type.id === typeId),
  );
  const fields = fieldColumns(types);
  const fieldsOfType = fieldNamesByType(types);
  async function* chunks(): AsyncGenerator<string> {
    yield stringify([[...headerRow(fields, false), 'project', 'collectionDate', 'status']]);
    let page = await readPage(null);
    for (;;) {
      const live = await getLiveItems(
        db,
        actor,
        page.items.map((sample) => sample.id),
      );
      const items = new Map(live.map((item) => [item.id, item]));
      const references = await humanIdsOf(db, actor, live);
      const rows: string[][] = [];
      for (const sample of page.items) {
        const item = items.get(sample.id);
        if (item === undefined) continue; // deleted since the page was read
        rows.push([
          ...itemCells(item, references, fields, fieldsOfType.get(item.type.id) ?? new Set(), {
            parent: parentCell(item, references),
          }),
          ...[sample.projectId, sample.collectionDate ?? '', sample.status].map(spreadsheetSafe),
        ]);
      }
      yield stringify(rows);
      if (page.nextCursor === null) return;
      page = await readPage(page.nextCursor);
    }
  }
  return chunks();
}

/**
 * A physical and everything inside it (hidden items on request), in tree order, as CSV text chunks with a
 * `path` column (`Room 101 / -80 freezer A / Rack 3 / Box 12`: where the row's item sits) and its slot. The
 * root is checked before the first chunk (404, or 422 for a virtual); nothing after it can fail on access.
 * Items the actor may not see (other projects' samples) are left out; where one is a container of rows
 * that are exported, the path and parent cells say `(restricted)` for it.
 */
export async function exportSubtreeCsv(
  db: Db,
  actor: Actor,
  rootId: string,
  options: { includeHidden?: boolean | undefined } = {},
): Promise<AsyncIterable<string>> {
  const rootPath = await getPath(db, actor, rootId);
  const root = await getItem(db, actor, rootId);
  const readPage = await openDescendants(db, actor, rootId, {
    limit: PAGE,
    includeHidden: options.includeHidden ?? false,
  });
  const catalog = await TypeCatalog.load(db);
  const types = typesFor(catalog, { itemClass: 'physical' });
  const fields = fieldColumns(types);
  const fieldsOfType = fieldNamesByType(types);
  /** Container id → the path through it (its ancestors' names and its own). */
  const paths = new Map<string, string>();
  const remember = (id: string, path: string) => {
    if (paths.size >= MAX_CACHED_PATHS) paths.delete(paths.keys().next().value as string);
    paths.set(id, path);
  };
  /** Where an item sits, from its path (root → … → the item). */
  const placeIn = (path: readonly PathEntry[] | undefined) =>
    (path ?? [])
      .slice(0, -1)
      .map((entry) => entry.name)
      .join(' / ');
  const rootPlace = rootPath
    .slice(0, -1)
    .map((entry) => entry.name)
    .join(' / ');
  remember(root.id, rootPlace === '' ? root.name : `${rootPlace} / ${root.name}`);

  async function* chunks(): AsyncGenerator<string> {
    yield stringify([headerRow(fields, true)]);
    const rootReferences = await humanIdsOf(db, actor, [root]);
    yield stringify([
      itemCells(root, rootReferences, fields, fieldsOfType.get(root.type.id) ?? new Set(), {
        parent: '',
        path: rootPlace,
      }),
    ]);
    let cursor: string | null = null;
    do {
      const page = await readPage(cursor);
      const references = await humanIdsOf(db, actor, page.items);
      // Containers not met before (a restricted one, a hidden one left out, one from long ago): the paths
      // of the items inside them, in one query for the page.
      const earlier = new Set<string>();
      const unplaced: string[] = [];
      for (const item of page.items) {
        if (item.parentId !== null && !paths.has(item.parentId) && !earlier.has(item.parentId))
          unplaced.push(item.id);
        earlier.add(item.id);
      }
      const looked =
        unplaced.length === 0 ? new Map<string, PathEntry[]>() : await findPaths(db, actor, unplaced);
      const rows: string[][] = [];
      for (const item of page.items) {
        let place = '';
        if (item.parentId !== null)
          place =
            paths.get(item.parentId) ??
            placeIn(looked.get(item.id) ?? (await findPaths(db, actor, [item.id])).get(item.id));
        remember(item.id, place === '' ? item.name : `${place} / ${item.name}`);
        rows.push(
          itemCells(item, references, fields, fieldsOfType.get(item.type.id) ?? new Set(), {
            parent: parentCell(item, references),
            path: place,
          }),
        );
      }
      yield stringify(rows);
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
  return chunks();
}
