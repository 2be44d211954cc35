/**
 * Checks every row of an import file before anything is written, with a fixed number of queries for any
 * number of rows: types, parents and virtuals as a person names them, slots, barcodes, field values and (for
 * samples) projects. The result is one plan per row (what to create, and which rows must exist before it)
 * and the problems of every bad row by number and column.
 *
 * A reference to another item (a parent, a virtual) is resolved in this order:
 * 1. the `id` / `human id` column of a row of the same file (an export imported again refers to its rows so);
 * 2. an existing live item's id, human id (any case) or barcode;
 * 3. a barcode of a row of the file;
 * 4. a name, of a row of the file or of an existing item of the right class (physical for a parent, virtual
 *    for a virtual), ignoring case and spacing; more than one candidate is ambiguous and lists them.
 * Items the actor may not see are left out as if they did not exist, and a parent owned by a project (a
 * sample that is a container) needs write access to that project.
 * A row may refer to rows before or after it; rows are created in waves so that every parent exists first.
 */
import type { Db } from '../../db/database.js';
import { DomainError } from '../../errors/catalogue.js';
import type { Actor } from '../accounts/actor.js';
import type { FieldDefinition, FieldValues } from '../inventory/field-values.js';
import { gridSlots, normalizeSlot, slotOnGrid } from '../inventory/grid-slots.js';
import type { ItemClass } from '../inventory/inventory.schema.js';
import {
  findBarcodeHolders,
  findItemsByReference,
  findTakenSlots,
  type ItemReference,
} from '../inventory/items.service.js';
import { SAMPLE_STATUSES, type SampleStatus } from '../samples/sample-lifecycle.js';
import { listProjects, requireProjectAccess } from '../projects/projects.service.js';
import { isBlank, parseBoolean, parseCell, parseDate } from './cell-values.js';
import {
  ITEM_ATTRIBUTES,
  mapColumns,
  normalizeHeader,
  SAMPLE_ATTRIBUTES,
  type Attribute,
  type Column,
} from './csv-columns.js';
import type { CsvFile, CsvRow } from './csv-reader.js';
import { initialStatusProblem } from '../samples/sample-lifecycle.js';
import { ProblemList, WarningList, type ImportProblem } from './import-report.js';
import { TypeCatalog, type CatalogType } from './type-catalog.js';

export type ImportKind = 'items' | 'samples';

export interface ImportProgress {
  phase: 'reading' | 'checking' | 'creating';
  done: number;
  /** null while reading (the number of rows is not known yet). */
  total: number | null;
}

/** Limits of the API's single-item bodies, kept by imports too. */
const MAX_NAME = 300;
const MAX_DESCRIPTION = 20_000;
const MAX_BARCODE = 300;
const MAX_LISTED_CANDIDATES = 10;

/** Another item a row refers to: one that exists, or a row of the same file. */
export type Target = { kind: 'item'; item: ItemReference } | { kind: 'row'; plan: RowPlan };

/** One data row, checked: what to create and what it depends on. */
export interface RowPlan {
  row: number;
  type: CatalogType | null;
  keys: readonly string[];
  name: string;
  description: string;
  barcode: string | null;
  parent: Target | null;
  /** Canonical slot (B7), once checked against the parent's grid. */
  slot: string | null;
  virtual: Target | null;
  hidden: boolean;
  fields: FieldValues;
  projectId: string | null;
  collectionDate: string | null;
  status: SampleStatus | null;
  /** 0: depends on no other row; n: after the rows of wave n − 1 it depends on. */
  wave: number;
}

export interface ImportPlan {
  kind: ImportKind;
  rows: number;
  plans: RowPlan[];
  problems: ProblemList;
  warnings: WarningList;
}

interface RawRow {
  source: CsvRow;
  plan: RowPlan;
  parentText: string;
  slotText: string;
  virtualText: string;
  projectText: string;
}

/** The keys of a row when the file has no id column (shared: most files have none). */
const NO_KEYS: readonly string[] = [];

/** Whether a row has a non-blank cell at or after an index (cells past the header's columns). */
function hasValuesFrom(cells: readonly string[], from: number): boolean {
  for (let index = from; index < cells.length; index++) if (!isBlank(cells[index])) return true;
  return false;
}

/** Whitespace that `spaced` has to fix: at either end, two in a row, or other than a plain space. */
const UNSPACED = /^\s|\s$|\s\s|[^\S ]/;

/** A name as compared: trimmed, inner whitespace runs as one space, lower case. */
function spaced(text: string): string {
  const lower = text.toLowerCase();
  return UNSPACED.test(lower) ? lower.trim().replace(/\s+/g, ' ') : lower;
}

/** What a cell's problem is about: its column's attribute or field (`name`, `fields.volume_ul`, `id`). */
function fieldOfColumn(column: Column | undefined): string {
  switch (column?.target.kind) {
    case 'attribute':
      return column.target.attribute;
    case 'field':
      return `fields.${column.target.field}`;
    case 'key':
      return 'id';
    case 'guess':
      return 'fields';
    case 'ignored':
    case undefined:
      return 'cell';
  }
}

/** What a reference names: a target, or why it names none. */
type Resolved = { target: Target } | { problem: string };

function describeTarget(target: Target): string {
  return target.kind === 'item'
    ? `${target.item.humanId} (${target.item.name})`
    : `row ${target.plan.row} (${target.plan.name})`;
}

function classOf(target: Target): ItemClass | null {
  return target.kind === 'item' ? target.item.class : (target.plan.type?.itemClass ?? null);
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
  const plan: ImportPlan = { kind, rows: file.rows.length, plans: [], problems, warnings };
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
  const checker = new RowChecker(db, actor, kind, file, mapping.columns, catalog, problems, warnings);
  const raws = checker.readRows(options);
  plan.plans = raws.map((raw) => raw.plan);
  await checker.resolveProjects(raws);
  await checker.resolveReferences(raws);
  await checker.checkPlacement(raws);
  checker.assignWaves(raws);
  return plan;
}

/** The checks, phase by phase over all rows; each phase batches its queries. */
class RowChecker {
  readonly #attributeColumns = new Map<Attribute, Column>();
  readonly #keyColumns: Column[] = [];
  readonly #fieldColumns: Column[] = [];
  /** type → column index → the field the column gives for rows of the type, or null. */
  readonly #fieldOf = new Map<CatalogType, Map<number, FieldDefinition | null>>();
  readonly #columnOfField = new Map<string, Column>();
  #usedTypes: CatalogType[] = [];
  /** Row → cell index → why its text cannot be stored (rows with such cells only). */
  readonly #unstorable = new Map<number, Map<number, string>>();
  /** Rows refused for unstorable text: their other problems are not reported. */
  readonly #refusedRows = new Set<number>();
  readonly #columnAt = new Map<number, Column>();

  constructor(
    readonly db: Db,
    readonly actor: Actor,
    readonly kind: ImportKind,
    readonly file: CsvFile,
    columns: readonly Column[],
    readonly catalog: TypeCatalog,
    readonly problems: ProblemList,
    readonly warnings: WarningList,
  ) {
    for (const cell of file.unstorable) {
      const cells = this.#unstorable.get(cell.row) ?? new Map<number, string>();
      this.#unstorable.set(cell.row, cells.set(cell.column, cell.message));
    }
    for (const column of columns) {
      this.#columnAt.set(column.index, column);
      const { target } = column;
      if (target.kind === 'attribute') this.#attributeColumns.set(target.attribute, column);
      else if (target.kind === 'key') this.#keyColumns.push(column);
      else if (target.kind === 'field' || target.kind === 'guess') this.#fieldColumns.push(column);
    }
  }

  #problem(row: number, field: string, message: string, column?: Column): void {
    if (this.#refusedRows.has(row)) return;
    const problem: ImportProblem = { row, field, message };
    if (column !== undefined) problem.column = column.header;
    this.problems.add(problem);
  }

  #text(source: CsvRow, attribute: Attribute): string {
    const column = this.#attributeColumns.get(attribute);
    return column === undefined ? '' : (source.cells[column.index] ?? '');
  }

  /** The field a column gives for rows of a type (cached per column and type). */
  #fieldFor(column: Column, type: CatalogType): FieldDefinition | null {
    let ofType = this.#fieldOf.get(type);
    if (ofType === undefined) this.#fieldOf.set(type, (ofType = new Map<number, FieldDefinition | null>()));
    const cached = ofType.get(column.index);
    if (cached !== undefined) return cached;
    const { target } = column;
    let field: FieldDefinition | null = null;
    if (target.kind === 'field') {
      field =
        type.fields.find((candidate) => candidate.name === target.field) ??
        type.fields.find((candidate) => normalizeHeader(candidate.name) === normalizeHeader(target.field)) ??
        null;
    } else if (target.kind === 'guess') {
      field = type.fields.find((candidate) => normalizeHeader(candidate.name) === target.normalized) ?? null;
    }
    ofType.set(column.index, field);
    if (field !== null) {
      const other = this.#columnOfField.get(`${type.id}\u0000${field.name}`);
      if (other !== undefined && other.index !== column.index) {
        this.#problem(
          1,
          'file',
          `columns "${other.header}" and "${column.header}" both give the ${field.name} of a ${type.name}`,
        );
      } else {
        this.#columnOfField.set(`${type.id}\u0000${field.name}`, column);
      }
    }
    return field;
  }

  /** Phase 1: each row on its own (type, name, flags, fields, sample columns). */
  readRows(options: {
    signal?: AbortSignal | undefined;
    onProgress?: ((progress: ImportProgress) => void) | undefined;
  }): RawRow[] {
    const typeTexts = new Set(this.file.rows.map((source) => this.#text(source, 'type').trim()));
    this.#usedTypes = [...typeTexts].flatMap((text) => this.catalog.resolve(text).type ?? []);
    const raws: RawRow[] = [];
    const total = this.file.rows.length;
    this.file.rows.forEach((source, index) => {
      if (index % 1000 === 0) {
        options.signal?.throwIfAborted();
        options.onProgress?.({ phase: 'checking', done: index, total });
      }
      raws.push(this.#readRow(source));
    });
    options.onProgress?.({ phase: 'checking', done: total, total });
    return raws;
  }

  /**
   * Reports a row's cells of unstorable text and gives the row without them (blank), so that no query sees
   * them; the row's other problems are left for after the text is fixed.
   */
  #refuseUnstorableCells(source: CsvRow, cells: ReadonlyMap<number, string>): CsvRow {
    for (const [index, message] of cells) {
      const column = this.#columnAt.get(index);
      const problem: ImportProblem = { row: source.row, field: fieldOfColumn(column), message };
      if (column !== undefined) problem.column = column.header;
      this.problems.add(problem);
    }
    this.#refusedRows.add(source.row);
    return { row: source.row, cells: source.cells.map((cell, index) => (cells.has(index) ? '' : cell)) };
  }

  #readRow(given: CsvRow): RawRow {
    const unstorable = this.#unstorable.get(given.row);
    const source = unstorable === undefined ? given : this.#refuseUnstorableCells(given, unstorable);
    const { row } = source;
    const column = (attribute: Attribute) => this.#attributeColumns.get(attribute);
    const plan: RowPlan = {
      row,
      type: null,
      keys: this.#keyColumns.length === 0 ? NO_KEYS : this.#keysOf(source),
      name: this.#text(source, 'name').trim(),
      description: this.#text(source, 'description'),
      barcode: this.#text(source, 'barcode').trim() || null,
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
      parentText: this.#text(source, 'parent').trim(),
      slotText: this.#text(source, 'slot').trim(),
      virtualText: this.#text(source, 'virtual').trim(),
      projectText: this.#text(source, 'project').trim(),
    };
    if (hasValuesFrom(source.cells, this.file.header.length)) {
      this.#problem(
        row,
        'row',
        `has ${source.cells.length} values but the header names ${this.file.header.length} columns`,
      );
    }

    const typeText = this.#text(source, 'type').trim();
    if (typeText === '') this.#problem(row, 'type', 'is empty', column('type'));
    else {
      const resolved = this.catalog.resolve(typeText);
      if (resolved.problem !== null) this.#problem(row, 'type', resolved.problem, column('type'));
      else if (this.kind === 'samples' && resolved.type.itemClass !== 'physical')
        this.#problem(
          row,
          'type',
          `${resolved.type.name} is a virtual type; a sample is a physical thing`,
          column('type'),
        );
      else plan.type = resolved.type;
    }
    if (plan.name === '') this.#problem(row, 'name', 'is empty', column('name'));
    else if (plan.name.length > MAX_NAME)
      this.#problem(row, 'name', `is longer than ${MAX_NAME} characters`, column('name'));
    if (plan.description.length > MAX_DESCRIPTION)
      this.#problem(
        row,
        'description',
        `is longer than ${MAX_DESCRIPTION} characters`,
        column('description'),
      );
    if (plan.barcode !== null && plan.barcode.length > MAX_BARCODE)
      this.#problem(row, 'barcode', `is longer than ${MAX_BARCODE} characters`, column('barcode'));
    const hiddenText = this.#text(source, 'hidden');
    if (!isBlank(hiddenText)) {
      const hidden = parseBoolean(hiddenText);
      if (hidden === null)
        this.#problem(
          row,
          'hidden',
          `must be yes or no (true/false, 1/0), not "${hiddenText.trim()}"`,
          column('hidden'),
        );
      else plan.hidden = hidden;
    }
    if (plan.type?.itemClass === 'virtual') {
      const physicalOnly: [Attribute, boolean][] = [
        ['parent', raw.parentText !== ''],
        ['slot', raw.slotText !== ''],
        ['virtual', raw.virtualText !== ''],
        ['barcode', plan.barcode !== null],
        ['hidden', plan.hidden],
      ];
      for (const [attribute, given] of physicalOnly) {
        if (given)
          this.#problem(
            row,
            attribute,
            `a virtual item (${plan.type.name}) has no ${attribute}; only physicals do`,
            column(attribute),
          );
      }
    }
    if (plan.type !== null) this.#readFields(source, plan, plan.type);
    if (this.kind === 'samples') this.#readSampleColumns(raw);
    return raw;
  }

  /** The row's non-blank `id` / `human id` cells, trimmed. */
  #keysOf(source: CsvRow): string[] {
    return this.#keyColumns.flatMap((key) =>
      isBlank(source.cells[key.index]) ? [] : [(source.cells[key.index] ?? '').trim()],
    );
  }

  #readFields(source: CsvRow, plan: RowPlan, type: CatalogType): void {
    const values: FieldValues = {};
    // Made only for a row with a bad value, not for each of a large file's rows.
    let failed: Set<string> | null = null;
    for (const column of this.#fieldColumns) {
      const text = source.cells[column.index];
      if (text === undefined || isBlank(text)) continue;
      const field = this.#fieldFor(column, type);
      if (field === null) {
        const elsewhere = this.#usedTypes.filter((other) => this.#fieldFor(column, other) !== null);
        if (column.target.kind === 'guess' && elsewhere.length === 0) {
          const types = this.#usedTypes.map((used) => used.name).join(', ');
          this.warnings.add({
            column: column.header,
            message: `column "${column.header}" is not a field of ${types === '' ? 'any type' : types}, so its values were not imported`,
          });
        } else {
          this.#problem(
            plan.row,
            column.target.kind === 'field' ? `fields.${column.target.field}` : 'fields',
            `a ${type.name} has no field "${column.header}"${elsewhere.length > 0 ? ` (${elsewhere.map((other) => other.name).join(', ')} ${elsewhere.length === 1 ? 'has' : 'have'})` : ''}`,
            column,
          );
        }
        continue;
      }
      const parsed = parseCell(field, text);
      if (parsed.problem === null) values[field.name] = parsed.value;
      else {
        (failed ??= new Set()).add(field.name);
        this.#problem(plan.row, `fields.${field.name}`, parsed.problem, column);
      }
    }
    // parseCell gave every value its field's kind (and choices an option); what is left is required fields.
    for (const field of type.fields) {
      if (field.required && (values[field.name] === undefined || values[field.name] === '')) {
        const reported = this.#columnOfField.get(`${type.id}\u0000${field.name}`);
        if (failed?.has(field.name) !== true)
          this.#problem(plan.row, `fields.${field.name}`, 'is required', reported);
      }
    }
    plan.fields = values;
  }

  #readSampleColumns(raw: RawRow): void {
    const { plan, source } = raw;
    const column = (attribute: Attribute) => this.#attributeColumns.get(attribute);
    if (raw.projectText === '') this.#problem(plan.row, 'project', 'is empty', column('project'));
    const dateText = this.#text(source, 'collectionDate');
    if (!isBlank(dateText)) {
      plan.collectionDate = parseDate(dateText);
      if (plan.collectionDate === null)
        this.#problem(
          plan.row,
          'collectionDate',
          `must be a date written YYYY-MM-DD, not "${dateText.trim()}"`,
          column('collectionDate'),
        );
    }
    const statusText = this.#text(source, 'status');
    if (!isBlank(statusText)) {
      const wanted = normalizeHeader(statusText);
      plan.status = SAMPLE_STATUSES.find((status) => normalizeHeader(status) === wanted) ?? null;
      if (plan.status === null)
        this.#problem(
          plan.row,
          'status',
          `must be one of ${SAMPLE_STATUSES.join(', ')}, not "${statusText.trim()}"`,
          column('status'),
        );
      else {
        // The samples service's rule for new samples, so that a dry run reports it too.
        const problem = initialStatusProblem(plan.status, raw.parentText !== '');
        if (problem !== null) this.#problem(plan.row, 'status', problem, column('status'));
      }
    }
  }

  /** Phase 2 (samples): projects by id or name, each checked for write access once. */
  async resolveProjects(raws: readonly RawRow[]): Promise<void> {
    if (this.kind !== 'samples') return;
    const resolved = new Map<string, { id: string } | { problem: string }>();
    for (const text of new Set(raws.map((raw) => raw.projectText).filter((text) => text !== ''))) {
      resolved.set(text, await this.#resolveProject(text));
    }
    for (const raw of raws) {
      const result = resolved.get(raw.projectText);
      if (result === undefined) continue;
      if ('id' in result) raw.plan.projectId = result.id;
      else this.#problem(raw.plan.row, 'project', result.problem, this.#attributeColumns.get('project'));
    }
  }

  async #resolveProject(text: string): Promise<{ id: string } | { problem: string }> {
    const access = async (id: string, label: string) => {
      try {
        await requireProjectAccess(this.db, this.actor, id, 'write');
        return { id };
      } catch (error) {
        if (!(error instanceof DomainError) || error.status !== 403) throw error;
        return { problem: `you may not add samples to project ${label}: ${error.message}` };
      }
    };
    try {
      await requireProjectAccess(this.db, this.actor, text, 'read');
      return await access(text, text);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status !== 404) throw error;
    }
    const page = await listProjects(this.db, this.actor, { q: text.replace(/\s+/g, ' '), limit: 50 });
    const matches = page.items.filter((project) => spaced(project.name) === spaced(text));
    const [only] = matches;
    if (only === undefined || matches.length > 1) {
      return matches.length > 1
        ? { problem: `project "${text}" could be any of ${matches.map((p) => p.id).join(', ')}; give its id` }
        : { problem: `project "${text}" not found` };
    }
    return access(only.id, `"${only.name}"`);
  }

  /** Phase 3: parents and virtuals, in the file and in the database (one batched lookup). */
  async resolveReferences(raws: readonly RawRow[]): Promise<void> {
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
          this.#problem(
            plan.row,
            'id',
            `${key} is also the id of row ${earlier[0].row}`,
            this.#keyColumns[0],
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
    const found = await findItemsByReference(this.db, this.actor, texts);
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

    const cache = { physical: new Map<string, Resolved>(), virtual: new Map<string, Resolved>() };
    const resolve = (text: string, wanted: ItemClass): Resolved => {
      const cached = cache[wanted].get(text);
      if (cached !== undefined) return cached;
      const result = resolveReference(text, wanted);
      cache[wanted].set(text, result);
      return result;
    };
    const exactTarget = (text: string): Target | undefined => {
      const keyed = byKey.get(text)?.[0];
      if (keyed !== undefined) return { kind: 'row', plan: keyed };
      const item = itemById.get(text) ?? itemByHumanId.get(text.toUpperCase()) ?? itemByBarcode.get(text);
      if (item !== undefined) return { kind: 'item', item };
      const barcoded = byBarcode.get(text);
      if (barcoded?.length === 1 && barcoded[0] !== undefined) return { kind: 'row', plan: barcoded[0] };
      return undefined;
    };
    const resolveReference = (text: string, wanted: ItemClass): Resolved => {
      const exact = exactTarget(text);
      if (exact !== undefined) {
        const found = classOf(exact);
        if (found !== null && found !== wanted) return { problem: wrongClass(describeTarget(exact), wanted) };
        return { target: exact };
      }
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
      if (other !== undefined) return { problem: wrongClass(describeTarget(other), wanted) };
      return { problem: `there is no item "${text}" (give a human id, barcode, id or unique name)` };
    };

    for (const raw of raws) {
      const { plan } = raw;
      if (raw.parentText !== '' && plan.type?.itemClass !== 'virtual') {
        const result = resolve(raw.parentText, 'physical');
        if ('problem' in result)
          this.#problem(plan.row, 'parent', result.problem, this.#attributeColumns.get('parent'));
        else if (result.target.kind === 'row' && result.target.plan === plan)
          this.#problem(
            plan.row,
            'parent',
            'a row cannot be its own parent',
            this.#attributeColumns.get('parent'),
          );
        else if (result.target.kind === 'item' && !result.target.item.writable)
          this.#problem(
            plan.row,
            'parent',
            `you may not put items into ${describeTarget(result.target)}: its project gives you read access only`,
            this.#attributeColumns.get('parent'),
          );
        else plan.parent = result.target;
      }
      if (raw.virtualText !== '' && plan.type?.itemClass !== 'virtual') {
        const result = resolve(raw.virtualText, 'virtual');
        if ('problem' in result)
          this.#problem(plan.row, 'virtual', result.problem, this.#attributeColumns.get('virtual'));
        else plan.virtual = result.target;
      } else if (raw.virtualText === '' && plan.type?.requiresVirtual === true) {
        this.#problem(
          plan.row,
          'virtual',
          `is required: every ${plan.type.name} is an instance of a virtual`,
          this.#attributeColumns.get('virtual'),
        );
      }
    }
  }

  /** Phase 4: slots against grids and each other, barcodes against each other and the database. */
  async checkPlacement(raws: readonly RawRow[]): Promise<void> {
    const slotColumn = this.#attributeColumns.get('slot');
    const barcodeColumn = this.#attributeColumns.get('barcode');
    const existingParents = new Set<string>();
    for (const raw of raws)
      if (raw.slotText !== '' && raw.plan.parent?.kind === 'item')
        existingParents.add(raw.plan.parent.item.id);
    // Slots by parent (the parent's item id or its row's plan), then by slot name.
    const taken = new Map<string, Map<string, string>>();
    for (const held of await findTakenSlots(this.db, this.actor, [...existingParents])) {
      const slots = taken.get(held.parentId) ?? new Map<string, string>();
      slots.set(held.slot, held.humanId);
      taken.set(held.parentId, slots);
    }
    const claimed = new Map<object, Map<string, number>>();
    for (const raw of raws) {
      const { plan } = raw;
      if (raw.slotText === '' || plan.type?.itemClass === 'virtual') continue;
      const parent = plan.parent;
      if (parent === null) {
        if (raw.parentText === '') this.#problem(plan.row, 'slot', 'a slot needs a parent', slotColumn);
        continue;
      }
      const grid = parent.kind === 'item' ? parent.item.grid : (parent.plan.type?.grid ?? null);
      const typeName = parent.kind === 'item' ? parent.item.typeName : (parent.plan.type?.name ?? null);
      if (typeName === null) continue; // the parent row's own type is wrong; that row says so
      if (grid === null) {
        this.#problem(
          plan.row,
          'slot',
          `${describeTarget(parent)} (${typeName}) has no grid slots`,
          slotColumn,
        );
        continue;
      }
      const slot = normalizeSlot(raw.slotText);
      if (slot === null || !slotOnGrid(slot, grid)) {
        const all = gridSlots(grid);
        this.#problem(
          plan.row,
          'slot',
          `${describeTarget(parent)} (${typeName}) has no slot ${raw.slotText}; its slots are ${all[0]}…${all.at(-1)}`,
          slotColumn,
        );
        continue;
      }
      plan.slot = slot;
      const holder = parent.kind === 'item' ? taken.get(parent.item.id)?.get(slot) : undefined;
      const parentObject = parent.kind === 'item' ? parent.item : parent.plan;
      let claimedSlots = claimed.get(parentObject);
      if (claimedSlots === undefined) claimed.set(parentObject, (claimedSlots = new Map<string, number>()));
      const earlier = claimedSlots.get(slot);
      if (holder !== undefined)
        this.#problem(
          plan.row,
          'slot',
          `slot ${slot} of ${describeTarget(parent)} is taken by ${holder}`,
          slotColumn,
        );
      else if (earlier !== undefined)
        this.#problem(
          plan.row,
          'slot',
          `slot ${slot} of ${describeTarget(parent)} is also given to row ${earlier}`,
          slotColumn,
        );
      else claimedSlots.set(slot, plan.row);
    }

    const barcodes: string[] = [];
    for (const raw of raws) if (raw.plan.barcode !== null) barcodes.push(raw.plan.barcode);
    const holders = await findBarcodeHolders(this.db, this.actor, barcodes);
    const firstRowOf = new Map<string, number>();
    for (const { plan } of raws) {
      if (plan.barcode === null || plan.type?.itemClass === 'virtual') continue;
      const holder = holders.get(plan.barcode);
      const earlier = firstRowOf.get(plan.barcode);
      if (holder !== undefined)
        this.#problem(plan.row, 'barcode', `barcode ${plan.barcode} is already on ${holder}`, barcodeColumn);
      else if (earlier !== undefined)
        this.#problem(
          plan.row,
          'barcode',
          `barcode ${plan.barcode} is also on row ${earlier}`,
          barcodeColumn,
        );
      else firstRowOf.set(plan.barcode, plan.row);
    }
  }

  /** Phase 5: the wave of each row (after the rows it refers to); a loop of rows is a problem on each. */
  assignWaves(raws: readonly RawRow[]): void {
    const state = new Map<RowPlan, 'visiting' | 'done'>();
    const NONE: RowPlan[] = [];
    const dependencies = (plan: RowPlan): RowPlan[] => {
      const parent = plan.parent?.kind === 'row' ? plan.parent.plan : null;
      const virtual = plan.virtual?.kind === 'row' ? plan.virtual.plan : null;
      if (parent === null) return virtual === null ? NONE : [virtual];
      return virtual === null ? [parent] : [parent, virtual];
    };
    /** The wave of a row whose dependencies all have theirs (most rows, in file order), else null. */
    const settledWave = (plan: RowPlan): number | null => {
      let wave = 0;
      for (const dep of dependencies(plan)) {
        if (state.get(dep) !== 'done') return null;
        wave = Math.max(wave, dep.wave + 1);
      }
      return wave;
    };
    type Frame = { plan: RowPlan; deps: RowPlan[]; next: number };
    for (const { plan: start } of raws) {
      if (state.has(start)) continue;
      const settled = settledWave(start);
      if (settled !== null) {
        start.wave = settled;
        state.set(start, 'done');
        continue;
      }
      // Depth-first without recursion: a chain of nested rows can be as long as the file.
      const stack: Frame[] = [{ plan: start, deps: dependencies(start), next: 0 }];
      state.set(start, 'visiting');
      while (stack.length > 0) {
        const frame = stack[stack.length - 1] as Frame;
        const dep = frame.deps[frame.next++];
        if (dep === undefined) {
          let wave = 0;
          for (const d of frame.deps) wave = Math.max(wave, d.wave + 1);
          frame.plan.wave = wave;
          state.set(frame.plan, 'done');
          stack.pop();
        } else if (state.get(dep) === 'visiting') {
          const loop = stack.slice(stack.findIndex((f) => f.plan === dep)).map((f) => f.plan);
          const path = [...loop, dep].map((p) => p.row).join(' → ');
          for (const member of loop)
            this.#problem(
              member.row,
              'parent',
              `rows ${path} are inside each other`,
              this.#attributeColumns.get('parent'),
            );
          for (const member of loop) {
            if (member.parent?.kind === 'row' && loop.includes(member.parent.plan)) member.parent = null;
            if (member.virtual?.kind === 'row' && loop.includes(member.virtual.plan)) member.virtual = null;
          }
          // Re-read the dependencies of every frame of the loop, now without it.
          for (const f of stack) {
            f.deps = dependencies(f.plan);
            f.next = 0;
          }
        } else if (state.get(dep) === undefined) {
          state.set(dep, 'visiting');
          stack.push({ plan: dep, deps: dependencies(dep), next: 0 });
        }
      }
    }
  }
}

function wrongClass(label: string, wanted: ItemClass): string {
  return wanted === 'physical'
    ? `${label} is a virtual item; only physicals hold things`
    : `${label} is a physical item, not a virtual one`;
}
