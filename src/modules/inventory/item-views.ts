/**
 * Items as others see them: rows mapped to the API's items (who created and changed them by name, a container
 * the caller may not see given as the restricted stand-in) and to the audit trail's view of an item.
 */
import type { Db } from '../../db/database.js';
import { JsonText } from '../../db/columns.js';
import { summarizeUsers, type UserSummary } from '../accounts/accounts.service.js';
import type { Actor } from '../accounts/actor.js';
import type { FieldValues } from './field-values.js';
import type { Item } from './inventory.schema.js';
import { ProjectAccess, seesEveryProject } from './item-access.js';
import * as repo from './items.repository.js';

export type ItemRowWithTypeName = repo.ItemRow & { type_name: string };

function stamp(at: string, by: string | null, users: Map<string, UserSummary>) {
  return { at, by: by === null ? null : (users.get(by) ?? { id: by, username: '(unknown)' }) };
}

function toItem(
  row: ItemRowWithTypeName,
  users: Map<string, UserSummary>,
  restrictedParents: ReadonlySet<string>,
): Item {
  return {
    id: row.id,
    humanId: row.human_id,
    class: row.class,
    type: { id: row.type_id, name: row.type_name },
    name: row.name,
    description: row.description,
    fields: JSON.parse(row.fields) as FieldValues,
    hidden: row.hidden === 1,
    virtualId: row.virtual_id,
    barcode: row.barcode,
    parentId: row.parent_id !== null && restrictedParents.has(row.parent_id) ? '' : row.parent_id,
    slot: row.slot,
    projectId: row.project_id,
    created: stamp(row.created_at, row.created_by, users),
    updated: stamp(row.updated_at, row.updated_by, users),
    deletedAt: row.deleted_at,
  };
}

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * The containers of these rows that the actor may not see (other projects' samples): their ids are not
 * shown, as a path or a taken slot does not show them. Containers among the rows themselves are known; the
 * others are looked up in one query (none for admins or top-level rows).
 */
async function findRestrictedParents(
  db: Db,
  actor: Actor,
  rows: readonly ItemRowWithTypeName[],
): Promise<ReadonlySet<string>> {
  if (seesEveryProject(actor)) return NO_IDS;
  const owners = new Map(rows.map((row) => [row.id, row.project_id]));
  const unknown = rows.flatMap((row) =>
    row.parent_id === null || owners.has(row.parent_id) ? [] : [row.parent_id],
  );
  if (unknown.length > 0) {
    for (const row of await repo.findProjectOwnedItems(db, unknown)) owners.set(row.id, row.project_id);
  }
  const parents = [...new Set(rows.flatMap((row) => row.parent_id ?? []))].filter(
    (id) => (owners.get(id) ?? null) !== null,
  );
  if (parents.length === 0) return NO_IDS;
  const access = await ProjectAccess.load(
    db,
    actor,
    parents.map((id) => owners.get(id) ?? null),
  );
  return new Set(parents.filter((id) => !access.maySee(owners.get(id) ?? null)));
}

/**
 * Maps rows to API items as the actor may see them, resolving who created and changed them in one (cached)
 * lookup; a container the actor may not see is given as parentId '' (the restricted stand-in).
 */
export async function toItems(db: Db, actor: Actor, rows: readonly ItemRowWithTypeName[]): Promise<Item[]> {
  const users = await summarizeUsers(
    db,
    rows.flatMap((row) => [row.created_by, row.updated_by]).filter((id): id is string => id !== null),
  );
  const restricted = await findRestrictedParents(db, actor, rows);
  return rows.map((row) => toItem(row, users, restricted));
}

/** One row as an API item (see `toItems`). */
export async function toOneItem(db: Db, actor: Actor, row: ItemRowWithTypeName): Promise<Item> {
  const [item] = await toItems(db, actor, [row]);
  return item as Item;
}

/** Nothing in these needs escaping in JSON. */
const PLAIN = /^[\w -]*$/;

/** A string as JSON; ids, human ids and most names and slots are plain and only need their quotes. */
function jsonString(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * The audit view of an item: what describes it, with its field values. The created/updated/deleted stamps
 * are left out (the event itself says who and when) and so are empty values, which keeps the audit rows of a
 * large import small. Made as JSON text around the row's own fields JSON, which is not parsed and written
 * again.
 */
export function auditView(row: repo.ItemRow): JsonText {
  // Written out rather than JSON.stringify of a built object, because an import audits every row (bench/README.md,
  // Decisions). It gives the same JSON: these keys, in this order, absent when empty.
  let json = `{"id":${jsonString(row.id)},"human_id":${jsonString(row.human_id)},"class":${jsonString(row.class)},"type_id":${jsonString(row.type_id)},"name":${jsonString(row.name)}`;
  if (row.description !== '') json += `,"description":${jsonString(row.description)}`;
  if (row.hidden === 1) json += ',"hidden":1';
  if (row.virtual_id !== null) json += `,"virtual_id":${jsonString(row.virtual_id)}`;
  if (row.barcode !== null) json += `,"barcode":${jsonString(row.barcode)}`;
  if (row.parent_id !== null) json += `,"parent_id":${jsonString(row.parent_id)}`;
  if (row.slot !== null) json += `,"slot":${jsonString(row.slot)}`;
  if (row.project_id !== null) json += `,"project_id":${jsonString(row.project_id)}`;
  return new JsonText(`${json},"fields":${row.fields}}`);
}
