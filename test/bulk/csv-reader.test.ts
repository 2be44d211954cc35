/** The CSV reader's list of cells whose text cannot be stored, from text in memory and from byte streams. */
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/modules/bulk/csv-reader.js';

async function* chunked(...chunks: (Buffer | string)[]): AsyncGenerator<Buffer | string> {
  for (const chunk of chunks) yield chunk;
}

describe('readCsv and unstorable text', () => {
  it('lists a NUL cell by row and column, from text and from a stream whose later chunk holds it', async () => {
    const text = 'type,name\ntube,one\ntube,t\u0000wo\n';
    const expected = [{ row: 3, column: 1, message: expect.stringMatching(/NUL character/) as unknown }];
    expect((await readCsv(text)).unstorable).toEqual(expected);
    const stream = chunked(
      Buffer.from('type,name\ntube,one\n'),
      Buffer.from('tube,t'),
      Buffer.from('\u0000wo\n'),
    );
    const file = await readCsv(stream);
    expect(file.unstorable).toEqual(expected);
    expect(file.rows.map((row) => row.cells)).toEqual([
      ['tube', 'one'],
      ['tube', 't\u0000wo'],
    ]);
  });

  it('lists nothing for ordinary text, a four-byte character split between chunks included', async () => {
    expect((await readCsv('type,name\ntube,🧪 one\n')).unstorable).toEqual([]);
    const bytes = Buffer.from('type,name\ntube,🧪 one\n');
    const cut = bytes.indexOf(Buffer.from('🧪')) + 2;
    const file = await readCsv(chunked(bytes.subarray(0, cut), bytes.subarray(cut)));
    expect(file.unstorable).toEqual([]);
    expect(file.rows[0]?.cells).toEqual(['tube', '🧪 one']);
  });

  it('lists a lone surrogate in a header cell as row 1', async () => {
    expect((await readCsv('type,na\ud800me\ntube,x\n')).unstorable).toEqual([
      { row: 1, column: 1, message: expect.stringMatching(/lone UTF-16 surrogate/) as unknown },
    ]);
  });
});

describe('readCsv and text that is not UTF-8', () => {
  it('stops with a problem at a file in another encoding, keeping the rows before it', async () => {
    // "Eppendorf tube, 1.5 µl" saved as Latin-1: µ is the single byte 0xB5.
    const latin1 = Buffer.from('tube,Eppendorf 1.5 \u00b5l\n', 'latin1');
    const file = await readCsv(chunked(Buffer.from('type,name\ntube,one\n'), latin1));
    expect(file.rows.map((row) => row.cells)).toEqual([['tube', 'one']]);
    expect(file.problem).toEqual({
      row: 3,
      message: expect.stringMatching(/not UTF-8 .*byte 19.*CSV UTF-8/) as unknown,
    });
    expect(JSON.stringify(file)).not.toContain('\ufffd');

    const header = await readCsv(chunked(Buffer.from('type,n\u00e4me\n', 'latin1')));
    expect(header.header).toEqual([]);
    expect(header.problem?.message).toMatch(/not UTF-8/);
  });

  it('keeps a replacement character written as UTF-8, and a BOM-led file reads as before', async () => {
    const file = await readCsv(chunked(Buffer.from('\ufefftype,name\ntube,unknown \ufffd mark\n')));
    expect(file.problem).toBeNull();
    expect(file.header).toEqual(['type', 'name']);
    expect(file.rows[0]?.cells).toEqual(['tube', 'unknown \ufffd mark']);
  });
});
