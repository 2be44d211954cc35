/**
 * An import's first phase: each row on its own. Turns cells into what the item rules check — the type as a
 * person names it, the name, flags and field values as candidates (`3.5` a number, `yes` true) — and
 * reports what only the file can get wrong: a cell of text no database stores, more values than columns, an
 * unknown type, a value in a column that is no field of the row's type, and the sample columns.
 */
import type { FieldValues } from '../inventory/field-values.js';
import { initialStatusProblem, SAMPLE_STATUSES } from '../samples/sample-lifecycle.js';
import { candidateValue, isBlank, parseBoolean, parseDate } from './cell-values.js';
import { normalizeHeader } from './csv-columns.js';
import type { CsvRow } from './csv-reader.js';
import {
  fieldOfColumn,
  type ImportContext,
  type ImportProgress,
  type RawRow,
  type RowPlan,
} from './import-context.js';
import type { ImportProblem } from './import-report.js';
import type { CatalogType } from './type-catalog.js';

/** The keys of a row when the file has no id column (shared: most files have none). */
const NO_KEYS: readonly string[] = [];

/** Whether a row has a non-blank cell at or after an index (cells past the header's columns). */
function hasValuesFrom(cells: readonly string[], from: number): boolean {
  for (let index = from; index < cells.length; index++) if (!isBlank(cells[index])) return true;
  return false;
}

/** Reads every row of the file; `signal` stops it between rows, `onProgress` hears every 1,000 rows. */
export function readRows(
  context: ImportContext,
  options: {
    signal?: AbortSignal | undefined;
    onProgress?: ((progress: ImportProgress) => void) | undefined;
  },
): RawRow[] {
  const { file } = context;
  const unstorable = new Map<number, Map<number, string>>();
  for (const cell of file.unstorable) {
    const cells = unstorable.get(cell.row) ?? new Map<number, string>();
    unstorable.set(cell.row, cells.set(cell.column, cell.message));
  }
  const typeTexts = new Set(file.rows.map((source) => context.text(source, 'type').trim()));
  const usedTypes = [...typeTexts].flatMap((text) => context.catalog.resolve(text).type ?? []);
  const raws: RawRow[] = [];
  const total = file.rows.length;
  file.rows.forEach((given, index) => {
    if (index % 1000 === 0) {
      options.signal?.throwIfAborted();
      options.onProgress?.({ phase: 'checking', done: index, total });
    }
    const refused = unstorable.get(given.row);
    const source = refused === undefined ? given : refuseUnstorableCells(context, given, refused);
    raws.push(readRow(context, source, index, usedTypes));
  });
  options.onProgress?.({ phase: 'checking', done: total, total });
  return raws;
}

/**
 * Reports a row's cells of unstorable text and gives the row without them (blank), so that no query sees
 * them; the row's other problems are left for after the text is fixed.
 */
function refuseUnstorableCells(
  context: ImportContext,
  source: CsvRow,
  cells: ReadonlyMap<number, string>,
): CsvRow {
  for (const [index, message] of cells) {
    const column = context.columnAt.get(index);
    const problem: ImportProblem = { row: source.row, field: fieldOfColumn(column), message };
    if (column !== undefined) problem.column = column.header;
    context.problems.add(problem);
  }
  context.refusedRows.add(source.row);
  return { row: source.row, cells: source.cells.map((cell, index) => (cells.has(index) ? '' : cell)) };
}

function readRow(
  context: ImportContext,
  source: CsvRow,
  index: number,
  usedTypes: readonly CatalogType[],
): RawRow {
  const { row } = source;
  const text = (attribute: Parameters<ImportContext['text']>[1]) => context.text(source, attribute);
  const plan: RowPlan = {
    row,
    index,
    type: null,
    keys: context.keyColumns.length === 0 ? NO_KEYS : keysOf(context, source),
    name: text('name').trim(),
    description: text('description'),
    barcode: text('barcode').trim() || null,
    parent: null,
    slot: null,
    virtual: null,
    hidden: false,
    fields: {},
    projectId: null,
    collectionDate: null,
    status: null,
    wave: 0,
  };
  const raw: RawRow = {
    source,
    plan,
    parentText: text('parent').trim(),
    slotText: text('slot').trim(),
    virtualText: text('virtual').trim(),
    projectText: text('project').trim(),
  };
  const { header } = context.file;
  if (hasValuesFrom(source.cells, header.length)) {
    context.problem(
      row,
      'row',
      `has ${source.cells.length} values but the header names ${header.length} columns`,
    );
  }

  const typeText = text('type').trim();
  if (typeText === '') context.problem(row, 'type', 'is empty', context.column('type'));
  else {
    const resolved = context.catalog.resolve(typeText);
    if (resolved.problem !== null) context.problem(row, 'type', resolved.problem, context.column('type'));
    else if (context.kind === 'samples' && resolved.type.itemClass !== 'physical')
      context.problem(
        row,
        'type',
        `${resolved.type.name} is a virtual type; a sample is a physical thing`,
        context.column('type'),
      );
    else plan.type = resolved.type;
  }
  const hiddenText = text('hidden');
  if (!isBlank(hiddenText)) {
    const hidden = parseBoolean(hiddenText);
    if (hidden === null)
      context.problem(
        row,
        'hidden',
        `must be yes or no (true/false, 1/0), not "${hiddenText.trim()}"`,
        context.column('hidden'),
      );
    else plan.hidden = hidden;
  }
  if (plan.type !== null) plan.fields = readFields(context, source, plan.type, usedTypes);
  if (context.kind === 'samples') readSampleColumns(context, raw);
  return raw;
}

/** The row's non-blank `id` / `human id` cells, trimmed. */
function keysOf(context: ImportContext, source: CsvRow): string[] {
  return context.keyColumns.flatMap((key) =>
    isBlank(source.cells[key.index]) ? [] : [(source.cells[key.index] ?? '').trim()],
  );
}

/** The row's field values as candidates; a value in a column that is no field of the row's type is a problem. */
function readFields(
  context: ImportContext,
  source: CsvRow,
  type: CatalogType,
  usedTypes: readonly CatalogType[],
): FieldValues {
  const values: FieldValues = {};
  for (const column of context.fieldColumns) {
    const text = source.cells[column.index];
    if (text === undefined || isBlank(text)) continue;
    const field = context.fieldFor(column, type);
    if (field !== null) {
      values[field.name] = candidateValue(field, text);
      continue;
    }
    const elsewhere = usedTypes.filter((other) => context.fieldFor(column, other) !== null);
    if (column.target.kind === 'guess' && elsewhere.length === 0) {
      const types = usedTypes.map((used) => used.name).join(', ');
      context.warnings.add({
        column: column.header,
        message: `column "${column.header}" is not a field of ${types === '' ? 'any type' : types}, so its values were not imported`,
      });
    } else {
      context.problem(
        source.row,
        column.target.kind === 'field' ? `fields.${column.target.field}` : 'fields',
        `a ${type.name} has no field "${column.header}"${elsewhere.length > 0 ? ` (${elsewhere.map((other) => other.name).join(', ')} ${elsewhere.length === 1 ? 'has' : 'have'})` : ''}`,
        column,
      );
    }
  }
  return values;
}

function readSampleColumns(context: ImportContext, raw: RawRow): void {
  const { plan, source } = raw;
  if (raw.projectText === '') context.problem(plan.row, 'project', 'is empty', context.column('project'));
  const dateText = context.text(source, 'collectionDate');
  if (!isBlank(dateText)) {
    plan.collectionDate = parseDate(dateText);
    if (plan.collectionDate === null)
      context.problem(
        plan.row,
        'collectionDate',
        `must be a date written YYYY-MM-DD, not "${dateText.trim()}"`,
        context.column('collectionDate'),
      );
  }
  const statusText = context.text(source, 'status');
  if (!isBlank(statusText)) {
    const wanted = normalizeHeader(statusText);
    plan.status = SAMPLE_STATUSES.find((status) => normalizeHeader(status) === wanted) ?? null;
    if (plan.status === null)
      context.problem(
        plan.row,
        'status',
        `must be one of ${SAMPLE_STATUSES.join(', ')}, not "${statusText.trim()}"`,
        context.column('status'),
      );
    else {
      // The samples service's rule for new samples, so that a dry run reports it too.
      const problem = initialStatusProblem(plan.status, raw.parentText !== '');
      if (problem !== null) context.problem(plan.row, 'status', problem, context.column('status'));
    }
  }
}
