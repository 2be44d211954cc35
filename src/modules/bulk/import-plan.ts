/**
 * Checks every row of an import file before anything is written, with a fixed number of queries for any
 * number of rows, in phases: the rows on their own (import-rows.ts), the projects of samples
 * (import-projects.ts), the parents and virtuals as people name them (import-references.ts), and then every
 * row by the item rules that hold for any create (import-item-checks.ts: inventory's `checkItems`). The
 * result is one plan per row, the checked batch that a real import inserts, and the problems of every bad
 * row by number and column: a dry run is this check, and finds every problem the real import would.
 * A row may refer to rows before or after it; rows are created in waves so that every parent exists first.
 */
import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import type { CheckedItems } from '../inventory/item-rules.js';
import { ITEM_ATTRIBUTES, mapColumns, SAMPLE_ATTRIBUTES } from './csv-columns.js';
import type { CsvFile } from './csv-reader.js';
import { ImportContext, type ImportKind, type ImportProgress, type RowPlan } from './import-context.js';
import { checkRowsAsItems } from './import-item-checks.js';
import { resolveProjects } from './import-projects.js';
import { resolveReferences } from './import-references.js';
import { ProblemList, WarningList } from './import-report.js';
import { readRows } from './import-rows.js';
import { TypeCatalog } from './type-catalog.js';

export type { ImportKind, ImportProgress, RowPlan, Target } from './import-context.js';

export interface ImportPlan {
  kind: ImportKind;
  rows: number;
  plans: RowPlan[];
  /** The rows as the item rules checked them (null when the file could not be read as rows). */
  checked: CheckedItems | null;
  problems: ProblemList;
  warnings: WarningList;
}

/** Checks an import file; `signal` stops it between rows, `onProgress` hears every 1,000 rows. */
export async function planImport(
  db: Db,
  actor: Actor,
  kind: ImportKind,
  file: CsvFile,
  options: {
    map?: Readonly<Record<string, string>> | undefined;
    signal?: AbortSignal | undefined;
    onProgress?: ((progress: ImportProgress) => void) | undefined;
    /** The types to resolve against (default: the database's). */
    catalog?: TypeCatalog | undefined;
  } = {},
): Promise<ImportPlan> {
  const problems = new ProblemList();
  const warnings = new WarningList();
  const plan: ImportPlan = { kind, rows: file.rows.length, plans: [], checked: null, problems, warnings };
  if (file.problem !== null)
    problems.add({ row: file.problem.row, field: 'file', message: file.problem.message });
  if (file.header.length === 0) {
    problems.add({
      row: 1,
      field: 'file',
      message: 'the file is empty: the first row must name the columns',
    });
    return plan;
  }
  const unstorableHeaders = file.unstorable.filter((cell) => cell.row === 1);
  for (const cell of unstorableHeaders) {
    const header = file.header[cell.column] ?? '';
    problems.add({ row: 1, column: header, field: 'file', message: `the header ${cell.message}` });
  }
  if (unstorableHeaders.length > 0) return plan;
  const attributes = kind === 'items' ? ITEM_ATTRIBUTES : SAMPLE_ATTRIBUTES;
  const mapping = mapColumns(file.header, attributes, options.map);
  for (const message of mapping.problems) problems.add({ row: 1, field: 'file', message });
  for (const key of mapping.unusedMappings)
    warnings.add({ message: `the mapping names a column "${key}" that the file does not have` });
  if (mapping.problems.length > 0) return plan;
  if (file.rows.length === 0 && file.problem === null)
    warnings.add({ message: 'the file has a header row but no data rows: there is nothing to import' });

  const catalog = options.catalog ?? (await TypeCatalog.load(db));
  const context = new ImportContext(db, actor, kind, file, mapping.columns, catalog, problems, warnings);
  const raws = readRows(context, options);
  plan.plans = raws.map((raw) => raw.plan);
  await resolveProjects(context, raws);
  await resolveReferences(context, raws);
  plan.checked = await checkRowsAsItems(context, raws);
  return plan;
}
