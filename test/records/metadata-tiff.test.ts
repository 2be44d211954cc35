import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractMetadata, makePreview } from '../../src/modules/records/metadata/extract-metadata.js';
import { parseFeiMetadata } from '../../src/modules/records/metadata/fei-metadata.js';
import { withFileWindow } from '../../src/modules/records/metadata/file-window.js';
import { readTiff } from '../../src/modules/records/metadata/tiff-reader.js';
import { buildFeiTiff } from './metadata-file-writers.js';

const FEI_TEXT = [
  '[User]',
  'Date=12/02/2026',
  'Time=09:41:03 AM',
  'User=supervisor',
  'UserText=',
  '',
  '[System]',
  'Type=SEM',
  'Software=9.4.0.3004',
  '',
  '[Beam]',
  'HV=10000',
  'Spot=3.5',
  'Beam=EBeam',
  'Scan=EScan',
  '',
  '[EBeam]',
  'HV=10000',
  'HFW=0.000254',
  'WD=0.0051',
  'EmissionCurrent=9.9e-05',
  'TiltCorrectionIsOn=no',
  'StageX=0.0123',
  '',
  '[EScan]',
  'Dwell=3e-06',
  'FrameTime=4.5',
  'PixelWidth=2.48047e-10',
  '',
  '[Detectors]',
  'Number=1',
  'Name=ETD',
  '',
  '[ETD]',
  'Contrast=32.1',
  'Grid=250',
  'Signal=SE',
  '',
  '[Vacuum]',
  'UserMode=High vacuum',
  'ChPressure=0.00061',
  '',
  '[Specimen]',
  'Temperature=',
].join('\r\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cairn-tiff-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the FEI/Thermo metadata block', () => {
  it('is parsed into sections of typed values', () => {
    const { sections } = parseFeiMetadata(`${FEI_TEXT}\0\0\0`);
    expect(Object.keys(sections)).toEqual([
      'User',
      'System',
      'Beam',
      'EBeam',
      'EScan',
      'Detectors',
      'ETD',
      'Vacuum',
      'Specimen',
    ]);
    expect(sections.User).toEqual({
      Date: '12/02/2026',
      Time: '09:41:03 AM',
      User: 'supervisor',
      UserText: '',
    });
    expect(sections.EBeam).toMatchObject({
      HV: 10000,
      HFW: 0.000254,
      EmissionCurrent: 9.9e-5,
      TiltCorrectionIsOn: false,
    });
    expect(sections.System).toEqual({ Type: 'SEM', Software: '9.4.0.3004' });
  });

  it('gives the well-known values in display units, following the sections the block names', () => {
    const { quantities } = parseFeiMetadata(FEI_TEXT);
    const byName = Object.fromEntries(quantities.map((q) => [q.name, [q.value, q.unit]]));
    expect(byName).toMatchObject({
      Voltage: [10, 'kV'],
      'Horizontal Field Width': [254, 'μm'],
      'Working Distance': [5.1, 'mm'],
      'Emission Current': [99, 'μA'],
      'Stage Position X': [0.0123, null],
      'Pixel Dwell Time': [3, 'μs'],
      'Total Frame Time': [4.5, 's'],
      'Pixel Width': [0.248047, 'nm'],
      'Detector Contrast Setting': [32.1, null],
      'Detector Grid Voltage': [250, 'V'],
      'Detector Signal': ['SE', null],
      'Spot Size': [3.5, null],
      Operator: ['supervisor', null],
      'Vacuum Mode': ['High vacuum', null],
      'Chamber Pressure': [0.00061, 'Pa'],
    });
    expect(byName['Specimen Temperature']).toBeUndefined();
    expect(quantities.find((q) => q.name === 'Voltage')?.source).toEqual({ section: 'EBeam', key: 'HV' });
  });
});

describe.each([{ littleEndian: true }, { littleEndian: false }])(
  'an FEI TIFF, little-endian $littleEndian',
  ({ littleEndian }) => {
    const width = 64;
    const height = 48;
    let filePath: string;
    beforeAll(async () => {
      const pixels = Buffer.alloc(width * height);
      for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index % width) * 4;
      filePath = path.join(dir, `fei-${littleEndian ? 'le' : 'be'}.tif`);
      await writeFile(filePath, buildFeiTiff({ width, height, pixels, feiText: FEI_TEXT, littleEndian }));
    });

    it('gives the image layout, the tags by name and the parsed FEI block', async () => {
      const tiff = await withFileWindow(filePath, readTiff);
      expect(tiff.byteOrder).toBe(littleEndian ? 'little-endian' : 'big-endian');
      expect(tiff.pages).toHaveLength(1);
      expect(tiff.pages[0]).toMatchObject({
        width,
        height,
        bitsPerSample: [8],
        samplesPerPixel: 1,
        compression: 1,
      });
      expect(tiff.pages[0]?.tags).toMatchObject({ Software: 'Cairn test', PhotometricInterpretation: 1 });
      expect(tiff.pages[0]?.tags.FEI_HELIOS).toContain('[EBeam]');
      expect(tiff.fei?.sections.Beam).toEqual({ HV: 10000, Spot: 3.5, Beam: 'EBeam', Scan: 'EScan' });
    });

    it('is extracted with a preview', async () => {
      const metadata = await extractMetadata(filePath);
      expect(metadata).toMatchObject({ kind: 'tiff', warnings: [], previewable: true });
      expect(metadata.basic.contentType).toBe('image/tiff');
      const preview = await makePreview(filePath, metadata);
      const image = await sharp(preview.png ?? Buffer.alloc(0)).metadata();
      expect([image.format, image.width, image.height]).toEqual(['png', width, height]);
    });
  },
);

describe('images sharp writes', () => {
  it('reads a sharp-written TIFF (the older FEI tag too) and scales its preview to 500 px', async () => {
    const filePath = path.join(dir, 'big.tiff');
    await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#3366cc' } })
      .tiff({ compression: 'lzw' })
      .toFile(filePath);
    const metadata = await extractMetadata(filePath);
    expect(metadata.details?.kind).toBe('tiff');
    if (metadata.details?.kind !== 'tiff') return;
    expect(metadata.details.tiff.pages[0]).toMatchObject({
      width: 1200,
      height: 900,
      samplesPerPixel: 3,
      bitsPerSample: [8, 8, 8],
      compression: 5,
    });
    expect(metadata.details.tiff.fei).toBeNull();
    const image = await sharp((await makePreview(filePath, metadata)).png ?? Buffer.alloc(0)).metadata();
    expect([image.width, image.height]).toEqual([500, 375]);

    const sfeg = path.join(dir, 'sfeg.tif');
    const pixels = Buffer.alloc(16);
    await writeFile(
      sfeg,
      buildFeiTiff({
        width: 4,
        height: 4,
        pixels,
        feiText: '[Beam]\nHV=5000',
        littleEndian: true,
        feiTag: 34680,
      }),
    );
    const sfegMetadata = await extractMetadata(sfeg);
    expect(sfegMetadata.details?.kind === 'tiff' && sfegMetadata.details.tiff.fei?.sections).toEqual({
      Beam: { HV: 5000 },
    });
  });

  it.each([
    ['png', (image: Sharp) => image.png()],
    ['jpeg', (image: Sharp) => image.jpeg()],
  ])('reads a %s header and previews it', async (format, encode) => {
    const filePath = path.join(dir, `photo.${format}`);
    await encode(sharp({ create: { width: 300, height: 800, channels: 3, background: '#808080' } })).toFile(
      filePath,
    );
    const metadata = await extractMetadata(filePath);
    expect(metadata).toMatchObject({
      kind: 'image',
      details: { kind: 'image', image: { format, width: 300, height: 800, channels: 3 } },
      previewable: true,
    });
    const image = await sharp((await makePreview(filePath, metadata)).png ?? Buffer.alloc(0)).metadata();
    expect([image.width, image.height]).toEqual([188, 500]);
  });
});

describe('damaged TIFFs', () => {
  it('warns about a directory past the end of the file, a looping chain, and a .tif that is not a TIFF', async () => {
    const good = buildFeiTiff({
      width: 4,
      height: 4,
      pixels: Buffer.alloc(16),
      feiText: '[A]\nb=1',
      littleEndian: true,
    });
    const pastEnd = Buffer.from(good);
    pastEnd.writeUInt32LE(good.length + 100, 4);
    await writeFile(path.join(dir, 'past-end.tif'), pastEnd);
    const loop = Buffer.from(good);
    const ifdAt = loop.readUInt32LE(4);
    loop.writeUInt32LE(ifdAt, ifdAt + 2 + loop.readUInt16LE(ifdAt) * 12);
    await writeFile(path.join(dir, 'loop.tif'), loop);
    await writeFile(path.join(dir, 'text.tif'), 'not an image at all\n');

    const pastEndMetadata = await extractMetadata(path.join(dir, 'past-end.tif'));
    expect(pastEndMetadata).toMatchObject({ kind: 'tiff', details: null, previewable: false });
    expect(pastEndMetadata.warnings[0]).toMatch(/^unreadable TIFF: the file ends at byte/);
    expect((await extractMetadata(path.join(dir, 'loop.tif'))).warnings).toEqual([
      'unreadable TIFF: the TIFF directory chain loops',
    ]);
    expect((await extractMetadata(path.join(dir, 'text.tif'))).warnings).toEqual([
      'the file is named as a TIFF but does not start as one',
    ]);
  });

  it('warns when pixel data is missing though the directory reads, and makes no preview', async () => {
    const good = buildFeiTiff({
      width: 400,
      height: 400,
      pixels: Buffer.alloc(160000),
      feiText: '[A]\nb=1',
      littleEndian: true,
    });
    const filePath = path.join(dir, 'no-pixels.tif');
    const broken = Buffer.from(good);
    // point the strip past the end of the file
    const ifdAt = broken.readUInt32LE(4);
    const entries = broken.readUInt16LE(ifdAt);
    for (let index = 0; index < entries; index += 1) {
      const at = ifdAt + 2 + index * 12;
      if (broken.readUInt16LE(at) === 273) broken.writeUInt32LE(10_000_000, at + 8);
    }
    await writeFile(filePath, broken);
    const metadata = await extractMetadata(filePath);
    expect(metadata).toMatchObject({ kind: 'tiff', warnings: [], previewable: true });
    const preview = await makePreview(filePath, metadata);
    expect(preview.png).toBeNull();
    expect(preview.warnings).toHaveLength(1);
    expect(preview.warnings[0]).toMatch(/^unreadable preview: /);
  });
});
