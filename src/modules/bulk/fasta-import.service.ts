/**
 * FASTA import: creates or updates many items' sequences at once. An entry whose id names an item the
 * importer may see (its id, human id, barcode, or else its name) updates that item's sequence field; any other
 * entry creates an item of the import's type, named by the id and described by the rest of the header. The
 * field is the one a header names with `[field=<name>]` (as exports write it for types with several sequence
 * fields), else the import's `field`, else the type's only sequence field. Every entry is checked before
 * anything is written: a dry run reports every bad entry, a real import with one is refused (422) with the same
 * report, and a clean one writes everything in the caller's transaction, all or nothing.
 */
import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import type { FieldDefinition } from '../inventory/field-values.js';
import { ProjectAccess } from '../inventory/item-access.js';
import { insertCheckedItems } from '../inventory/item-creation.service.js';
import { updateItem } from '../inventory/item-changes.service.js';
import { checkItems, type ItemCandidate } from '../inventory/item-rules.js';
import { findItemsByReference, getLiveItems, type ItemReference } from '../inventory/items.service.js';
import { normalizeSequence } from '../inventory/sequence-alphabets.js';
import { resolveType, resolveTypes, type TypeDefinition } from '../inventory/types.service.js';
import { betweenSteps } from './csv-import.service.js';
import type { FastaEntry, FastaFile } from './fasta-reader.js';
import type { ImportProgress } from './import-context.js';
import {
  ImportRejected,
  MAX_LISTED_ITEMS,
  problemReport,
  ProblemList,
  WarningList,
  type ImportReport,
} from './import-report.js';

export interface FastaImportOptions {
  dryRun: boolean;
  /** The type (id or name) of the items that entries naming no existing item create. */
  type?: string | undefined;
  /** The sequence field to fill, when a type has several and the headers do not say. */
  field?: string | undefined;
  /** Where new physical items go (an item id or human id). */
  parent?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
}

const FIELD_TAG = /\s*\[field=([a-z][a-z0-9_]*)\]\s*/;

/** Items written per step between progress reports (each update is its own few statements). */
const UPDATE_STEP = 200;

interface PlannedEntry {
  entry: FastaEntry;
  /** The header's description without its `[field=…]` tag. */
  description: string;
  field: string;
  sequence: string;
  /** The item it updates, or null when it creates one. */
  target: ItemReference | null;
}

/** The field's name as the entry, the options and the type decide it, or why none fits. */
function sequenceFieldOf(
  type: TypeDefinition,
  named: string | undefined,
): { field: FieldDefinition } | { problem: string } {
  const sequences = type.fields.filter((field) => field.kind === 'sequence');
  if (named !== undefined) {
    const field = sequences.find((candidate) => candidate.name === named);
    return field === undefined ? { problem: `type ${type.name} has no sequence field ${named}` } : { field };
  }
  const [only, ...others] = sequences;
  if (only === undefined) return { problem: `type ${type.name} has no sequence field` };
  if (others.length > 0) {
    return {
      problem: `type ${type.name} has several sequence fields (${sequences.map((f) => f.name).join(', ')}): name one with field= or a [field=…] tag`,
    };
  }
  return { field: only };
}

/** The items the entries' ids name: exact ids, human ids and barcodes first, then names. */
function matchEntries(entries: readonly FastaEntry[], found: readonly ItemReference[]) {
  const matches = new Map<string, ItemReference[]>();
  for (const entry of entries) {
    if (matches.has(entry.id)) continue;
    const upper = entry.id.toUpperCase();
    const exact = found.filter(
      (item) => item.id === entry.id || item.humanId === upper || item.barcode === entry.id,
    );
    const named = found.filter((item) => item.name === entry.id);
    const loose = found.filter((item) => item.name.toLowerCase() === entry.id.toLowerCase());
    matches.set(entry.id, exact.length > 0 ? exact : named.length > 0 ? named : loose);
  }
  return matches;
}

/** Imports a read FASTA file as the module header describes. */
export async function importFasta(
  trx: Db,
  actor: Actor,
  file: FastaFile,
  options: FastaImportOptions,
): Promise<ImportReport> {
  const problems = new ProblemList();
  const warnings = new WarningList();
  for (const problem of file.problems) {
    problems.add({ row: problem.entry, field: 'file', message: `line ${problem.line}: ${problem.message}` });
  }
  const entries = file.entries;
  options.onProgress?.({ phase: 'checking', done: 0, total: entries.length });

  const seen = new Map<string, number>();
  for (const entry of entries) {
    const first = seen.get(entry.id);
    if (first !== undefined) {
      problems.add({
        row: entry.entry,
        field: 'id',
        message: `${entry.id} is also the id of entry ${first}: one entry per item`,
      });
    } else seen.set(entry.id, entry.entry);
  }

  const ids = [...seen.keys()].filter((id) => id !== '');
  const matches = matchEntries(entries, ids.length === 0 ? [] : await findItemsByReference(trx, actor, ids));
  const targets = [...new Set([...matches.values()].flatMap((found) => (found.length === 1 ? found : [])))];
  const items = new Map(
    (
      await getLiveItems(
        trx,
        actor,
        targets.map((item) => item.id),
      )
    ).map((i) => [i.id, i]),
  );
  const itemTypes = await resolveTypes(trx, [...new Set([...items.values()].map((item) => item.type.id))]);
  const access = await ProjectAccess.load(
    trx,
    actor,
    [...items.values()].map((item) => item.projectId),
  );
  const newType = options.type === undefined ? undefined : await resolveType(trx, options.type, 'type');

  const planned: PlannedEntry[] = [];
  for (const entry of entries) {
    const at = { row: entry.entry, column: entry.id };
    const found = matches.get(entry.id) ?? [];
    if (found.length > 1) {
      problems.add({
        ...at,
        field: 'id',
        message: `${entry.id} names ${found.length} items (${found.map((item) => item.humanId).join(', ')}): use a human id`,
      });
      continue;
    }
    const target = found[0] ?? null;
    const item = target === null ? undefined : items.get(target.id);
    const type = item === undefined ? newType : itemTypes.get(item.type.id);
    if (type === undefined) {
      problems.add({
        ...at,
        field: 'type',
        message: `${entry.id} names no item you may see; give a type for new items to create it`,
      });
      continue;
    }
    if (item !== undefined && !access.mayChange(item.projectId)) {
      problems.add({ ...at, field: 'id', message: `you may not change ${item.humanId}` });
      continue;
    }
    const tag = FIELD_TAG.exec(entry.description);
    const chosen = sequenceFieldOf(type, tag?.[1] ?? options.field);
    if ('problem' in chosen) {
      problems.add({ ...at, field: 'field', message: chosen.problem });
      continue;
    }
    const normalized = normalizeSequence(chosen.field.alphabet ?? 'dna', entry.sequence);
    if ('error' in normalized) {
      problems.add({ ...at, field: `fields.${chosen.field.name}`, message: normalized.error });
      continue;
    }
    planned.push({
      entry,
      description: entry.description.replace(FIELD_TAG, ' ').trim(),
      field: chosen.field.name,
      sequence: normalized.sequence,
      target,
    });
  }

  const creating = planned.filter((plan) => plan.target === null);
  const candidates = creating.map((plan): ItemCandidate => ({
    type: newType?.id ?? '',
    name: plan.entry.id,
    description: plan.description,
    fields: { [plan.field]: plan.sequence },
    ...(options.parent !== undefined && { parentId: options.parent }),
  }));
  const checked = candidates.length === 0 ? null : await checkItems(trx, actor, candidates);
  for (const problem of checked?.problems ?? []) {
    const plan = creating[problem.index];
    problems.add({
      row: plan?.entry.entry ?? 0,
      ...(plan !== undefined && { column: plan.entry.id }),
      field: problem.field === 'parentId' ? 'parent' : problem.field,
      message: problem.message,
    });
  }
  const report = problemReport(options.dryRun, entries.length, problems, warnings);
  if (options.dryRun) return report;
  if (!report.valid) throw new ImportRejected(report);

  const written: { row: number; id: string; humanId: string }[] = [];
  if (checked !== null) {
    const made = await insertCheckedItems(trx, actor, checked, {
      beforeStep: (done) => betweenSteps(options, done, entries.length),
    });
    made.forEach((item, index) => written.push({ row: creating[index]?.entry.entry ?? 0, ...item }));
  }
  const updating = planned.filter((plan) => plan.target !== null);
  for (const [index, plan] of updating.entries()) {
    if (index % UPDATE_STEP === 0) await betweenSteps(options, creating.length + index, entries.length);
    const target = plan.target as ItemReference;
    await updateItem(trx, actor, target.id, { fields: { [plan.field]: plan.sequence } });
    written.push({ row: plan.entry.entry, id: target.id, humanId: target.humanId });
  }
  options.onProgress?.({ phase: 'creating', done: planned.length, total: entries.length });
  written.sort((a, b) => a.row - b.row);
  return {
    ...report,
    created: creating.length,
    updated: updating.length,
    items: written.slice(0, MAX_LISTED_ITEMS),
    moreItems: Math.max(0, written.length - MAX_LISTED_ITEMS),
  };
}
