/**
 * bionet JSON export (seed: bionet bioDB entries): every live item (administrators: it holds every project's
 * samples) or one subtree, as `{key, value}` entries (bionet-entry.ts) in key order, streamed as a JSON array,
 * so that export → an administrator's import into an empty database → export gives the same entries.
 */
import type { Db } from '../../db/database.js';
import { Forbidden } from '../../errors/catalogue.js';
import type { PageReader } from '../../db/paging.js';
import type { Actor } from '../accounts/actor.js';
import type { FieldValue } from '../inventory/field-values.js';
import { getPath, openDescendants } from '../inventory/hierarchy.service.js';
import type { Item } from '../inventory/inventory.schema.js';
import { seesEveryProject } from '../inventory/item-access.js';
import { getItem, getLiveItems, listLiveItemsInIdOrder } from '../inventory/items.service.js';
import { listStoredFilesOfItems } from '../inventory/item-files.service.js';
import { RESERVED_KEYS, type BionetEntry, type BionetFile, type BionetStamp } from './bionet-entry.js';

const PAGE = 500;

function toStamp(stamp: Item['created']): BionetStamp {
  return { at: Date.parse(stamp.at) / 1000, by: stamp.by?.id ?? null };
}

/** An item as a bionet bioDB entry. */
export function toBionetEntry(item: Item, files: readonly BionetFile[] = []): BionetEntry {
  const fields: Record<string, FieldValue> = {};
  const clashing: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(item.fields)) {
    if (RESERVED_KEYS.has(name)) clashing[name] = value;
    else fields[name] = value;
  }
  const place =
    item.class === 'virtual'
      ? { canHavePhysicals: true }
      : {
          hidden: item.hidden,
          virtual_id: item.virtualId,
          barcode: item.barcode,
          parent_id: item.parentId,
          locationInParent: item.slot === null ? {} : { slot: item.slot },
        };
  return {
    key: item.id,
    value: {
      id: item.id,
      type: item.type.name,
      name: item.name,
      description: item.description,
      ...place,
      files: [...files],
      ...fields,
      ...(Object.keys(clashing).length > 0 && { fields: clashing }),
      created: toStamp(item.created),
      updated: toStamp(item.updated),
    },
  };
}

async function* asJsonArray(entries: AsyncIterable<BionetEntry>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const entry of entries) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(entry)}`;
    first = false;
  }
  yield '\n]\n';
}

/** A page of items as entries, with their files in one lookup. */
async function entriesOf(db: Db, items: readonly Item[]): Promise<BionetEntry[]> {
  const files = await listStoredFilesOfItems(
    db,
    items.map((item) => item.id),
  );
  return items.map((item) =>
    toBionetEntry(
      item,
      (files.get(item.id) ?? []).map((file) => ({
        fileName: file.storageName,
        fileType: file.contentType,
        name: file.name,
      })),
    ),
  );
}

async function* allEntries(db: Db, actor: Actor): AsyncGenerator<BionetEntry> {
  let afterId: string | null = null;
  for (;;) {
    const page = await listLiveItemsInIdOrder(db, actor, { afterId, limit: PAGE });
    yield* await entriesOf(db, page);
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE) return;
    afterId = last.id;
  }
}

async function* subtreeEntries(
  db: Db,
  actor: Actor,
  root: Item,
  readPage: PageReader<Item>,
): AsyncGenerator<BionetEntry> {
  const virtualIds = new Set<string>();
  const noteVirtuals = (items: readonly Item[]) => {
    for (const item of items) if (item.virtualId !== null) virtualIds.add(item.virtualId);
    return items;
  };
  yield* await entriesOf(db, noteVirtuals([root]));
  let cursor: string | null = null;
  do {
    const page = await readPage(cursor);
    yield* await entriesOf(db, noteVirtuals(page.items));
    cursor = page.nextCursor;
  } while (cursor !== null);
  const ids = [...virtualIds].sort();
  for (let start = 0; start < ids.length; start += PAGE) {
    const items = await getLiveItems(db, actor, ids.slice(start, start + PAGE));
    yield* await entriesOf(
      db,
      items.sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  }
}

/**
 * Every live item (hidden ones too) in key order, or the subtree of `root` (the root, what it holds in tree
 * order, then the virtuals they are instances of), as a JSON array streamed in text chunks. The root is
 * checked before the first chunk, and nothing after it can fail on access; items the actor may not see are
 * left out, and an item inside a container they may not see has `parent_id` '' (restricted).
 */
export async function exportBionet(
  db: Db,
  actor: Actor,
  options: { root?: string | undefined },
): Promise<AsyncIterable<string>> {
  if (options.root === undefined) {
    // The whole inventory includes every project's samples: only for those who see every project.
    if (!seesEveryProject(actor))
      throw new Forbidden('Only administrators export the whole inventory; export a location with ?root=');
    return asJsonArray(allEntries(db, actor));
  }
  await getPath(db, actor, options.root);
  const root = await getItem(db, actor, options.root);
  const readPage = await openDescendants(db, actor, root.id, { limit: PAGE, includeHidden: true });
  return asJsonArray(subtreeEntries(db, actor, root, readPage));
}
