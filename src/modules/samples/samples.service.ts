/**
 * Samples (seed: lims-hpc Samples; spec §2). A sample is a physical inventory item owned by a project: its id,
 * name, type, location, barcode and files are the item's (made and moved through the inventory service);
 * this adds the project, the collection date and the lifecycle status. Project permissions apply: members
 * with write access register and change samples, viewers read, non-members see nothing (404).
 */
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/columns.js';
import {
  BulkInvalid,
  DomainError,
  Invalid,
  InvalidTransition,
  NotFound,
  type FieldError,
} from '../../errors/catalogue.js';
import type { Page, PageReader } from '../../db/paging.js';
import type { Actor } from '../accounts/actor.js';
import { recordChange, recordChanges } from '../audit/audit.service.js';
import { listHistory } from '../history/history.service.js';
import { hideUnseenItemReferences, inventoryAuditTypes } from '../inventory/audit-types.js';
import { getPath } from '../inventory/hierarchy.service.js';
import { listFilesOfItems, listItemFiles, type StoredItemFile } from '../inventory/item-files.service.js';
import { createItem, createItemsInBulk, type OwnedCreateItem } from '../inventory/item-creation.service.js';
import { assertItemAccess } from '../inventory/item-access.js';
import { listTypeIdsAmong, openItemsAmong, type ListedItem } from '../inventory/item-listing.service.js';
import {
  findProjectItemsByReference,
  getItem,
  getLiveItems,
  namesOfItems,
  type ItemReference,
} from '../inventory/items.service.js';
import { resolveType } from '../inventory/types.service.js';
import { requireProjectAccess } from '../projects/projects.service.js';
import {
  canTransition,
  initialStatusProblem,
  nextStatuses,
  statusInPlace,
  type SampleStatus,
} from './sample-lifecycle.js';
import * as repo from './samples.repository.js';
import type { Item } from '../inventory/inventory.schema.js';
import type {
  CreateSample,
  ListSamplesQuery,
  Sample,
  SampleDetail,
  SampleListItem,
  UpdateSample,
} from './samples.schema.js';

async function requirePhysicalType(db: Db, ref: string): Promise<void> {
  const type = await resolveType(db, ref);
  if (type.itemClass !== 'physical') {
    throw new Invalid(`${type.name} is a virtual type; a sample is a physical thing`, [
      { field: 'type', message: 'not a physical type' },
    ]);
  }
}

function checkInitialStatus(
  status: SampleStatus,
  parentId: string | null | undefined,
  field = 'status',
): void {
  const problem = initialStatusProblem(status, Boolean(parentId));
  if (problem === null) return;
  throw new Invalid(`The sample is not valid: ${problem}`, [
    { field: status === 'stored' ? 'parentId' : field, message: problem },
  ]);
}

/** The API view of a sample: its record joined with its item (whole, or as a list shows it). */
function toSample(row: repo.SampleRow, item: Item | ListedItem): Sample {
  return {
    id: item.id,
    humanId: item.humanId,
    projectId: row.project_id,
    name: item.name,
    type: item.type,
    collectionDate: row.collection_date,
    status: row.status,
    nextStatuses: [...nextStatuses(row.status)],
    barcode: item.barcode,
    parentId: item.parentId,
    slot: item.slot,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The item a sample is: what the inventory creates for it, owned by the sample's project. */
function itemInputOf(input: CreateSample): OwnedCreateItem {
  return {
    type: input.type,
    name: input.name,
    ...(input.description !== undefined && { description: input.description }),
    ...(input.fields !== undefined && { fields: input.fields }),
    ...(input.parentId !== undefined && { parentId: input.parentId }),
    ...(input.slot !== undefined && { slot: input.slot }),
    ...(input.barcode !== undefined && { barcode: input.barcode }),
    projectId: input.projectId,
  };
}

/**
 * Registers a sample in a project: creates its physical item (owned by the project) and its sample record;
 * registered or received into a grid slot, it is stored.
 */
export async function createSample(trx: Db, actor: Actor, input: CreateSample): Promise<Sample> {
  await requireProjectAccess(trx, actor, input.projectId, 'write');
  await requirePhysicalType(trx, input.type);
  const status = input.status ?? 'registered';
  checkInitialStatus(status, input.parentId);
  const item = await createItem(trx, actor, itemInputOf(input));
  const now = nowIso();
  const row: repo.SampleRow = {
    item_id: item.id,
    project_id: input.projectId,
    collection_date: input.collectionDate ?? null,
    status: statusInPlace(status, item.slot !== null),
    created_at: now,
    updated_at: now,
  };
  await repo.insertSamples(trx, [row]);
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'sample',
    entityId: item.id,
    projectId: input.projectId,
    after: row,
  });
  return toSample(row, item);
}

/**
 * Registers many samples at once (CSV import): checks write access to every project named, then creates all
 * items through the inventory's bulk path and the sample records in batches (those placed in a grid slot
 * stored, as one at a time). All or nothing: a 422 lists problems as `samples.<index>.<field>`.
 */
export async function createSamplesInBulk(
  trx: Db,
  actor: Actor,
  inputs: readonly CreateSample[],
): Promise<{ id: string; humanId: string }[]> {
  const problems: FieldError[] = [];
  for (const projectId of new Set(inputs.map((input) => input.projectId))) {
    await requireProjectAccess(trx, actor, projectId, 'write').catch((error: unknown) => {
      if (!(error instanceof DomainError)) throw error;
      inputs.forEach((input, index) => {
        if (input.projectId === projectId)
          problems.push({ field: `samples.${index}.projectId`, message: error.message });
      });
    });
  }
  inputs.forEach((input, index) => {
    try {
      checkInitialStatus(input.status ?? 'registered', input.parentId, 'status');
    } catch (error) {
      if (error instanceof Invalid)
        problems.push(...error.errors.map((e) => ({ ...e, field: `samples.${index}.${e.field}` })));
      else throw error;
    }
  });
  if (problems.length > 0) {
    throw new BulkInvalid(
      `${problems.length} problems in the samples; nothing was created`,
      problems.slice(0, 200),
    );
  }
  const created = await createItemsInBulk(trx, actor, inputs.map(itemInputOf));
  const now = nowIso();
  const rows: repo.SampleRow[] = inputs.map((input, index) => ({
    item_id: created[index]?.id ?? '',
    project_id: input.projectId,
    collection_date: input.collectionDate ?? null,
    status: statusInPlace(input.status ?? 'registered', Boolean(input.slot?.trim())),
    created_at: now,
    updated_at: now,
  }));
  await repo.insertSamples(trx, rows);
  await recordChanges(
    trx,
    actor,
    rows.map((row) => ({
      action: 'create',
      entityType: 'sample',
      entityId: row.item_id,
      projectId: row.project_id,
      after: row,
    })),
  );
  return created;
}

async function requireSample(
  db: Db,
  actor: Actor,
  id: string,
  access: 'read' | 'write',
): Promise<repo.SampleRow> {
  const row = await repo.findSample(db, id);
  if (!row) throw new NotFound('Sample', id);
  // The inventory's access line: admins see every project's samples, a deleted project's too.
  await assertItemAccess(db, actor, { id, project_id: row.project_id }, access).catch((error: unknown) => {
    throw error instanceof NotFound ? new NotFound('Sample', id) : error;
  });
  return row;
}

/** One sample with its seed fields, the whole item, its location path, files and history. */
export async function getSample(db: Db, actor: Actor, id: string): Promise<SampleDetail> {
  const row = await requireSample(db, actor, id, 'read');
  const item = await getItem(db, actor, id);
  const [location, files, history] = await Promise.all([
    getPath(db, actor, id),
    listItemFiles(db, actor, id),
    listHistory(db, actor, { entityId: id, limit: 100 }, inventoryAuditTypes, hideUnseenItemReferences),
  ]);
  return {
    ...toSample(row, item),
    item,
    location,
    files: files.map((file) => ({
      id: file.id,
      name: file.name,
      contentType: file.contentType,
      size: file.size,
      sha256: file.sha256,
    })),
    history: history.items,
  };
}

/** Changes a sample's status (along the lifecycle) or collection date; needs write access to its project. */
export async function updateSample(
  trx: Db,
  actor: Actor,
  id: string,
  changes: UpdateSample,
): Promise<Sample> {
  const before = await requireSample(trx, actor, id, 'write');
  const item = await getItem(trx, actor, id);
  if (changes.status !== undefined && changes.status !== before.status) {
    if (!canTransition(before.status, changes.status)) {
      throw new InvalidTransition(before.status, changes.status);
    }
    if (changes.status === 'stored' && item.parentId === null) {
      throw new Invalid('A stored sample needs a location: move it into a container first', [
        { field: 'status', message: 'no location' },
      ]);
    }
  }
  const update = {
    ...(changes.status !== undefined && { status: changes.status }),
    ...(changes.collectionDate !== undefined && { collection_date: changes.collectionDate }),
    updated_at: nowIso(),
  };
  await repo.updateSample(trx, id, update);
  const after = { ...before, ...update };
  await recordChange(trx, actor, {
    action: 'update',
    entityType: 'sample',
    entityId: id,
    projectId: before.project_id,
    before,
    after,
  });
  return toSample(after, item);
}

/** The ids of the types a project's live samples have (read access needed). */
export async function listProjectSampleTypeIds(db: Db, actor: Actor, projectId: string): Promise<string[]> {
  await requireProjectAccess(db, actor, projectId, 'read');
  return listTypeIdsAmong(db, await repo.listSampleIds(db, { projectId }));
}

/** A project's samples, filtered by status, type and text, by name, cursor-paged. */
export async function listProjectSamples(
  db: Db,
  actor: Actor,
  projectId: string,
  query: ListSamplesQuery & { limit: number },
): Promise<Page<SampleListItem>> {
  return (await openProjectSamples(db, actor, projectId, query))(query.cursor ?? null);
}

/**
 * `listProjectSamples` for a streamed export: access and the filters are settled here, once. Each page names
 * the project's samples of the status asked for to the inventory, which filters them by type and text, sorts
 * them by name and says where they are (a container that is another project's sample is restricted to that
 * project's members).
 */
export async function openProjectSamples(
  db: Db,
  actor: Actor,
  projectId: string,
  query: Omit<ListSamplesQuery, 'cursor'> & { limit: number },
): Promise<PageReader<SampleListItem>> {
  await requireProjectAccess(db, actor, projectId, 'read');
  const typeId = query.type === undefined ? undefined : (await resolveType(db, query.type)).id;
  const readItems = await openItemsAmong(db, actor, { typeId, q: query.q, limit: query.limit });
  return async (cursor) => {
    const ids = await repo.listSampleIds(db, { projectId, status: query.status });
    const page = await readItems(ids, cursor);
    const rows = await repo.findSamples(
      db,
      page.items.map((item) => item.id),
    );
    const samples = new Map(rows.map((row) => [row.item_id, row]));
    return {
      items: page.items.map((item): SampleListItem => {
        const row = samples.get(item.id);
        if (row === undefined) throw new Error(`sample ${item.id} was listed but has no sample record`);
        return { ...toSample(row, item), parent: item.parent };
      }),
      nextCursor: page.nextCursor,
    };
  };
}

/**
 * After a move put a project's item into a grid slot: a registered or received sample is stored now, audited
 * in the moving transaction (the inventory calls this through AppContext.placedInSlot). Items that are not
 * samples are left alone.
 */
export async function storeSampleMovedIntoSlot(trx: Db, actor: Actor, itemId: string): Promise<void> {
  const before = await repo.findSample(trx, itemId);
  if (before === undefined) return;
  const status = statusInPlace(before.status, true);
  if (status === before.status) return;
  const update = { status, updated_at: nowIso() };
  await repo.updateSample(trx, itemId, update);
  await recordChange(trx, actor, {
    action: 'update',
    entityType: 'sample',
    entityId: itemId,
    projectId: before.project_id,
    before,
    after: { ...before, ...update },
  });
}

/** A sample as an analysis takes it: its project, its name and its files with where they lie in the store. */
export interface SampleToAnalyze {
  id: string;
  projectId: string;
  name: string;
  files: StoredItemFile[];
}

/**
 * The samples an analysis is asked for, in the order given, each checked for write access to its project
 * (asking for an analysis is a change to the sample's project): NotFound naming the first sample the actor may
 * not see or that does not exist, Forbidden for a viewer. A fixed number of queries per project, not per sample.
 */
export async function getSamplesToAnalyze(
  db: Db,
  actor: Actor,
  ids: readonly string[],
): Promise<SampleToAnalyze[]> {
  const rows = new Map((await repo.findSamples(db, ids)).map((row) => [row.item_id, row]));
  const checked = new Set<string>();
  for (const id of ids) {
    const row = rows.get(id);
    if (!row) throw new NotFound('Sample', id);
    if (checked.has(row.project_id)) continue;
    await assertItemAccess(db, actor, { id, project_id: row.project_id }, 'write').catch((error: unknown) => {
      throw error instanceof NotFound ? new NotFound('Sample', id) : error;
    });
    checked.add(row.project_id);
  }
  const [names, files] = await Promise.all([namesOfItems(db, ids), listFilesOfItems(db, ids)]);
  return ids.map((id) => ({
    id,
    projectId: rows.get(id)!.project_id,
    name: names.get(id) ?? id,
    files: files.get(id) ?? [],
  }));
}

/** Samples' names by id, for lists whose rows the reader was already allowed to see (analyses). */
export function namesOfSamples(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  return namesOfItems(db, ids);
}

/** The status and collection date of those of these items that are samples (what the search index shows). */
export async function sampleStatesOf(
  db: Db,
  itemIds: readonly string[],
): Promise<Map<string, { status: SampleStatus; collectionDate: string | null }>> {
  const rows = itemIds.length === 0 ? [] : await repo.findSamples(db, itemIds);
  return new Map(
    rows.map((row) => [row.item_id, { status: row.status, collectionDate: row.collection_date }]),
  );
}

/** Throws the sample's NotFound unless the actor may see it (what lists of a sample's things check first). */
export async function assertSampleVisible(db: Db, actor: Actor, id: string): Promise<void> {
  await requireSample(db, actor, id, 'read');
}

/** A sample as a link shows it. */
export interface SampleLink {
  id: string;
  humanId: string;
  name: string;
}

/** Those of these samples the actor may see, live, in the order given (links on a page the actor may read). */
export async function describeVisibleSamples(
  db: Db,
  actor: Actor,
  ids: readonly string[],
): Promise<SampleLink[]> {
  const items = new Map((await getLiveItems(db, actor, ids)).map((item) => [item.id, item]));
  return ids.flatMap((id) => {
    const item = items.get(id);
    return item === undefined ? [] : [{ id: item.id, humanId: item.humanId, name: item.name }];
  });
}

/** How strongly a reference names an item: an id, a human id or a barcode before a name. */
function matchRank(item: ItemReference, ref: string): number | null {
  if (item.id === ref) return 0;
  if (item.humanId === ref.toUpperCase()) return 1;
  if (item.barcode === ref) return 2;
  if (item.name.toLowerCase() === ref.toLowerCase()) return 3;
  return null;
}

/**
 * The project's live samples that names from outside (a reservation's sample groups) mean: each reference to
 * the one sample it names by id, human id, barcode or name ignoring case, the strongest kind first. A
 * reference two samples answer equally well names neither, and one that names nothing is left out: nothing is
 * guessed. Acting as the system (the record builder); two queries for any number of references.
 */
export async function matchProjectSamples(
  db: Db,
  projectId: string,
  refs: readonly string[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(refs.map((ref) => ref.trim()).filter((ref) => ref !== ''))];
  const items = await findProjectItemsByReference(db, projectId, wanted);
  const samples = new Set(
    (
      await repo.findSamples(
        db,
        items.map((item) => item.id),
      )
    )
      .filter((row) => row.project_id === projectId)
      .map((row) => row.item_id),
  );
  const candidates = items.filter((item) => samples.has(item.id));
  const matched = new Map<string, string>();
  for (const ref of wanted) {
    let best: number | null = null;
    let ids: string[] = [];
    for (const item of candidates) {
      const rank = matchRank(item, ref);
      if (rank === null || (best !== null && rank > best)) continue;
      if (best === null || rank < best) ids = [];
      best = rank;
      ids.push(item.id);
    }
    if (ids.length === 1) matched.set(ref, ids[0]!);
  }
  return matched;
}
