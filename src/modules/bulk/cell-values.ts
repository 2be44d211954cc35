/**
 * Values of import cells as people type them into spreadsheets: numbers (`12`, `-0.5`, `1e3`), booleans
 * (yes/no, true/false, y/n, 1/0), dates (YYYY-MM-DD) and choices (any case), turned into the typed values an
 * item's fields hold. Text is kept as written; an empty cell is no value.
 */
import type { FieldDefinition, FieldValue } from '../inventory/field-values.js';

export type CellValue = { value: FieldValue; problem: null } | { value: null; problem: string };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const TRUE_WORDS = ['yes', 'y', 'true', 't', '1'];
const FALSE_WORDS = ['no', 'n', 'false', 'f', '0'];

/** yes/no, true/false, y/n, t/f, 1/0 in any case; null for anything else. */
export function parseBoolean(text: string): boolean | null {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A calendar date written YYYY-MM-DD (single-digit month and day allowed), canonical; null if not one. */
export function parseDate(text: string): string | null {
  const match = DATE.exec(text.trim());
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  // Years before 100 are refused as the inventory's own check refuses them (Date maps them to 19xx).
  if (days === undefined || day < 1 || day > days || year < 100) return null;
  return `${match[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whether a cell holds nothing (blank or only spaces). */
export function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/** The typed value of a cell for a field, or why it is not one (the caller names the field). */
export function parseCell(field: FieldDefinition, text: string): CellValue {
  const trimmed = text.trim();
  switch (field.kind) {
    case 'text':
      return { value: text, problem: null };
    case 'number': {
      const value = Number(trimmed);
      return NUMBER.test(trimmed) && Number.isFinite(value)
        ? { value, problem: null }
        : { value: null, problem: `must be a number, not "${trimmed}"` };
    }
    case 'boolean': {
      const value = parseBoolean(trimmed);
      return value === null
        ? { value: null, problem: `must be yes or no (true/false, 1/0), not "${trimmed}"` }
        : { value, problem: null };
    }
    case 'date': {
      const value = parseDate(trimmed);
      return value === null
        ? { value: null, problem: `must be a date written YYYY-MM-DD, not "${trimmed}"` }
        : { value, problem: null };
    }
    case 'choice': {
      const options = field.options ?? [];
      const value =
        options.find((option) => option === trimmed) ??
        options.find((option) => option.toLowerCase() === trimmed.toLowerCase());
      return value === undefined
        ? { value: null, problem: `must be one of ${options.join(', ')}, not "${trimmed}"` }
        : { value, problem: null };
    }
  }
}

/** How an export writes a field value so that `parseCell` reads it back unchanged. */
export function formatCell(value: FieldValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** What a spreadsheet takes for the start of a formula when it opens a CSV file. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell an export writes safely for spreadsheets (CSV formula injection): text that a spreadsheet would run
 * as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `-80 freezer`) gets a leading apostrophe, the spreadsheets' own
 * "this is text" mark; numbers (`-80`, `+1.5`) stay as they are. Imports take the mark off again.
 */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text;
}

/** An imported cell without the apostrophe `spreadsheetSafe` (or a person, in a spreadsheet) put before a formula character. */
export function fromSpreadsheetCell(text: string): string {
  return text.charCodeAt(0) === 39 && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}
