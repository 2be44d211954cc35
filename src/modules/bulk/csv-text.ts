/**
 * A fast reader for the common case of CSV text held in memory: RFC 4180 records (fields quoted or not, `""`
 * inside quotes, line breaks inside quotes) with one kind of line break throughout. It gives exactly the
 * records csv-parse gives with csv-reader.ts's options (a leading byte-order mark dropped, the record
 * delimiter taken from the first line break, no trimming, empty lines as one empty cell) and answers null,
 * rather than guess, at anything else — a stray quote, text after a closing quote, an unclosed quote, a
 * second kind of line break — so that csv-parse reads those files and reports their faults. It exists for
 * speed on large imports (bench/README.md, Decisions).
 */

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** The line break the text uses first (csv-parse's auto-detection), or null if it has none. */
function firstLineBreak(text: string): string | null {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) quoted = !quoted;
    else if (!quoted && code === LF) return '\n';
    else if (!quoted && code === CR) return text.charCodeAt(i + 1) === LF ? '\r\n' : '\r';
  }
  return null;
}

/** The records of well-formed CSV text, or null when csv-parse should read it (see the module header). */
export function parseCsvText(input: string, delimiter: string): string[][] | null {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const lineBreak = firstLineBreak(text);
  const delimiterCode = delimiter.charCodeAt(0);
  if (delimiter.length !== 1) return null;
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const end = text.length;
  if (end === 0) return records;
  for (;;) {
    // One field, starting at i.
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      let start = i + 1;
      let parts = '';
      for (;;) {
        const close = text.indexOf('"', start);
        if (close === -1) return null; // unclosed quote
        if (text.charCodeAt(close + 1) === QUOTE) {
          parts += text.slice(start, close + 1);
          start = close + 2;
          continue;
        }
        value = parts + text.slice(start, close);
        i = close + 1;
        break;
      }
    } else {
      const start = i;
      while (i < end) {
        const code = text.charCodeAt(i);
        if (code === delimiterCode || code === LF || code === CR) break;
        if (code === QUOTE) return null; // a quote inside an unquoted field
        i++;
      }
      value = text.slice(start, i);
    }
    record.push(value);
    if (i >= end) {
      records.push(record);
      return records;
    }
    const code = text.charCodeAt(i);
    if (code === delimiterCode) {
      i++;
      if (i >= end) {
        record.push('');
        records.push(record);
        return records;
      }
      continue;
    }
    // A record ends here: it must be the text's one kind of line break.
    if (lineBreak === null || !text.startsWith(lineBreak, i)) return null;
    if (lineBreak === '\r' && text.charCodeAt(i + 1) === LF) return null;
    records.push(record);
    record = [];
    i += lineBreak.length;
    if (i >= end) return records;
  }
}
