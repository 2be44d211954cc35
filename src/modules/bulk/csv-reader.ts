/**
 * Reads CSV text or a byte stream into rows numbered as a spreadsheet numbers them (the header is row 1;
 * quoted line breaks stay inside their row; blank rows are skipped but keep their numbers). The delimiter
 * (comma, semicolon or tab) is taken from the header line, as spreadsheets in some locales write semicolons.
 */
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse } from 'csv-parse';

/** More rows than this are refused: split the file. */
export const MAX_IMPORT_ROWS = 1_000_000;

export interface CsvRow {
  /** 1 for the header, 2 for the first data row, … */
  row: number;
  cells: string[];
}

export interface CsvFile {
  header: string[];
  rows: CsvRow[];
  /** Why reading stopped early (malformed CSV, too many rows), with the row it stopped at. */
  problem: { row: number; message: string } | null;
}

export type CsvSource = string | AsyncIterable<Buffer | string>;

async function* textChunks(source: CsvSource): AsyncGenerator<string> {
  if (typeof source === 'string') {
    yield source;
    return;
  }
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source) yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  const rest = decoder.end();
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

/** Reads the whole file; `onRow` is told how many rows have been read (every 1,000) and may throw to stop. */
export async function readCsv(source: CsvSource, onRow?: (rowsRead: number) => void): Promise<CsvFile> {
  const chunks = textChunks(source);
  let head = '';
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) break;
    head += next.value;
    if (/[\r\n]/.test(head)) break;
  }
  const firstLine = head.replace(/^\uFEFF/, '').split(/\r?\n|\r/, 1)[0] ?? '';
  async function* rejoined(): AsyncGenerator<string> {
    if (head !== '') yield head;
    yield* chunks;
  }
  const parser = Readable.from(rejoined()).pipe(
    parse({ delimiter: sniffDelimiter(firstLine), bom: true, relax_column_count: true }),
  );
  const file: CsvFile = { header: [], rows: [], problem: null };
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (row === 1) {
        file.header = record;
        continue;
      }
      if (record.every((cell) => cell.trim() === '')) continue;
      if (file.rows.length >= MAX_IMPORT_ROWS) {
        file.problem = { row, message: `the file has more than ${MAX_IMPORT_ROWS} rows; split it` };
        parser.destroy();
        break;
      }
      file.rows.push({ row, cells: record });
      if (onRow !== undefined && row % 1000 === 0) onRow(file.rows.length);
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    file.problem = { row: row + 1, message: `the file is not valid CSV here: ${error.message}` };
  }
  return file;
}
