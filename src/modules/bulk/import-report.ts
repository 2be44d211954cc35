/**
 * What an import says back: every bad row by number and reason (capped, with a count of the rest), warnings,
 * and on success what was created. A rejected import is a 422 whose problem document lists the same rows.
 */
import { DomainError } from '../../errors/catalogue.js';

/** Problems listed in a report; the rest are only counted. */
export const MAX_LISTED_PROBLEMS = 1000;
/** Created items listed in a report; the rest are only counted. */
export const MAX_LISTED_ITEMS = 1000;

export interface ImportProblem {
  /**
   * The row as a spreadsheet numbers it (the header is row 1, the first data row is row 2); for JSON imports
   * the entry's position, from 1.
   */
  row: number;
  /** The column's header as written in the file. */
  column?: string;
  /** What the problem is about: `type`, `parent`, `fields.volume_ul`, … (`file` for the file as a whole). */
  field: string;
  message: string;
}

export interface ImportWarning {
  row?: number;
  column?: string;
  message: string;
}

export interface ImportReport {
  dryRun: boolean;
  /** Data rows (or entries) read, blank rows not counted. */
  rows: number;
  valid: boolean;
  created: number;
  /** Existing items changed (FASTA imports update the sequences of items they name). */
  updated?: number;
  /** Rows (or entries) with at least one problem. */
  invalidRows: number;
  errors: ImportProblem[];
  /** Problems beyond the listed ones. */
  moreErrors: number;
  warnings: ImportWarning[];
  /** What was created, by row, in row order (a real import only). */
  items?: { row: number; id: string; humanId: string }[];
  moreItems?: number;
}

/** Collects problems; a report lists the first ones by row and counts the rest. */
export class ProblemList {
  readonly #all: ImportProblem[] = [];
  readonly badRows = new Set<number>();

  add(problem: ImportProblem): void {
    this.badRows.add(problem.row);
    this.#all.push(problem);
  }

  get count(): number {
    return this.#all.length;
  }

  /** The first problems in row order (they are found check by check, not row by row). */
  listed(): ImportProblem[] {
    return [...this.#all].sort((a, b) => a.row - b.row).slice(0, MAX_LISTED_PROBLEMS);
  }
}

/** Collects warnings, each message once. */
export class WarningList {
  readonly #seen = new Set<string>();
  readonly listed: ImportWarning[] = [];

  add(warning: ImportWarning): void {
    const key = `${warning.column ?? ''}\u0000${warning.message}`;
    if (this.#seen.has(key) || this.listed.length >= MAX_LISTED_PROBLEMS) return;
    this.#seen.add(key);
    this.listed.push(warning);
  }
}

/** A real import with bad rows: 422, nothing written; `errors` lists the rows as the dry run does. */
export class ImportRejected extends DomainError {
  constructor(readonly report: ImportReport) {
    const first = report.errors[0];
    super(
      'import_invalid',
      `${report.invalidRows} of ${report.rows} rows have problems, so nothing was imported` +
        (first === undefined
          ? ''
          : ` (first: row ${first.row}${first.column === undefined ? '' : `, ${first.column}`}: ${first.message})`) +
        (report.moreErrors > 0 ? `; ${report.moreErrors} more problems are not listed` : ''),
      report.errors,
    );
  }
}

/** The report of an import that was checked (dry run) or refused. */
export function problemReport(
  dryRun: boolean,
  rows: number,
  problems: ProblemList,
  warnings: WarningList,
): ImportReport {
  const errors = problems.listed();
  return {
    dryRun,
    rows,
    valid: problems.count === 0,
    created: 0,
    invalidRows: problems.badRows.size,
    errors,
    moreErrors: problems.count - errors.length,
    warnings: warnings.listed,
  };
}
