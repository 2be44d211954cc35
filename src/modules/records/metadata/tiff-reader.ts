/**
 * A TIFF reader of structure only: the header, each image file directory (IFD) and the values its entries
 * point at, in either byte order, never the pixel data. It gives each page's size and sample layout, every tag
 * by name, and the FEI/Thermo metadata block parsed (fei-metadata.ts).
 */
import { parseFeiMetadata, type FeiMetadata } from './fei-metadata.js';
import { MalformedFile, type FileWindow } from './file-window.js';

export type TiffTagValue = number | string | number[];

export interface TiffPage {
  readonly width: number;
  readonly height: number;
  /** Bits per sample, one per sample (a grey image has one, RGB three). */
  readonly bitsPerSample: number[];
  readonly samplesPerPixel: number;
  /** 1 none, 5 LZW, 7 JPEG, 8 Deflate, 32773 PackBits… */
  readonly compression: number;
  /** Tag name (or `Tag<number>` for one not in the table) to its value; long lists are cut (see `truncated`). */
  readonly tags: Record<string, TiffTagValue>;
  /** Names of tags whose value lists were longer than kept (strip offsets of a large image). */
  readonly truncated: string[];
}

export interface TiffMetadata {
  readonly byteOrder: 'little-endian' | 'big-endian';
  readonly pages: TiffPage[];
  /** The FEI/Thermo block of the first page that has one; null when none. */
  readonly fei: FeiMetadata | null;
}

/** Numbers kept per tag value: enough for any descriptive tag, not for a large image's strip table. */
const MAX_VALUES = 64;
/** Text and byte values read at most: the FEI block is some kilobytes. */
const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_PAGES = 256;

export const FEI_HELIOS_TAG = 34682;
export const FEI_SFEG_TAG = 34680;

/** Tags some writers store as bytes though they hold text: the FEI blocks and XMP. */
const TEXT_BYTE_TAGS = new Set([FEI_HELIOS_TAG, FEI_SFEG_TAG, 700]);

const TAG_NAMES = new Map<number, string>([
  [254, 'NewSubfileType'],
  [256, 'ImageWidth'],
  [257, 'ImageLength'],
  [258, 'BitsPerSample'],
  [259, 'Compression'],
  [262, 'PhotometricInterpretation'],
  [266, 'FillOrder'],
  [269, 'DocumentName'],
  [270, 'ImageDescription'],
  [271, 'Make'],
  [272, 'Model'],
  [273, 'StripOffsets'],
  [274, 'Orientation'],
  [277, 'SamplesPerPixel'],
  [278, 'RowsPerStrip'],
  [279, 'StripByteCounts'],
  [282, 'XResolution'],
  [283, 'YResolution'],
  [284, 'PlanarConfiguration'],
  [296, 'ResolutionUnit'],
  [305, 'Software'],
  [306, 'DateTime'],
  [315, 'Artist'],
  [316, 'HostComputer'],
  [317, 'Predictor'],
  [320, 'ColorMap'],
  [322, 'TileWidth'],
  [323, 'TileLength'],
  [324, 'TileOffsets'],
  [325, 'TileByteCounts'],
  [338, 'ExtraSamples'],
  [339, 'SampleFormat'],
  [340, 'SMinSampleValue'],
  [341, 'SMaxSampleValue'],
  [700, 'XMP'],
  [33432, 'Copyright'],
  [33723, 'IPTC'],
  [34377, 'Photoshop'],
  [34665, 'ExifIFD'],
  [34675, 'ICCProfile'],
  [FEI_SFEG_TAG, 'FEI_SFEG'],
  [FEI_HELIOS_TAG, 'FEI_HELIOS'],
]);

/** Bytes per value of each TIFF field type (1 BYTE … 12 DOUBLE, 13 IFD). */
const TYPE_SIZES = new Map<number, number>([
  [1, 1],
  [2, 1],
  [3, 2],
  [4, 4],
  [5, 8],
  [6, 1],
  [7, 1],
  [8, 2],
  [9, 4],
  [10, 8],
  [11, 4],
  [12, 8],
  [13, 4],
]);

/** Whether the first bytes are a classic TIFF header (`II*\0` or `MM\0*`). */
export function isTiffHeader(head: Buffer): boolean {
  if (head.length < 4) return false;
  const le = head[0] === 0x49 && head[1] === 0x49 && head.readUInt16LE(2) === 42;
  const be = head[0] === 0x4d && head[1] === 0x4d && head.readUInt16BE(2) === 42;
  return le || be;
}

/**
 * Reads a TIFF's directories. Throws MalformedFile when the structure is broken (a directory or value past
 * the end, a loop in the directory chain); pixel data is never touched, so the cost does not grow with the
 * image. BigTIFF is refused as not understood.
 */
export async function readTiff(file: FileWindow): Promise<TiffMetadata> {
  const header = await file.read(0, 8);
  const order = header.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') throw new MalformedFile('not a TIFF: no byte order mark');
  const little = order === 'II';
  const u16 = (b: Buffer, at: number): number => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number): number => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const magic = u16(header, 2);
  if (magic === 43) throw new MalformedFile('BigTIFF is not read');
  if (magic !== 42) throw new MalformedFile(`not a TIFF: magic number ${magic}`);

  const pages: TiffPage[] = [];
  let feiText: string | null = null;
  const seen = new Set<number>();
  let next = u32(header, 4);
  while (next !== 0) {
    if (seen.has(next) || pages.length >= MAX_PAGES)
      throw new MalformedFile('the TIFF directory chain loops');
    seen.add(next);
    const count = u16(await file.read(next, 2), 0);
    const entries = Buffer.from(await file.read(next + 2, count * 12 + 4));
    const tags: Record<string, TiffTagValue> = {};
    const numbers = new Map<number, number[]>();
    const truncated: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const at = index * 12;
      const tag = u16(entries, at);
      const type = u16(entries, at + 2);
      const valueCount = u32(entries, at + 4);
      const size = TYPE_SIZES.get(type);
      const name = TAG_NAMES.get(tag) ?? `Tag${tag}`;
      if (size === undefined) continue; // an unknown type: skippable by the standard's own rule
      const totalBytes = size * valueCount;
      const isText = type === 2 || ((type === 1 || type === 7) && TEXT_BYTE_TAGS.has(tag));
      const keptCount = isText ? Math.min(valueCount, MAX_TEXT_BYTES) : Math.min(valueCount, MAX_VALUES);
      const keptBytes = keptCount * size;
      const bytes =
        totalBytes <= 4
          ? entries.subarray(at + 8, at + 8 + totalBytes)
          : Buffer.from(await file.read(u32(entries, at + 8), keptBytes));
      if (keptCount < valueCount) truncated.push(name);
      if (isText) {
        const text = bytes.toString('latin1').replace(/\0+$/, '');
        tags[name] = text;
        if ((tag === FEI_HELIOS_TAG || tag === FEI_SFEG_TAG) && feiText === null) feiText = text;
        continue;
      }
      const values = decodeNumbers(bytes, type, keptCount, little);
      numbers.set(tag, values);
      tags[name] = values.length === 1 && valueCount === 1 ? (values[0] ?? 0) : values;
    }
    const first = (tag: number, fallback: number): number => numbers.get(tag)?.[0] ?? fallback;
    const samplesPerPixel = first(277, 1);
    pages.push({
      width: first(256, 0),
      height: first(257, 0),
      bitsPerSample: numbers.get(258) ?? [1],
      samplesPerPixel,
      compression: first(259, 1),
      tags,
      truncated,
    });
    next = u32(entries, count * 12);
  }
  if (pages.length === 0) throw new MalformedFile('the TIFF has no image directory');
  return {
    byteOrder: little ? 'little-endian' : 'big-endian',
    pages,
    fei: feiText === null ? null : parseFeiMetadata(feiText),
  };
}

function decodeNumbers(bytes: Buffer, type: number, count: number, little: boolean): number[] {
  const values: number[] = [];
  for (let index = 0; index < count; index += 1) {
    switch (type) {
      case 1:
      case 7:
        values.push(bytes.readUInt8(index));
        break;
      case 6:
        values.push(bytes.readInt8(index));
        break;
      case 3:
        values.push(little ? bytes.readUInt16LE(index * 2) : bytes.readUInt16BE(index * 2));
        break;
      case 8:
        values.push(little ? bytes.readInt16LE(index * 2) : bytes.readInt16BE(index * 2));
        break;
      case 4:
      case 13:
        values.push(little ? bytes.readUInt32LE(index * 4) : bytes.readUInt32BE(index * 4));
        break;
      case 9:
        values.push(little ? bytes.readInt32LE(index * 4) : bytes.readInt32BE(index * 4));
        break;
      case 5:
      case 10: {
        const read =
          type === 5 ? (little ? 'readUInt32LE' : 'readUInt32BE') : little ? 'readInt32LE' : 'readInt32BE';
        const numerator = bytes[read](index * 8);
        const denominator = bytes[read](index * 8 + 4);
        values.push(denominator === 0 ? Number.NaN : numerator / denominator);
        break;
      }
      case 11:
        values.push(little ? bytes.readFloatLE(index * 4) : bytes.readFloatBE(index * 4));
        break;
      case 12:
        values.push(little ? bytes.readDoubleLE(index * 8) : bytes.readDoubleBE(index * 8));
        break;
      default:
        break;
    }
  }
  return values;
}
