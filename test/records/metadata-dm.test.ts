import { mkdtemp, rm, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDm, type DmEntry, type DmNode } from '../../src/modules/records/metadata/dm-reader.js';
import { extractMetadata, makePreview } from '../../src/modules/records/metadata/extract-metadata.js';
import { MalformedFile, withFileWindow } from '../../src/modules/records/metadata/file-window.js';
import { dmImageTree, encodeScalar, writeDmFile, type DmSpecEntry } from './metadata-file-writers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cairn-dm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function child(node: DmNode | undefined, label: string): DmNode | undefined {
  if (node?.kind !== 'group') return undefined;
  return node.entries.find((entry: DmEntry) => entry.label === label)?.node;
}

/** Every data type, nested groups, a struct, an array of structs, both kinds of string, a large array. */
function richTree(width: number, height: number): DmSpecEntry[] {
  const pixels = Array.from(
    { length: width * height },
    (_, index) => (index % width) * 10 + Math.floor(index / width),
  );
  return [
    ...dmImageTree({
      width,
      height,
      type: 'float32',
      dataTypeCode: 2,
      data: { array: 'float32', values: pixels },
      name: 'Spot 3 — 200 µm Å',
    }),
    [
      'ImageTags',
      {
        group: [
          [
            'Microscope Info',
            {
              group: [
                ['Voltage', { scalar: 'float64', value: 200000.5 }],
                ['Operator', { text: 'Ådam 日本' }],
                ['Stage', { group: [['Position', { group: [['X', { scalar: 'float32', value: -1.5 }]] }]] }],
              ],
            },
          ],
          ['int16', { scalar: 'int16', value: -1234 }],
          ['int32', { scalar: 'int32', value: -123456789 }],
          ['uint16', { scalar: 'uint16', value: 65535 }],
          ['uint32', { scalar: 'uint32', value: 4294967295 }],
          ['float32', { scalar: 'float32', value: 0.25 }],
          ['float64', { scalar: 'float64', value: Math.PI }],
          ['bool', { scalar: 'bool', value: true }],
          ['int8', { scalar: 'int8', value: -7 }],
          ['uint8', { scalar: 'uint8', value: 250 }],
          ['int64', { scalar: 'int64', value: -9007199254740993n }],
          ['uint64', { scalar: 'uint64', value: 42n }],
          ['Legacy', { string: 'plain 8-bit string' }],
          [
            'Calibration',
            {
              struct: [
                ['float32', 0.5],
                ['float64', -2.25],
                ['int32', 3],
              ],
            },
          ],
          [
            'Points',
            {
              structArray: ['float32', 'float32', 'uint16'],
              values: [
                [1, 2, 3],
                [4.5, -5.5, 6],
              ],
            },
          ],
          ['Doubles', { array: 'float64', values: [1.5, -2.5, 1e300] }],
        ],
      },
    ],
  ];
}

describe.each([
  { version: 3 as const, littleEndian: true },
  { version: 3 as const, littleEndian: false },
  { version: 4 as const, littleEndian: true },
  { version: 4 as const, littleEndian: false },
])('a DM$version file, little-endian data $littleEndian', ({ version, littleEndian }) => {
  const width = 40;
  const height = 30;
  let filePath: string;
  beforeAll(async () => {
    filePath = path.join(dir, `rich-${version}-${littleEndian ? 'le' : 'be'}.dm${version}`);
    await writeDmFile(filePath, { version, littleEndian, root: richTree(width, height) });
  });

  it('reads the whole tag tree with every data type', async () => {
    const dm = await withFileWindow(filePath, readDm);
    expect(dm.version).toBe(version);
    expect(dm.byteOrder).toBe(littleEndian ? 'little-endian' : 'big-endian');
    const tags = child(dm.root, 'ImageTags');
    const scalar = (label: string): unknown => {
      const node = child(tags, label);
      return node?.kind === 'scalar' ? { type: node.type, value: node.value } : node;
    };
    expect(scalar('int16')).toEqual({ type: 'int16', value: -1234 });
    expect(scalar('int32')).toEqual({ type: 'int32', value: -123456789 });
    expect(scalar('uint16')).toEqual({ type: 'uint16', value: 65535 });
    expect(scalar('uint32')).toEqual({ type: 'uint32', value: 4294967295 });
    expect(scalar('float32')).toEqual({ type: 'float32', value: 0.25 });
    expect(scalar('float64')).toEqual({ type: 'float64', value: Math.PI });
    expect(scalar('bool')).toEqual({ type: 'bool', value: true });
    expect(scalar('int8')).toEqual({ type: 'int8', value: -7 });
    expect(scalar('uint8')).toEqual({ type: 'uint8', value: 250 });
    expect(scalar('int64')).toEqual({ type: 'int64', value: '-9007199254740993' });
    expect(scalar('uint64')).toEqual({ type: 'uint64', value: 42 });
    expect(child(tags, 'Legacy')).toEqual({ kind: 'string', value: 'plain 8-bit string' });
    expect(child(tags, 'Calibration')).toEqual({
      kind: 'struct',
      fieldTypes: ['float32', 'float64', 'int32'],
      value: [0.5, -2.25, 3],
    });
    expect(child(tags, 'Points')).toMatchObject({
      kind: 'array',
      elementType: 'struct',
      fieldTypes: ['float32', 'float32', 'uint16'],
      length: 2,
      values: [
        [1, 2, 3],
        [4.5, -5.5, 6],
      ],
    });
    expect(child(tags, 'Doubles')).toMatchObject({ elementType: 'float64', values: [1.5, -2.5, 1e300] });
    const microscope = child(tags, 'Microscope Info');
    expect(child(microscope, 'Voltage')).toMatchObject({ value: 200000.5 });
    expect(child(microscope, 'Operator')).toMatchObject({ elementType: 'uint16', text: 'Ådam 日本' });
    expect(child(child(child(microscope, 'Stage'), 'Position'), 'X')).toMatchObject({ value: -1.5 });
    // the tree is plain JSON
    expect(JSON.parse(JSON.stringify(dm.root))).toEqual(dm.root);
  });

  it('finds the image, its dimensions and type, and locates its data without reading it', async () => {
    const dm = await withFileWindow(filePath, readDm);
    expect(dm.datasets).toHaveLength(2);
    expect(dm.main).toMatchObject({
      index: 1,
      name: 'Spot 3 — 200 µm Å',
      dimensions: [width, height],
      signal: 'image',
      dataTypeCode: 2,
      data: { elementType: 'float32', length: width * height, byteLength: width * height * 4 },
    });
    expect(dm.main?.data.values).toBeUndefined();
    // the located offset really is where the pixels are
    const at = dm.main?.data.offset ?? 0;
    const firstPixels = await withFileWindow(filePath, (file) =>
      file.read(at + 4 * 41, 4).then((bytes) => Buffer.from(bytes)),
    );
    expect(firstPixels).toEqual(encodeScalar('float32', 10 + 1, littleEndian));
  });

  it('makes a preview from the image data', async () => {
    const metadata = await extractMetadata(filePath);
    expect(metadata.kind).toBe('digital-micrograph');
    expect(metadata.warnings).toEqual([]);
    expect(metadata.previewable).toBe(true);
    const preview = await makePreview(filePath, metadata);
    expect(preview.warnings).toEqual([]);
    const png = preview.png ?? Buffer.alloc(0);
    const header = await sharp(png).metadata();
    expect([header.format, header.width, header.height, header.channels]).toEqual(['png', width, height, 1]);
    const data = await sharp(png).extractChannel(0).raw().toBuffer();
    // values rise along x by 10 and along y by 1: the top-left is darkest, the bottom-right brightest
    expect(data[0]).toBe(0);
    expect(data[width * height - 1]).toBe(255);
    expect(data[5] ?? 0).toBeGreaterThan(data[4] ?? 0);
  });
});

describe('a DM spectrum', () => {
  it('is found with its length and type, and has no preview', async () => {
    const filePath = path.join(dir, 'spectrum.dm3');
    const counts = Array.from({ length: 2048 }, (_, index) => index * 3);
    const imageData: DmSpecEntry = [
      'ImageData',
      {
        group: [
          ['Data', { array: 'uint32', values: counts }],
          ['DataType', { scalar: 'int32', value: 11 }],
          ['Dimensions', { group: [['', { scalar: 'uint32', value: 2048 }]] }],
        ],
      },
    ];
    await writeDmFile(filePath, {
      version: 3,
      littleEndian: true,
      root: [['ImageList', { group: [['', { group: [imageData] }]] }]],
    });
    const metadata = await extractMetadata(filePath);
    expect(metadata).toMatchObject({ kind: 'digital-micrograph', warnings: [], previewable: false });
    if (metadata.details?.kind !== 'digital-micrograph') throw new Error('not read as DigitalMicrograph');
    expect(metadata.details.dm.main).toMatchObject({
      dimensions: [2048],
      signal: 'spectrum',
      dataTypeCode: 11,
      data: { elementType: 'uint32', length: 2048, byteLength: 8192 },
    });
  });
});

describe('large and damaged DM files', () => {
  it('scales a large image down to 500 px, reading rows from the file', async () => {
    const width = 2000;
    const height = 1000;
    const filePath = path.join(dir, 'large.dm4');
    await writeDmFile(filePath, {
      version: 4,
      littleEndian: true,
      root: dmImageTree({
        width,
        height,
        type: 'uint16',
        dataTypeCode: 10,
        data: {
          array: 'uint16',
          length: width * height,
          chunk: (start, count) => {
            const bytes = Buffer.alloc(count * 2);
            for (let index = 0; index < count; index += 1)
              bytes.writeUInt16LE((start + index) % width, index * 2);
            return bytes;
          },
        },
      }),
    });
    const metadata = await extractMetadata(filePath);
    const preview = await makePreview(filePath, metadata);
    const image = await sharp(preview.png ?? Buffer.alloc(0)).metadata();
    expect([image.width, image.height]).toEqual([500, 250]);
  });

  it('gives a truncated file a warning, not a throw, and keeps its basic metadata', async () => {
    const filePath = path.join(dir, 'cut.dm3');
    await writeDmFile(filePath, { version: 3, littleEndian: true, root: richTree(40, 30) });
    await truncate(filePath, (await stat(filePath)).size - 3000);
    await expect(withFileWindow(filePath, readDm)).rejects.toBeInstanceOf(MalformedFile);
    const metadata = await extractMetadata(filePath);
    expect(metadata).toMatchObject({ kind: 'digital-micrograph', details: null, previewable: false });
    expect(metadata.basic.size).toBeGreaterThan(0);
    expect(metadata.warnings).toHaveLength(1);
    expect(metadata.warnings[0]).toMatch(/^unreadable DigitalMicrograph: /);
  });

  it('refuses a header of another version and a group claiming more tags than the file holds', async () => {
    const wrongVersion = path.join(dir, 'v5.dm4');
    await writeDmFile(wrongVersion, { version: 4, littleEndian: true, root: [] });
    const bytes = Buffer.from(await import('node:fs/promises').then((fs) => fs.readFile(wrongVersion)));
    bytes.writeUInt32BE(5, 0);
    await import('node:fs/promises').then((fs) => fs.writeFile(wrongVersion, bytes));
    expect((await extractMetadata(wrongVersion)).warnings[0]).toMatch(/version 5/);

    const hugeCount = path.join(dir, 'huge-count.dm3');
    await writeDmFile(hugeCount, {
      version: 3,
      littleEndian: true,
      root: [['a', { scalar: 'int32', value: 1 }]],
    });
    const cut = Buffer.from(await import('node:fs/promises').then((fs) => fs.readFile(hugeCount)));
    cut.writeUInt32BE(0x7fffffff, 14);
    await import('node:fs/promises').then((fs) => fs.writeFile(hugeCount, cut));
    expect((await extractMetadata(hugeCount)).warnings[0]).toMatch(/claims 2147483647 tags/);
  });
});
