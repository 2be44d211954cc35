/**
 * Values of import cells as people type them into spreadsheets: numbers (`12`, `-0.5`, `1e3`), booleans
 * (yes/no, true/false, y/n, 1/0), dates (YYYY-MM-DD) and choices (any case), turned into the typed values an
 * item's fields hold; whether a value is right for its field is the item rules' to say (inventory's
 * field-values.ts). Text is kept as written; an empty cell is no value.
 */
import type { FieldDefinition, FieldValue } from '../inventory/field-values.js';

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

/**
 * What a cell says for a field, as the value the item rules then check: numbers, yes/no, dates and choices as
 * people write them become the field's kind (`3.5` → 3.5, `Yes` → true, `2024-3-7` → 2024-03-07, `frozen` →
 * Frozen); text stays as written, and a cell that is none of these is given as its text, which the rules
 * refuse for the field (`must be a number, not "abc"`).
 */
export function candidateValue(field: FieldDefinition, text: string): FieldValue {
  const trimmed = text.trim();
  switch (field.kind) {
    case 'text':
    case 'sequence':
      return text;
    case 'number': {
      const value = Number(trimmed);
      return NUMBER.test(trimmed) && Number.isFinite(value) ? value : trimmed;
    }
    case 'boolean':
      return parseBoolean(trimmed) ?? trimmed;
    case 'date':
      return parseDate(trimmed) ?? trimmed;
    case 'choice': {
      const options = field.options ?? [];
      return (
        options.find((option) => option === trimmed) ??
        options.find((option) => option.toLowerCase() === trimmed.toLowerCase()) ??
        trimmed
      );
    }
  }
}

/** How an export writes a field value so that `candidateValue` reads it back unchanged. */
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
