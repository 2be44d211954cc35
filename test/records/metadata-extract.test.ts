import { createHash } from 'node:crypto';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBasicMetadata } from '../../src/modules/records/metadata/basic-metadata.js';
import { extractMetadata, makePreview } from '../../src/modules/records/metadata/extract-metadata.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cairn-extract-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('basic metadata', () => {
  it('gives size, UTC times, the SHA-256 of the content and the detected type', async () => {
    const content = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300_000, 7)]);
    const filePath = path.join(dir, 'Report.PDF');
    await writeFile(filePath, content);
    await utimes(filePath, new Date('2026-03-04T05:06:07.000Z'), new Date('2026-03-04T05:06:07.000Z'));
    const basic = await readBasicMetadata(filePath);
    expect(basic).toMatchObject({
      fileName: 'Report.PDF',
      size: content.length,
      modifiedAt: '2026-03-04T05:06:07.000Z',
      sha256: createHash('sha256').update(content).digest('hex'),
      contentType: 'application/pdf',
      extension: 'pdf',
    });
    expect(basic.changedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('fails only for a file that cannot be read at all', async () => {
    await expect(extractMetadata(path.join(dir, 'missing.dm3'))).rejects.toThrow(/ENOENT/);
    await expect(extractMetadata(dir)).rejects.toThrow(/not a regular file/);
  });
});

describe('files no reader understands', () => {
  it.each([
    ['notes.txt', Buffer.from('beam alignment notes\n')],
    ['empty.ser', Buffer.alloc(0)],
    ['acquisition.emi', Buffer.from([0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])],
  ])('%s keeps its basic metadata, with no warning and no preview', async (name, content) => {
    const filePath = path.join(dir, name);
    await writeFile(filePath, content);
    const metadata = await extractMetadata(filePath);
    expect(metadata).toMatchObject({ kind: 'other', details: null, warnings: [], previewable: false });
    expect(metadata.basic.size).toBe(content.length);
    expect(await makePreview(filePath, metadata)).toEqual({ png: null, warnings: [] });
  });

  it('a PNG cut short keeps its header and gets a warning for its preview', async () => {
    const filePath = path.join(dir, 'cut.png');
    const noise = Buffer.alloc(200 * 200 * 3);
    for (let index = 0; index < noise.length; index += 1) noise[index] = (index * 7919) % 251;
    const png = await sharp(noise, { raw: { width: 200, height: 200, channels: 3 } })
      .png()
      .toBuffer();
    await writeFile(filePath, png.subarray(0, png.length / 2));
    const metadata = await extractMetadata(filePath);
    expect(metadata).toMatchObject({ kind: 'image', warnings: [], previewable: true });
    const preview = await makePreview(filePath, metadata);
    expect(preview.png).toBeNull();
    expect(preview.warnings[0]).toMatch(/^unreadable preview: /);
  });
});
