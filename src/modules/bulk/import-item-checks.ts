/**
 * An import's rows through the item rules: every row becomes a candidate of one batch (its parent and
 * virtual an existing item's id or another row's input), inventory's `checkItems` checks them all as it
 * checks any create, and its problems come back as problems of the rows, on the columns that gave the
 * values (`parentId` as `parent`, `fields.volume_ul` on the column mapped to that field). The checked batch
 * is what a real import inserts.
 */
import type { ItemCandidate, ItemRef, CheckedItems } from '../inventory/item-rules.js';
import { checkItems } from '../inventory/item-rules.js';
import type { Attribute } from './csv-columns.js';
import type { ImportContext, RawRow, Target } from './import-context.js';
import type { CatalogType } from './type-catalog.js';

/** The rules' field names as an import's columns name them. */
const FIELD_NAMES: Readonly<Record<string, Attribute>> = {
  parentId: 'parent',
  virtualId: 'virtual',
  projectId: 'project',
};

function refOf(target: Target | null): ItemRef | null {
  if (target === null) return null;
  switch (target.kind) {
    case 'item':
      return target.item.id;
    case 'row':
      return { input: target.plan.index };
    case 'missing':
      return target.text;
  }
}

/** A row as the candidate the item rules check. */
function candidateOf(raw: RawRow): ItemCandidate {
  const { plan } = raw;
  const candidate: ItemCandidate = {
    // A row without a known type was reported already; its candidate's type is one no lookup finds.
    type: plan.type?.id ?? '',
    name: plan.name,
    description: plan.description,
    fields: plan.fields,
    barcode: plan.barcode,
    hidden: plan.hidden,
    projectId: plan.projectId,
  };
  if (plan.type?.itemClass === 'virtual') {
    // What a virtual cannot have is given as written, for the rules to refuse.
    candidate.parentId = raw.parentText || null;
    candidate.virtualId = raw.virtualText || null;
    candidate.slot = raw.slotText || null;
    return candidate;
  }
  candidate.parentId = refOf(plan.parent);
  candidate.virtualId = refOf(plan.virtual);
  // A slot in a parent that could be more than one item is that parent's problem, reported already.
  candidate.slot = raw.parentText !== '' && plan.parent === null ? null : raw.slotText || null;
  return candidate;
}

/**
 * Checks every row by the item rules, reports their problems on the rows (those not reported already by
 * an earlier phase for the same row and field), and gives each row its canonical slot and wave.
 */
export async function checkRowsAsItems(
  context: ImportContext,
  raws: readonly RawRow[],
): Promise<CheckedItems> {
  const types = new Map<string, CatalogType>(context.catalog.types.map((type) => [type.id, type]));
  const checked = await checkItems(context.db, context.actor, raws.map(candidateOf), {
    types,
    inputLabel: (index) => `row ${raws[index]?.plan.row ?? index}`,
  });
  const reportedBefore = new Set(context.reportedFields);
  for (const problem of checked.problems) {
    const plan = raws[problem.index]?.plan;
    if (plan === undefined) continue;
    const field = FIELD_NAMES[problem.field] ?? problem.field;
    if (reportedBefore.has(`${plan.row}\u0000${field}`) || (plan.type === null && field === 'type')) continue;
    const column = field.startsWith('fields.')
      ? plan.type === null
        ? undefined
        : context.columnOfField(plan.type, field.slice('fields.'.length))
      : context.column(field as Attribute);
    context.problem(plan.row, field, problem.message, column);
  }
  raws.forEach(({ plan }, index) => {
    const planned = checked.planned[index];
    if (planned === undefined || planned === null) return;
    plan.slot = planned.row.slot;
    plan.wave = planned.wave;
  });
  return checked;
}
