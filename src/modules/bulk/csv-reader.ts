/**
 * Reads CSV text or a byte stream into rows numbered as a spreadsheet numbers them (the header is row 1;
 * quoted line breaks stay inside their row; blank rows are skipped but keep their numbers). The delimiter
 * (comma, semicolon or tab) is taken from the header line, as spreadsheets in some locales write semicolons.
 * Cells holding text the databases cannot store (db/storable-text.ts) are listed with their row and column, so
 * that a dry run and a real import report them alike; the cells are only looked at one by one when the text
 * read has such a character at all.
 */
import { Readable } from 'node:stream';
import { CsvError, parse, type Options } from 'csv-parse';
import { parse as parseText } from 'csv-parse/sync';
import { unstorableTextProblem } from '../../db/storable-text.js';
import { fromSpreadsheetCell } from './cell-values.js';
import { parseCsvText } from './csv-text.js';

/** More rows than this are refused: split the file. */
export const MAX_IMPORT_ROWS = 1_000_000;

export interface CsvRow {
  /** 1 for the header, 2 for the first data row, … */
  row: number;
  cells: string[];
}

/** A cell (header cells included) whose text cannot be stored. */
export interface UnstorableCell {
  row: number;
  /** The cell's index in its row, from 0. */
  column: number;
  message: string;
}

export interface CsvFile {
  header: string[];
  rows: CsvRow[];
  /** Why reading stopped early (malformed CSV, too many rows), with the row it stopped at. */
  problem: { row: number; message: string } | null;
  unstorable: UnstorableCell[];
}

export type CsvSource = string | AsyncIterable<Buffer | string>;

/** Bytes that are not UTF-8, found at or after `offset` (the start of the chunk that held them). */
class NotUtf8 extends Error {
  constructor(readonly offset: number) {
    super(`bytes after byte ${offset} are not UTF-8`);
  }
}

/**
 * The source's text. Bytes are decoded strictly: a file in another encoding stops with `NotUtf8` rather than
 * turning its accented letters into U+FFFD without a word (a U+FFFD written as UTF-8 is kept as it is).
 */
async function* textChunks(source: CsvSource): AsyncGenerator<string> {
  if (typeof source === 'string') {
    yield source;
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let offset = 0;
  const decode = (bytes?: Buffer) => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch (error) {
      if (error instanceof TypeError) throw new NotUtf8(offset);
      throw error;
    }
  };
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      yield chunk;
      continue;
    }
    const text = decode(chunk);
    offset += chunk.length;
    if (text !== '') yield text;
  }
  const rest = decode();
  if (rest !== '') yield rest;
}

/** The delimiter used most outside quotes on the first line. */
function sniffDelimiter(firstLine: string): string {
  const counts = new Map([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

function parseOptions(firstLine: string): Options {
  return { delimiter: sniffDelimiter(firstLine), bom: true, relax_column_count: true };
}

function firstLineOf(text: string): string {
  return text.replace(/^\uFEFF/, '').split(/\r?\n|\r/, 1)[0] ?? '';
}

/** Collects records into a file: numbers rows, skips blank ones, stops past the row limit. */
class FileBuilder {
  readonly file: CsvFile = { header: [], rows: [], problem: null, unstorable: [] };
  row = 0;
  /** Set as soon as the text read holds a character that cannot be stored, before its record is added. */
  checkCells = false;

  constructor(readonly onRow?: (rowsRead: number) => void) {}

  /** Notes text about to be parsed: its cells are checked from then on if it holds unstorable text. */
  noteText(text: string): void {
    if (!this.checkCells && unstorableTextProblem(text) !== null) this.checkCells = true;
  }

  /** Adds a record; false when the file is too long to go on. */
  add(record: string[]): boolean {
    this.row++;
    if (this.checkCells) {
      record.forEach((cell, column) => {
        const message = unstorableTextProblem(cell);
        if (message !== null) this.file.unstorable.push({ row: this.row, column, message });
      });
    }
    if (this.row === 1) {
      this.file.header = record;
      return true;
    }
    if (record.every((cell) => cell.trim() === '')) return true;
    if (this.file.rows.length >= MAX_IMPORT_ROWS) {
      this.file.problem = {
        row: this.row,
        message: `the file has more than ${MAX_IMPORT_ROWS} rows; split it`,
      };
      return false;
    }
    this.file.rows.push({ row: this.row, cells: record.map(fromSpreadsheetCell) });
    if (this.onRow !== undefined && this.row % 1000 === 0) this.onRow(this.file.rows.length);
    return true;
  }

  fail(error: unknown): void {
    if (error instanceof NotUtf8) {
      this.file.problem = {
        row: this.row + 1,
        message: `the file is not UTF-8 text (${error.message}): save it as "CSV UTF-8" and import it again`,
      };
      return;
    }
    if (!(error instanceof CsvError)) throw error;
    this.file.problem = { row: this.row + 1, message: `the file is not valid CSV here: ${error.message}` };
  }
}

/**
 * Reads the whole file (text at once, a stream as it arrives); `onRow` is told how many rows have been read
 * (every 1,000) and may throw to stop.
 */
export async function readCsv(source: CsvSource, onRow?: (rowsRead: number) => void): Promise<CsvFile> {
  const builder = new FileBuilder(onRow);
  if (typeof source === 'string') {
    builder.noteText(source);
    const options = parseOptions(firstLineOf(source));
    let records: string[][] = [];
    try {
      records = parseCsvText(source, String(options.delimiter)) ?? parseText(source, options);
    } catch {
      // Read it again record by record, to keep the rows before the malformed one.
      return readCsv(Readable.from([source]), onRow);
    }
    for (const record of records) if (!builder.add(record)) break;
    return builder.file;
  }
  const chunks = textChunks(source);
  let head = '';
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done === true) break;
      head += next.value;
      if (/[\r\n]/.test(head)) break;
    }
  } catch (error) {
    builder.fail(error);
    return builder.file;
  }
  builder.noteText(head);
  // Text that is not UTF-8 ends the text here (a stream's error would not reach the parser through pipe):
  // the rows before it are read, and the problem says where reading stopped.
  let notUtf8: NotUtf8 | null = null;
  async function* rejoined(): AsyncGenerator<string> {
    if (head !== '') yield head;
    try {
      for await (const chunk of chunks) {
        builder.noteText(chunk);
        yield chunk;
      }
    } catch (error) {
      if (!(error instanceof NotUtf8)) throw error;
      notUtf8 = error;
    }
  }
  const parser = Readable.from(rejoined()).pipe(parse(parseOptions(firstLineOf(head))));
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!builder.add(record)) {
        parser.destroy();
        break;
      }
    }
  } catch (error) {
    builder.fail(error);
  }
  if (notUtf8 !== null) builder.fail(notUtf8);
  return builder.file;
}
