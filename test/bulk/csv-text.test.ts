/** The fast CSV reader gives exactly csv-parse's records, or declines (null) and leaves the file to csv-parse. */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../src/modules/bulk/csv-text.js';

const options = (delimiter: string) => ({ delimiter, bom: true, relax_column_count: true });

/** csv-parse's records, or null where it refuses the text. */
function csvParse(text: string, delimiter: string): string[][] | null {
  try {
    const records: string[][] = parse(text, options(delimiter));
    return records;
  } catch {
    return null;
  }
}

const cellText = fc.string({
  unit: fc.constantFrom('a', 'B', ' ', 'é', ',', ';', '\t', '"', '\n', '\r', '=', "'"),
  maxLength: 6,
});

describe('parseCsvText', () => {
  it('reads well-formed files exactly as csv-parse does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cellText, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (records, delimiter, lineBreak, bom, trailingBreak, quoteAll) => {
          const needsQuotes = (cell: string) =>
            /[",;\t\r\n]/.test(cell) || (cell.startsWith(' ') && quoteAll);
          const line = (record: string[]) =>
            record
              .map((cell) => (quoteAll || needsQuotes(cell) ? `"${cell.replaceAll('"', '""')}"` : cell))
              .join(delimiter);
          const text = `${bom ? '\uFEFF' : ''}${records.map(line).join(lineBreak)}${trailingBreak ? lineBreak : ''}`;
          const fast = parseCsvText(text, delimiter);
          expect(fast).not.toBeNull();
          expect(fast).toEqual(csvParse(text, delimiter));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never disagrees with csv-parse on arbitrary text: it agrees or declines', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ',', ';', '"', '\n', '\r', ' ', '\uFEFF'), maxLength: 30 }),
        fc.constantFrom(',', ';'),
        (text, delimiter) => {
          const fast = parseCsvText(text, delimiter);
          if (fast !== null) expect(fast).toEqual(csvParse(text, delimiter));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('declines the faults csv-parse reports, so their rows can be named', () => {
    expect(parseCsvText('a,b\n"open,c\n', ',')).toBeNull();
    expect(parseCsvText('a,b\nx"y,c\n', ',')).toBeNull();
    expect(parseCsvText('a,b\n"x"y,c\n', ',')).toBeNull();
    expect(parseCsvText('a,b\r\nc,d\ne,f\r\n', ',')).toBeNull();
    expect(parseCsvText('\uFEFFtype,name\r\ntube,"A ""B"", C"\r\n', ',')).toEqual([
      ['type', 'name'],
      ['tube', 'A "B", C'],
    ]);
  });
});
