/**
 * Reads FASTA text or a byte stream into its entries: `>id description` header lines, each followed by the
 * lines of its sequence (joined, whitespace dropped; checking the letters is the importer's work, against the
 * field's alphabet). `;` comment lines of old FASTA files are skipped. Anything but blank lines before the
 * first header, an entry without sequence and a header without id are problems named by line.
 */

/** More entries than this are refused: split the file. */
export const MAX_FASTA_ENTRIES = 1_000_000;

export interface FastaEntry {
  /** Position in the file, from 1. */
  entry: number;
  /** The header's line number, from 1. */
  line: number;
  /** The header's first word. */
  id: string;
  /** The rest of the header line, trimmed (may be empty). */
  description: string;
  sequence: string;
}

export interface FastaFile {
  entries: FastaEntry[];
  problems: { entry: number; line: number; message: string }[];
}

export type FastaSource = string | AsyncIterable<Buffer | string>;

async function* linesOf(source: FastaSource): AsyncGenerator<string> {
  if (typeof source === 'string') {
    yield* source.split(/\r?\n/);
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let rest = '';
  for await (const chunk of source) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const lines = rest.split(/\r?\n/);
    rest = lines.pop() ?? '';
    yield* lines;
  }
  rest += decoder.decode();
  yield* rest.split(/\r?\n/);
}

/** Reads a whole FASTA file; bytes that are not UTF-8 make a problem, not an exception. */
export async function readFasta(
  source: FastaSource,
  onProgress?: (entries: number) => void,
): Promise<FastaFile> {
  const file: FastaFile = { entries: [], problems: [] };
  let current: (FastaEntry & { parts: string[] }) | null = null;
  let lineNumber = 0;
  const finish = () => {
    if (current === null) return;
    const { parts, ...entry } = current;
    entry.sequence = parts.join('');
    if (entry.sequence === '') {
      file.problems.push({ entry: entry.entry, line: entry.line, message: `${entry.id} has no sequence` });
    }
    file.entries.push(entry);
    if (file.entries.length % 1000 === 0) onProgress?.(file.entries.length);
  };
  try {
    for await (const raw of linesOf(source)) {
      lineNumber++;
      const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.startsWith(';')) continue;
      if (line.startsWith('>')) {
        finish();
        if (file.entries.length >= MAX_FASTA_ENTRIES) {
          file.problems.push({
            entry: file.entries.length + 1,
            line: lineNumber,
            message: `more than ${MAX_FASTA_ENTRIES.toLocaleString('en')} entries: split the file`,
          });
          current = null;
          break;
        }
        const header = line.slice(1).trim();
        const space = header.search(/\s/);
        const id = space === -1 ? header : header.slice(0, space);
        const entry = file.entries.length + 1;
        if (id === '') file.problems.push({ entry, line: lineNumber, message: 'a header without an id' });
        current = {
          entry,
          line: lineNumber,
          id,
          description: space === -1 ? '' : header.slice(space + 1).trim(),
          sequence: '',
          parts: [],
        };
      } else if (line.trim() !== '') {
        if (current === null) {
          file.problems.push({
            entry: 0,
            line: lineNumber,
            message: 'text before the first header line (">id description")',
          });
          break;
        }
        current.parts.push(line.replace(/\s+/g, ''));
      }
    }
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    file.problems.push({
      entry: file.entries.length + 1,
      line: lineNumber + 1,
      message: 'the file is not UTF-8 text',
    });
    current = null;
  }
  finish();
  if (file.entries.length === 0 && file.problems.length === 0) {
    file.problems.push({
      entry: 0,
      line: 1,
      message: 'no FASTA entries (">id description" lines) in the file',
    });
  }
  onProgress?.(file.entries.length);
  return file;
}
