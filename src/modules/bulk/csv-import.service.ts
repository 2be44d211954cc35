/**
 * CSV import of items and samples (seed: bionet's bulk entry of bioDB items; lims-hpc's sample sheets). A file
 * is read (streamed), then checked as a whole before anything is written; a dry run answers with the report
 * of every bad row, a real import with bad rows is refused (422) with the same report, and a clean one creates
 * every row in the caller's transaction, all or nothing.
 *
 * Columns (see csv-columns.ts for every alias; headers ignore case, spaces and punctuation):
 * - items: type, name, description, barcode, parent, slot, virtual, hidden; samples: project, type, name,
 *   description, barcode, parent, slot, collection date, status.
 * - `id` / `human id` name the row for other rows of the file (exports write them); an import always makes
 *   new ids and human ids. `path`, `created at/by` and `updated at/by` (export-only) are skipped.
 * - Any other header is a field of the row's type, spelled loosely (`Volume (µl)` → volume_ul), or
 *   `fields.<name>`. Unknown columns: a column that is a field of no type used in the file is a warning, given
 *   once and only if it holds values (they are not imported: it is taken for a note column, and a dry run
 *   shows it); a value in a column that is a field of other types in the file but not of the row's type is
 *   an error on that row (the value would be lost), as is a `fields.<name>` value the row's type lacks.
 * - References (parent, virtual) and types are resolved as import-references.ts describes; only items the
 *   importer may see count (another project's samples do not exist for them).
 *
 * The check (import-plan.ts) holds every row to the item rules inside the caller's transaction, and an items
 * import inserts the batch it checked (inventory's `insertCheckedItems`: in waves, so that a box of the file
 * exists before its tubes; audited; a slot or barcode a concurrent writer took since is a 409). Samples go
 * through the samples' bulk create, wave by wave, which checks them again by the same rules and adds their
 * sample records.
 */
import type { Db } from '../../db/database.js';
import { DomainError } from '../../errors/catalogue.js';
import type { Actor } from '../accounts/actor.js';
import { insertCheckedItems, type ItemOrigin } from '../inventory/item-creation.service.js';
import { createSamplesInBulk } from '../samples/samples.service.js';
import { readCsv, type CsvFile, type CsvSource } from './csv-reader.js';
import {
  planImport,
  type ImportKind,
  type ImportPlan,
  type ImportProgress,
  type RowPlan,
  type Target,
} from './import-plan.js';
import {
  ImportRejected,
  MAX_LISTED_ITEMS,
  problemReport,
  ProblemList,
  type ImportReport,
} from './import-report.js';

export type { ImportKind, ImportProgress } from './import-plan.js';

/** Rows per bulk create of samples: two of the inventory's multi-row INSERTs. */
const SAMPLES_CHUNK = 1000;

export interface CsvImportOptions {
  dryRun: boolean;
  /** Header → `type`, `fields.volume_ul`, `ignore`, … (wins over the aliases). */
  map?: Readonly<Record<string, string>> | undefined;
  /** Stops the import between chunks; the caller's transaction then rolls back. */
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
}

/**
 * Reads an import file (text, or a byte stream read as it arrives) before any transaction opens; a malformed
 * file is not an exception but a problem the report will name.
 */
export function readImportFile(
  source: CsvSource,
  options: Pick<CsvImportOptions, 'signal' | 'onProgress'> = {},
): Promise<CsvFile> {
  return readCsv(source, (rows) => {
    options.signal?.throwIfAborted();
    options.onProgress?.({ phase: 'reading', done: rows, total: null });
  });
}

/** Imports items from a read CSV file (any signed-in user); see the module header for the columns. */
export function importItemsCsv(
  trx: Db,
  actor: Actor,
  file: CsvFile,
  options: CsvImportOptions,
): Promise<ImportReport> {
  return importCsv(trx, actor, 'items', file, options);
}

/** Imports samples from a read CSV file; every project named needs the actor's write access. */
export function importSamplesCsv(
  trx: Db,
  actor: Actor,
  file: CsvFile,
  options: CsvImportOptions,
): Promise<ImportReport> {
  return importCsv(trx, actor, 'samples', file, options);
}

async function importCsv(
  trx: Db,
  actor: Actor,
  kind: ImportKind,
  file: CsvFile,
  options: CsvImportOptions,
): Promise<ImportReport> {
  const plan = await planImport(trx, actor, kind, file, options);
  const checked = problemReport(options.dryRun, plan.rows, plan.problems, plan.warnings);
  if (options.dryRun) return checked;
  if (!checked.valid) throw new ImportRejected(checked);
  return commitPlan(trx, actor, plan, options);
}

function targetId(target: Target | null, created: ReadonlyMap<RowPlan, { id: string }>): string | null {
  if (target === null) return null;
  if (target.kind === 'item') return target.item.id;
  if (target.kind === 'missing') throw new Error(`a reference to nothing (${target.text}) passed the checks`);
  const made = created.get(target.plan);
  if (made === undefined)
    throw new Error(`row ${target.plan.row} was to be created before the rows inside it`);
  return made.id;
}

/** Creates one chunk of a wave of samples through the samples' bulk create. */
function createSamplesChunk(
  trx: Db,
  actor: Actor,
  chunk: readonly RowPlan[],
  created: ReadonlyMap<RowPlan, { id: string }>,
): Promise<{ id: string; humanId: string }[]> {
  return createSamplesInBulk(
    trx,
    actor,
    chunk.map((plan) => {
      if (plan.type === null) throw new Error(`row ${plan.row} has no type but passed the checks`);
      return {
        type: plan.type.id,
        name: plan.name,
        description: plan.description,
        fields: plan.fields,
        parentId: targetId(plan.parent, created),
        slot: plan.slot,
        barcode: plan.barcode,
        projectId: plan.projectId ?? '',
        collectionDate: plan.collectionDate,
        ...(plan.status !== null && { status: plan.status }),
      };
    }),
  );
}

/** A bulk create's 422 (`samples.<index>.<field>`) as problems of the rows of the chunk. */
function chunkProblems(error: DomainError, chunk: readonly RowPlan[]): ProblemList {
  const problems = new ProblemList();
  for (const fieldError of error.errors) {
    const match = /^(?:items|samples)\.(\d+)\.(.+)$/.exec(fieldError.field);
    const plan = match === null ? undefined : chunk[Number(match[1])];
    const field = match?.[2] ?? 'row';
    problems.add({
      row: plan?.row ?? chunk[0]?.row ?? 1,
      field: FIELD_NAMES[field] ?? field,
      message: fieldError.message,
    });
  }
  if (problems.count === 0) problems.add({ row: chunk[0]?.row ?? 1, field: 'row', message: error.message });
  return problems;
}

const FIELD_NAMES: Record<string, string> = {
  parentId: 'parent',
  virtualId: 'virtual',
  projectId: 'project',
};

/** Gives signals (Ctrl-C) and other work a turn between steps (SQLite answers synchronously), then reports. */
export async function betweenSteps(
  options: Pick<CsvImportOptions, 'signal' | 'onProgress'>,
  done: number,
  total: number,
): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  options.signal?.throwIfAborted();
  options.onProgress?.({ phase: 'creating', done, total });
}

/**
 * Creates every row of a checked plan, wave by wave, in the caller's transaction. `origins` (by row number)
 * keep ids and stamps of items that come from elsewhere (bionet JSON).
 */
export async function commitPlan(
  trx: Db,
  actor: Actor,
  plan: ImportPlan,
  options: Pick<CsvImportOptions, 'signal' | 'onProgress'>,
  origins?: ReadonlyMap<number, ItemOrigin>,
): Promise<ImportReport> {
  const created = new Map<RowPlan, { id: string; humanId: string }>();
  options.onProgress?.({ phase: 'creating', done: 0, total: plan.rows });
  if (plan.kind === 'items') {
    if (plan.checked === null) throw new Error('an import plan without rows was to be committed');
    const ids = await insertCheckedItems(trx, actor, plan.checked, {
      origins: origins === undefined ? undefined : plan.plans.map((row) => origins.get(row.row)),
      beforeStep: (done) => betweenSteps(options, done, plan.rows),
    });
    plan.plans.forEach((row, index) => {
      const made = ids[index];
      if (made !== undefined) created.set(row, made);
    });
  } else {
    await commitSamples(trx, actor, plan, created, options);
  }
  options.onProgress?.({ phase: 'creating', done: created.size, total: plan.rows });
  const items = [...created]
    .map(([row, made]) => ({ row: row.row, id: made.id, humanId: made.humanId }))
    .sort((a, b) => a.row - b.row);
  return {
    dryRun: false,
    rows: plan.rows,
    valid: true,
    created: created.size,
    invalidRows: 0,
    errors: [],
    moreErrors: 0,
    warnings: plan.warnings.listed,
    items: items.slice(0, MAX_LISTED_ITEMS),
    moreItems: Math.max(0, items.length - MAX_LISTED_ITEMS),
  };
}

/** Creates the samples of a checked plan wave by wave, in chunks, through the samples' bulk create. */
async function commitSamples(
  trx: Db,
  actor: Actor,
  plan: ImportPlan,
  created: Map<RowPlan, { id: string; humanId: string }>,
  options: Pick<CsvImportOptions, 'signal' | 'onProgress'>,
): Promise<void> {
  const waves: RowPlan[][] = [];
  for (const row of plan.plans) (waves[row.wave] ??= []).push(row);
  for (const wave of waves) {
    for (let start = 0; start < (wave?.length ?? 0); start += SAMPLES_CHUNK) {
      await betweenSteps(options, created.size, plan.rows);
      const chunk = (wave ?? []).slice(start, start + SAMPLES_CHUNK);
      let ids: { id: string; humanId: string }[];
      try {
        ids = await createSamplesChunk(trx, actor, chunk, created);
      } catch (error) {
        if (!(error instanceof DomainError) || error.status !== 422) throw error;
        throw new ImportRejected(problemReport(false, plan.rows, chunkProblems(error, chunk), plan.warnings));
      }
      chunk.forEach((row, index) => {
        const made = ids[index];
        if (made !== undefined) created.set(row, made);
      });
    }
  }
}
