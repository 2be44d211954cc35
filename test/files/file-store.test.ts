// The file store: streamed uploads under generated names, size limits, hostile names and type detection.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentDisposition, isStorageName, sanitizeLabel } from '../../src/files/file-names.js';
import { FileStore } from '../../src/files/file-store.js';
import { DomainError, NotFound } from '../../src/errors/catalogue.js';

let rootDir: string;
let store: FileStore;

beforeEach(async () => {
  rootDir = await mkdtemp(path.join(os.tmpdir(), 'cairn-files-'));
  store = new FileStore(rootDir, () => new Date('2024-05-17T10:00:00Z'));
});

afterEach(async () => {
  await rm(rootDir, { recursive: true, force: true });
});

/** Every regular file under the store, as paths relative to its root. */
async function filesUnderRoot(): Promise<string[]> {
  const entries = await readdir(rootDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(rootDir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** The error `action` throws, for matching its fields. */
function errorThrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('Expected an error');
}

/** A stream that yields `chunks` one at a time, as an upload arrives. */
function streamOf(...chunks: (string | Buffer)[]): Readable {
  return Readable.from(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));
}

const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

describe('FileStore.save', () => {
  it('stores the content under a generated sharded name with its size and SHA-256', async () => {
    const content = Buffer.alloc(300_000);
    for (let index = 0; index < content.length; index += 1) content[index] = (index * 31) % 251;
    const chunks = [
      content.subarray(0, 100_000),
      content.subarray(100_000, 200_000),
      content.subarray(200_000),
    ];

    const stored = await store.save(streamOf(...chunks), { originalName: 'data.bin', maxBytes: 1_000_000 });

    expect(stored.size).toBe(content.length);
    expect(stored.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(stored.storageName).toMatch(/^2024\/05\/[0-9a-f-]{36}\.bin$/);
    expect(isStorageName(stored.storageName)).toBe(true);
    expect(stored.originalName).toBe('data.bin');
    // Buffer.equals: a deep toEqual over 300 kB takes seconds.
    expect((await readFile(path.join(rootDir, stored.storageName))).equals(content)).toBe(true);
    expect(await filesUnderRoot()).toEqual([stored.storageName]);

    const back = Buffer.concat(await store.open(stored.storageName).toArray());
    expect(back.equals(content)).toBe(true);
    expect((await store.stat(stored.storageName)).size).toBe(content.length);
  });

  it('gives two uploads of the same name different storage names', async () => {
    const first = await store.save(streamOf('one'), { originalName: 'same.txt', maxBytes: 100 });
    const second = await store.save(streamOf('two'), { originalName: 'same.txt', maxBytes: 100 });
    expect(first.storageName).not.toBe(second.storageName);
    expect(await text(store.open(first.storageName))).toBe('one');
    expect(await text(store.open(second.storageName))).toBe('two');
  });

  it('accepts a file of exactly maxBytes and an empty file', async () => {
    const exact = await store.save(streamOf('12345'), { originalName: 'five.txt', maxBytes: 5 });
    expect(exact.size).toBe(5);
    const empty = await store.save(streamOf(), { originalName: 'empty', maxBytes: 5 });
    expect(empty).toMatchObject({ size: 0, contentType: 'application/octet-stream' });
    expect(empty.sha256).toBe(createHash('sha256').digest('hex'));
  });

  it('aborts past maxBytes with a 413 file_too_large and leaves no file behind', async () => {
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1000, 7));
    const saving = store.save(streamOf(...chunks), { originalName: 'big.bin', maxBytes: 4500 });

    await expect(saving).rejects.toBeInstanceOf(DomainError);
    await expect(saving).rejects.toMatchObject({ status: 413, code: 'file_too_large' });
    expect(await filesUnderRoot()).toEqual([]);
  });

  it('stops reading the source once the limit is passed', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1;
        this.push(Buffer.alloc(16 * 1024, 1));
      },
    });
    await expect(store.save(endless, { originalName: 'endless', maxBytes: 100_000 })).rejects.toMatchObject({
      code: 'file_too_large',
    });
    expect(produced).toBeLessThan(50);
    expect(endless.destroyed).toBe(true);
    expect(await filesUnderRoot()).toEqual([]);
  });

  it('removes the temp file when the source fails mid-upload', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('partial'));
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(store.save(failing, { originalName: 'x', maxBytes: 1000 })).rejects.toThrow(
      'connection reset',
    );
    expect(await filesUnderRoot()).toEqual([]);
  });

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\win.ini', 'win.ini'],
    ['a\u0000b.txt', 'ab.txt'],
    ['/absolute/path/report.pdf', 'report.pdf'],
    ['C:\\Users\\me\\plate map.csv', 'plate map.csv'],
    ['..', 'file'],
    ['dir/', 'file'],
    ['   ', 'file'],
    ['line\nbreak\r\t.txt', 'linebreak.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
  ])('keeps %j only as the label %j, and writes under the store root', async (hostile, label) => {
    const stored = await store.save(streamOf('hello'), { originalName: hostile, maxBytes: 100 });
    expect(stored.originalName).toBe(label);
    expect(await filesUnderRoot()).toEqual([stored.storageName]);
    expect(stored.storageName).not.toContain(label);
  });

  it('caps a 10,000-character name at 255 code points, keeping the extension', async () => {
    const stored = await store.save(streamOf('hello'), {
      originalName: `${'a'.repeat(10_000)}.csv`,
      maxBytes: 100,
    });
    expect([...stored.originalName]).toHaveLength(255);
    expect(stored.originalName.endsWith('.csv')).toBe(true);
    expect(await filesUnderRoot()).toEqual([stored.storageName]);
  });
});

describe('type detection', () => {
  it.each([
    ['PNG', PNG_BYTES, 'image/png', 'png'],
    ['PDF', PDF_BYTES, 'application/pdf', 'pdf'],
    [
      'JPEG',
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]),
      'image/jpeg',
      'jpg',
    ],
    [
      'gzip',
      Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      'application/gzip',
      'gz',
    ],
    ['FASTA', Buffer.from('>seq1 test\nACGTACGTNN\nACGT\n>seq2\nMKV*\n'), 'text/x-fasta', 'fasta'],
    [
      'GenBank',
      Buffer.from('LOCUS       pUC19   2686 bp    DNA     circular SYN 01-JAN-1980\nDEFINITION  x\n//\n'),
      'text/x-genbank',
      'gb',
    ],
    ['CSV', Buffer.from('well,sample,od600\nA1,S-1,0.52\nA2,"S-2, diluted",0.61\n'), 'text/csv', 'csv'],
    ['TSV', Buffer.from('well\tsample\nA1\tS-1\nA2\tS-2\n'), 'text/tab-separated-values', 'tsv'],
    ['plain text', Buffer.from('Notes: sample was thawed twice.\nStored at -80 °C.\n'), 'text/plain', 'txt'],
    ['binary', Buffer.from([0, 1, 2, 3, 250, 251, 252]), 'application/octet-stream', 'bin'],
  ])('detects %s from the content, whatever the name says', async (_kind, bytes, mime, extension) => {
    const stored = await store.save(streamOf(bytes), { originalName: 'upload.exe', maxBytes: 10_000 });
    expect(stored.contentType).toBe(mime);
    expect(stored.storageName.endsWith(`.${extension}`)).toBe(true);
  });

  it('detects a type whose magic number is split across chunks', async () => {
    const stored = await store.save(streamOf(PNG_BYTES.subarray(0, 3), PNG_BYTES.subarray(3)), {
      originalName: 'x',
      maxBytes: 10_000,
    });
    expect(stored.contentType).toBe('image/png');
  });

  it('sniffs a large text file from its head without mistaking a cut multi-byte character for binary', async () => {
    const row = 'A1,Probe µ-7,0.52\n';
    const stored = await store.save(streamOf(row.repeat(10_000)), {
      originalName: 'big.csv',
      maxBytes: 1_000_000,
    });
    expect(stored.contentType).toBe('text/csv');
  });

  it('believes a declared text type only for content that sniffs as plain text', async () => {
    const oneLine = await store.save(streamOf('a,b,c'), {
      originalName: 'x',
      maxBytes: 100,
      declaredType: 'text/csv; charset=utf-8',
    });
    expect(oneLine.contentType).toBe('text/csv');
    const html = await store.save(streamOf('<script>alert(1)</script>'), {
      originalName: 'x.html',
      maxBytes: 100,
      declaredType: 'text/html',
    });
    expect(html.contentType).toBe('text/plain');
    const png = await store.save(streamOf(PNG_BYTES), {
      originalName: 'x',
      maxBytes: 10_000,
      declaredType: 'text/csv',
    });
    expect(png.contentType).toBe('image/png');
  });
});

describe('storage names', () => {
  it.each([
    '../x',
    '/etc/passwd',
    path.join(os.tmpdir(), 'x'),
    '2024/05/../../../etc/passwd',
    '2024/05/not-a-uuid.txt',
    '2024/13/0f8fad5b-d9cb-469f-a165-70867728950e.txt',
    '2024/05/0f8fad5b-d9cb-469f-a165-70867728950e',
    '2024\\05\\0f8fad5b-d9cb-469f-a165-70867728950e.txt',
    '2024/05/0f8fad5b-d9cb-469f-a165-70867728950e.txt\u0000',
    '',
  ])('refuses %j in open, stat and remove', async (name) => {
    expect(errorThrownBy(() => store.open(name))).toMatchObject({ code: 'invalid_storage_name' });
    await expect(store.stat(name)).rejects.toMatchObject({ code: 'invalid_storage_name' });
    await expect(store.remove(name)).rejects.toMatchObject({ code: 'invalid_storage_name' });
  });

  it('reports a well-formed but missing name as NotFound, and removes idempotently', async () => {
    const missing = '2024/05/0f8fad5b-d9cb-469f-a165-70867728950e.txt';
    await expect(store.stat(missing)).rejects.toBeInstanceOf(NotFound);
    expect(await store.remove(missing)).toBe(false);

    const stored = await store.save(streamOf('x'), { originalName: 'x', maxBytes: 10 });
    expect(await store.remove(stored.storageName)).toBe(true);
    expect(await store.remove(stored.storageName)).toBe(false);
    expect(await filesUnderRoot()).toEqual([]);
  });

  it('removes abandoned temp files of interrupted uploads, and only old ones', async () => {
    await store.save(streamOf('x'), { originalName: 'x', maxBytes: 10 });
    const tempDir = path.join(rootDir, '.uploads');
    await writeFile(path.join(tempDir, 'old.part'), 'x');
    await writeFile(path.join(tempDir, 'fresh.part'), 'x');
    const dayAgo = new Date('2024-05-16T09:00:00Z');
    await utimes(path.join(tempDir, 'old.part'), dayAgo, dayAgo);
    await utimes(
      path.join(tempDir, 'fresh.part'),
      new Date('2024-05-17T09:59:00Z'),
      new Date('2024-05-17T09:59:00Z'),
    );

    expect(await store.removeAbandonedUploads()).toBe(1);
    expect((await readdir(tempDir)).sort()).toEqual(['fresh.part']);
    expect((await stat(rootDir)).isDirectory()).toBe(true);
  });
});

describe('labels', () => {
  it('never returns an empty label or one with a path separator', () => {
    for (const name of ['', '/', '\\', '\u0000', 'a/b\\c', '\u202E', '.']) {
      const label = sanitizeLabel(name);
      expect(label.length).toBeGreaterThan(0);
      expect(label).not.toMatch(/[/\\]/);
    }
  });

  it('caps by code point without splitting a surrogate pair', () => {
    const label = sanitizeLabel('🧪'.repeat(300));
    expect([...label]).toHaveLength(255);
    expect(label).not.toMatch(/\p{Cs}/u);
  });

  it('builds a Content-Disposition with an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('Probe µ "1".csv')).toBe(
      `attachment; filename="Probe _ _1_.csv"; filename*=UTF-8''Probe%20%C2%B5%20%221%22.csv`,
    );
    expect(contentDisposition("it's (1).txt", 'inline')).toBe(
      `inline; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`,
    );
  });
});
