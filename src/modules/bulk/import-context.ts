/**
 * What the phases of an import's check share (import-plan.ts runs them): the file and its columns, the
 * types to resolve against, and the problems and warnings reported so far, by row and column.
 */
import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import type { FieldDefinition, FieldValues } from '../inventory/field-values.js';
import type { ItemReference } from '../inventory/items.service.js';
import type { SampleStatus } from '../samples/sample-lifecycle.js';
import { normalizeHeader, type Attribute, type Column } from './csv-columns.js';
import type { CsvFile, CsvRow } from './csv-reader.js';
import type { ImportProblem, ProblemList, WarningList } from './import-report.js';
import type { CatalogType, TypeCatalog } from './type-catalog.js';

export type ImportKind = 'items' | 'samples';

export interface ImportProgress {
  phase: 'reading' | 'checking' | 'creating';
  done: number;
  /** null while reading (the number of rows is not known yet). */
  total: number | null;
}

/**
 * Another item a row refers to: one that exists, a row of the same file, or text that names nothing, which
 * the item rules refuse as they refuse an unknown id.
 */
export type Target =
  { kind: 'item'; item: ItemReference } | { kind: 'row'; plan: RowPlan } | { kind: 'missing'; text: string };

/** One data row, checked: what to create and what it depends on. */
export interface RowPlan {
  row: number;
  /** The row's position among the file's rows: its input in the batch the item rules check. */
  index: number;
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
  /** The cells' values as candidates (`3.5` a number, `yes` true), checked by the item rules. */
  fields: FieldValues;
  projectId: string | null;
  collectionDate: string | null;
  status: SampleStatus | null;
  /** 0: depends on no other row; n: after the rows of wave n − 1 it depends on. */
  wave: number;
}

/** A row as read, with the texts its references are resolved from. */
export interface RawRow {
  source: CsvRow;
  plan: RowPlan;
  parentText: string;
  slotText: string;
  virtualText: string;
  projectText: string;
}

/** What a cell's problem is about: its column's attribute or field (`name`, `fields.volume_ul`, `id`). */
export function fieldOfColumn(column: Column | undefined): string {
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

/** One import's check in progress: the file, its columns, and what has been reported. */
export class ImportContext {
  readonly attributeColumns = new Map<Attribute, Column>();
  readonly keyColumns: Column[] = [];
  readonly fieldColumns: Column[] = [];
  readonly columnAt = new Map<number, Column>();
  /** Rows refused for unstorable text: their other problems are not reported. */
  readonly refusedRows = new Set<number>();
  /** `row \0 field` of every problem reported, so that a later phase does not report one twice. */
  readonly reportedFields = new Set<string>();
  /** type → column index → the field the column gives for rows of the type, or null. */
  readonly #fieldOf = new Map<CatalogType, Map<number, FieldDefinition | null>>();
  readonly #columnOfField = new Map<string, Column>();

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
    for (const column of columns) {
      this.columnAt.set(column.index, column);
      const { target } = column;
      if (target.kind === 'attribute') this.attributeColumns.set(target.attribute, column);
      else if (target.kind === 'key') this.keyColumns.push(column);
      else if (target.kind === 'field' || target.kind === 'guess') this.fieldColumns.push(column);
    }
  }

  /** Reports a problem of a row (unless the row was refused for its text). */
  problem(row: number, field: string, message: string, column?: Column): void {
    if (this.refusedRows.has(row)) return;
    const problem: ImportProblem = { row, field, message };
    if (column !== undefined) problem.column = column.header;
    this.problems.add(problem);
    this.reportedFields.add(`${row}\u0000${field}`);
  }

  column(attribute: Attribute): Column | undefined {
    return this.attributeColumns.get(attribute);
  }

  /** The text of a row's cell for an attribute ('' without such a column). */
  text(source: CsvRow, attribute: Attribute): string {
    const column = this.attributeColumns.get(attribute);
    return column === undefined ? '' : (source.cells[column.index] ?? '');
  }

  /** The column that gives a field of a type, if one does. */
  columnOfField(type: CatalogType, field: string): Column | undefined {
    return this.#columnOfField.get(`${type.id}\u0000${field}`);
  }

  /** The field a column gives for rows of a type (cached per column and type). */
  fieldFor(column: Column, type: CatalogType): FieldDefinition | null {
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
        this.problem(
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
}
