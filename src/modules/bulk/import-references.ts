/**
 * An import's references: the parent and virtual each row names, as a person names them, resolved to an
 * existing item or another row of the file with one batched lookup. A reference is resolved in this order:
 * 1. the `id` / `human id` column of a row of the same file (an export imported again refers to its rows so);
 * 2. an existing live item's id, human id (any case) or barcode;
 * 3. a barcode of a row of the file;
 * 4. a name, of a row of the file or of an existing item of the right class (physical for a parent, virtual
 *    for a virtual), ignoring case and spacing; more than one candidate is ambiguous and lists them.
 * Items the actor may not see are left out as if they did not exist. Whether what a row names may be its
 * parent or virtual is the item rules' to say (import-item-checks.ts).
 */
import type { ItemClass } from '../inventory/inventory.schema.js';
import { findItemsByReference, type ItemReference } from '../inventory/items.service.js';
import type { ImportContext, RawRow, RowPlan, Target } from './import-context.js';

const MAX_LISTED_CANDIDATES = 10;

/** Whitespace that `spaced` has to fix: at either end, two in a row, or other than a plain space. */
const UNSPACED = /^\s|\s$|\s\s|[^\S ]/;

/** A name as compared: trimmed, inner whitespace runs as one space, lower case. */
export function spaced(text: string): string {
  const lower = text.toLowerCase();
  return UNSPACED.test(lower) ? lower.trim().replace(/\s+/g, ' ') : lower;
}

/** What a reference names: a target, or why it names none. */
type Resolved = { target: Target } | { problem: string };

function describeTarget(target: Target): string {
  switch (target.kind) {
    case 'item':
      return `${target.item.humanId} (${target.item.name})`;
    case 'row':
      return `row ${target.plan.row} (${target.plan.name})`;
    case 'missing':
      return target.text;
  }
}

function classOf(target: Target): ItemClass | null {
  switch (target.kind) {
    case 'item':
      return target.item.class;
    case 'row':
      return target.plan.type?.itemClass ?? null;
    case 'missing':
      return null;
  }
}

/** Gives each physical row the parent and virtual it names, or reports why a reference names none. */
export async function resolveReferences(context: ImportContext, raws: readonly RawRow[]): Promise<void> {
  const byKey = new Map<string, RowPlan[]>();
  const byBarcode = new Map<string, RowPlan[]>();
  const byName = new Map<string, RowPlan[]>();
  const add = (index: Map<string, RowPlan[]>, key: string, plan: RowPlan) => {
    const list = index.get(key);
    if (list === undefined) index.set(key, [plan]);
    else list.push(plan);
  };
  // Rows by barcode and by name only for what some row refers to: a file of 100,000 rows names a few hundred.
  const referredTexts = new Set<string>();
  const referredNames = new Set<string>();
  const refer = (text: string) => {
    if (text === '' || referredTexts.has(text)) return;
    referredTexts.add(text);
    referredNames.add(spaced(text));
  };
  for (const raw of raws) {
    refer(raw.parentText);
    refer(raw.virtualText);
  }
  for (const { plan } of raws) {
    for (const key of plan.keys) {
      const earlier = byKey.get(key);
      if (earlier?.[0] !== undefined && earlier[0] !== plan)
        context.problem(
          plan.row,
          'id',
          `${key} is also the id of row ${earlier[0].row}`,
          context.keyColumns[0],
        );
      add(byKey, key, plan);
    }
    if (plan.barcode !== null && referredTexts.has(plan.barcode)) add(byBarcode, plan.barcode, plan);
    if (plan.name !== '') {
      const key = spaced(plan.name);
      if (referredNames.has(key)) add(byName, key, plan);
    }
  }

  const texts = [...referredTexts].filter((text) => !byKey.has(text));
  const found = await findItemsByReference(context.db, context.actor, texts);
  const itemById = new Map<string, ItemReference>();
  const itemByHumanId = new Map<string, ItemReference>();
  const itemByBarcode = new Map<string, ItemReference>();
  const itemsByName = new Map<string, ItemReference[]>();
  for (const item of found) {
    itemById.set(item.id, item);
    itemByHumanId.set(item.humanId, item);
    if (item.barcode !== null) itemByBarcode.set(item.barcode, item);
    const key = spaced(item.name);
    itemsByName.set(key, [...(itemsByName.get(key) ?? []), item]);
  }

  const exactTarget = (text: string): Target | undefined => {
    const keyed = byKey.get(text)?.[0];
    if (keyed !== undefined) return { kind: 'row', plan: keyed };
    const item = itemById.get(text) ?? itemByHumanId.get(text.toUpperCase()) ?? itemByBarcode.get(text);
    if (item !== undefined) return { kind: 'item', item };
    const barcoded = byBarcode.get(text);
    if (barcoded?.length === 1 && barcoded[0] !== undefined) return { kind: 'row', plan: barcoded[0] };
    return undefined;
  };
  /** The target a text names; one of the wrong class is given too, for the item rules to refuse. */
  const resolveReference = (text: string, wanted: ItemClass): Resolved => {
    const exact = exactTarget(text);
    if (exact !== undefined) return { target: exact };
    const key = spaced(text);
    const candidates: Target[] = [
      ...(byName.get(key) ?? []).map((plan): Target => ({ kind: 'row', plan })),
      ...(itemsByName.get(key) ?? []).map((item): Target => ({ kind: 'item', item })),
    ];
    const fitting = candidates.filter((candidate) => classOf(candidate) === wanted);
    const [only] = fitting;
    if (only !== undefined && fitting.length === 1) return { target: only };
    if (fitting.length > 1) {
      const listed = fitting.slice(0, MAX_LISTED_CANDIDATES).map(describeTarget).join(', ');
      return {
        problem: `"${text}" could be any of ${listed}${fitting.length > MAX_LISTED_CANDIDATES ? ', …' : ''}; give a human id, barcode or id`,
      };
    }
    const [other] = candidates;
    if (other !== undefined) return { target: other };
    return { target: { kind: 'missing', text } };
  };
  const cache = { physical: new Map<string, Resolved>(), virtual: new Map<string, Resolved>() };
  const resolve = (text: string, wanted: ItemClass): Resolved => {
    const cached = cache[wanted].get(text);
    if (cached !== undefined) return cached;
    const result = resolveReference(text, wanted);
    cache[wanted].set(text, result);
    return result;
  };

  for (const raw of raws) {
    const { plan } = raw;
    if (plan.type?.itemClass === 'virtual') continue;
    if (raw.parentText !== '') {
      const result = resolve(raw.parentText, 'physical');
      if ('problem' in result) context.problem(plan.row, 'parent', result.problem, context.column('parent'));
      else plan.parent = result.target;
    }
    if (raw.virtualText !== '') {
      const result = resolve(raw.virtualText, 'virtual');
      if ('problem' in result)
        context.problem(plan.row, 'virtual', result.problem, context.column('virtual'));
      else plan.virtual = result.target;
    }
  }
}
