/**
 * Items' sequences as the BLAST upkeep and the sequence search read them (the search module sits above the
 * inventory and reaches its data only through here): the values of sequence fields with their alphabets, and
 * what a hit must be checked against before it is answered — the item is live, whom it belongs to, whether
 * it is hidden, and the sequence it holds now.
 */
import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import type { FieldValue } from './field-values.js';
import { inScope, projectScopeOf } from './item-access.js';
import * as repo from './items.repository.js';
import type { SequenceAlphabet } from './sequence-alphabets.js';
import { toTypeDefinition, typesById, type TypeDefinition } from './types.service.js';
import * as typesRepo from './types.repository.js';

export interface StoredSequence {
  field: string;
  alphabet: SequenceAlphabet;
  /** As stored: upper-case IUPAC codes, no whitespace. */
  sequence: string;
}

export interface SequenceBearingItem {
  id: string;
  humanId: string;
  name: string;
  projectId: string | null;
  hidden: boolean;
  sequences: StoredSequence[];
}

function sequenceFieldsOf(type: TypeDefinition | undefined): Map<string, SequenceAlphabet> {
  const fields = new Map<string, SequenceAlphabet>();
  for (const field of type?.fields ?? []) {
    if (field.kind === 'sequence') fields.set(field.name, field.alphabet ?? 'dna');
  }
  return fields;
}

/** The ids of the types that have a sequence field (few: the check is cheap on every change). */
export async function typesWithSequenceFields(db: Db): Promise<Set<string>> {
  const rows = await typesRepo.listTypes(db, undefined);
  return new Set(
    rows
      .map(toTypeDefinition)
      .filter((type) => sequenceFieldsOf(type).size > 0)
      .map((type) => type.id),
  );
}

/** Which of these items (live or deleted) are of a type with sequence fields. */
export async function itemsOfSequenceTypes(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const types = await typesWithSequenceFields(db);
  if (types.size === 0) return [];
  return (await repo.findTypeIdsOfItems(db, ids))
    .filter((row) => types.has(row.type_id))
    .map((row) => row.id);
}

async function toSequenceBearing(db: Db, rows: repo.ItemWithTypeRow[]): Promise<SequenceBearingItem[]> {
  const types = await typesById(db, [...new Set(rows.map((row) => row.type_id))]);
  return rows.map((row) => {
    const fields = sequenceFieldsOf(types.get(row.type_id));
    const values = JSON.parse(row.fields) as Record<string, FieldValue>;
    const sequences: StoredSequence[] = [];
    for (const [field, alphabet] of fields) {
      const value = values[field];
      if (typeof value === 'string' && value !== '') sequences.push({ field, alphabet, sequence: value });
    }
    return {
      id: row.id,
      humanId: row.human_id,
      name: row.name,
      projectId: row.project_id,
      hidden: row.hidden === 1,
      sequences,
    };
  });
}

/** The live ones of these items with the sequences they hold now; deleted and unknown ids are left out. */
export async function readItemSequences(db: Db, ids: readonly string[]): Promise<SequenceBearingItem[]> {
  if (ids.length === 0) return [];
  const rows = (await repo.findItems(db, ids)).filter((row) => row.deleted_at === null);
  return toSequenceBearing(db, rows);
}

/** Every live item with sequence fields, a page at a time (rebuilding the BLAST databases). */
export async function* everyItemSequence(db: Db, pageSize = 1000): AsyncGenerator<SequenceBearingItem[]> {
  for (const typeId of await typesWithSequenceFields(db)) {
    for (let afterId: string | null = null; ;) {
      const ids = await repo.listLiveItemIdsOfType(db, typeId, afterId, pageSize);
      if (ids.length === 0) break;
      yield await readItemSequences(db, ids);
      afterId = ids[ids.length - 1] ?? null;
    }
  }
}

/** How many live items have sequence fields (what a rebuild expects to read). */
export async function countItemsOfSequenceTypes(db: Db): Promise<number> {
  let count = 0;
  for (const typeId of await typesWithSequenceFields(db))
    count += await repo.countLiveItemsOfType(db, typeId);
  return count;
}

/**
 * Of these items, the ones the actor may see where sequence search answers: live, not hidden, and lab-wide
 * or of a project the actor is a member of (admins: any) — the line items follow everywhere.
 */
export async function readVisibleItemSequences(
  db: Db,
  actor: Actor,
  ids: readonly string[],
): Promise<SequenceBearingItem[]> {
  const items = await readItemSequences(db, ids);
  if (items.length === 0) return [];
  const scope = await projectScopeOf(db, actor);
  return items.filter((item) => !item.hidden && inScope(scope, item.projectId));
}
