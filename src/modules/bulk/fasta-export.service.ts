/**
 * FASTA export of items' sequences: of the items `GET /api/items` would list with the same filters, or of a
 * selection (ids in the caller's order, such as a search's hits). Each sequence value is one entry headed
 * `>HUMAN-ID name`, with a `[field=<name>]` tag when its type has several sequence fields, so that
 * `POST /api/imports/fasta` reads the file back into the same items and fields. Items without a sequence are
 * left out; lines are 60 letters long.
 */
import type { Db } from '../../db/database.js';
import { Invalid } from '../../errors/catalogue.js';
import type { Actor } from '../accounts/actor.js';
import type { Item } from '../inventory/inventory.schema.js';
import { openItemList } from '../inventory/item-lists.service.js';
import { getLiveItems } from '../inventory/items.service.js';
import type { ItemsCsvQuery } from './csv-export.service.js';
import { TypeCatalog, type CatalogType } from './type-catalog.js';

/** Items per page read. */
const PAGE = 500;
/** A selection's ids at most. */
export const MAX_SELECTION = 10_000;
const LINE = 60;

export type ItemsFastaQuery = ItemsCsvQuery & { field?: string | undefined };

async function loadTypesById(db: Db): Promise<Map<string, CatalogType>> {
  return new Map((await TypeCatalog.load(db)).types.map((type) => [type.id, type]));
}

/** The FASTA entries of a page of items, as one text chunk. */
function entriesOf(
  items: readonly Item[],
  types: ReadonlyMap<string, CatalogType>,
  onlyField: string | undefined,
): string {
  let text = '';
  for (const item of items) {
    const type = types.get(item.type.id);
    const sequenceFields = (type?.fields ?? []).filter((field) => field.kind === 'sequence');
    for (const field of sequenceFields) {
      if (onlyField !== undefined && field.name !== onlyField) continue;
      const sequence = item.fields[field.name];
      if (typeof sequence !== 'string' || sequence === '') continue;
      const name = item.name.replace(/\s+/g, ' ').trim();
      const tag = sequenceFields.length > 1 ? ` [field=${field.name}]` : '';
      text += `>${item.humanId} ${name}${tag}\n`;
      for (let start = 0; start < sequence.length; start += LINE) {
        text += `${sequence.slice(start, start + LINE)}\n`;
      }
    }
  }
  return text;
}

/** The sequences of the items `GET /api/items` lists with these filters, as FASTA text chunks. */
export async function exportItemsFasta(
  db: Db,
  actor: Actor,
  query: ItemsFastaQuery,
): Promise<AsyncIterable<string>> {
  const { field, ...filters } = query;
  const types = await loadTypesById(db);
  const readPage = await openItemList(db, actor, { ...filters, limit: PAGE });
  async function* chunks(): AsyncGenerator<string> {
    let cursor: string | null = null;
    do {
      const page = await readPage(cursor);
      yield entriesOf(page.items, types, field);
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
  return chunks();
}

/**
 * The sequences of a selection of items, in the selection's order, as FASTA text chunks; ids the actor may not
 * see, and deleted ones, are left out as if they did not exist.
 */
export async function exportSelectionFasta(
  db: Db,
  actor: Actor,
  ids: readonly string[],
  field?: string,
): Promise<AsyncIterable<string>> {
  if (ids.length > MAX_SELECTION) {
    throw new Invalid(`at most ${MAX_SELECTION.toLocaleString('en')} items can be exported at once`, [
      { field: 'ids', message: `${ids.length} ids` },
    ]);
  }
  const types = await loadTypesById(db);
  async function* chunks(): AsyncGenerator<string> {
    for (let start = 0; start < ids.length; start += PAGE) {
      const wanted = ids.slice(start, start + PAGE);
      const byId = new Map((await getLiveItems(db, actor, wanted)).map((item) => [item.id, item]));
      yield entriesOf(
        wanted.flatMap((id) => byId.get(id) ?? []),
        types,
        field,
      );
    }
  }
  return chunks();
}
