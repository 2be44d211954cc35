/**
 * Writers of real instrument files for the metadata tests, byte by byte: Gatan DigitalMicrograph DM3/DM4 (tag
 * tree in either data byte order, any data type, with a data array that may be generated in chunks so a large
 * file never sits in memory) and a minimal uncompressed TIFF carrying an FEI/Thermo metadata block, which
 * sharp cannot add.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export type DmType =
  | 'int16'
  | 'int32'
  | 'uint16'
  | 'uint32'
  | 'float32'
  | 'float64'
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int64'
  | 'uint64';

const TYPE_CODES: Record<DmType, number> = {
  int16: 2,
  int32: 3,
  uint16: 4,
  uint32: 5,
  float32: 6,
  float64: 7,
  bool: 8,
  int8: 9,
  uint8: 10,
  int64: 11,
  uint64: 12,
};

const TYPE_SIZES: Record<DmType, number> = {
  int16: 2,
  int32: 4,
  uint16: 2,
  uint32: 4,
  float32: 4,
  float64: 8,
  bool: 1,
  int8: 1,
  uint8: 1,
  int64: 8,
  uint64: 8,
};

export type DmScalarInput = number | bigint | boolean;

export type DmSpecNode =
  | { group: DmSpecEntry[] }
  | { scalar: DmType; value: DmScalarInput }
  | { string: string }
  | { struct: [DmType, DmScalarInput][] }
  | { array: DmType; values: DmScalarInput[] }
  /** A large array written in chunks: `chunk(start, count)` gives elements start… already encoded. */
  | { array: DmType; length: number; chunk: (start: number, count: number, little: boolean) => Buffer }
  | { text: string }
  | { structArray: DmType[]; values: DmScalarInput[][] };

export type DmSpecEntry = [label: string, node: DmSpecNode];

export interface DmSpec {
  version: 3 | 4;
  littleEndian: boolean;
  root: DmSpecEntry[];
}

type Part = Buffer | { size: number; write: () => Iterable<Buffer> };

const CHUNK_ELEMENTS = 1 << 20;

/** Encodes one scalar in the data's byte order. */
export function encodeScalar(type: DmType, value: DmScalarInput, little: boolean): Buffer {
  const bytes = Buffer.alloc(TYPE_SIZES[type]);
  const n = Number(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  const order = little ? 'LE' : 'BE';
  if (type === 'int64') {
    bytes[`writeBigInt64${order}`](BigInt(value));
  } else if (type === 'uint64') {
    bytes[`writeBigUInt64${order}`](BigInt(value));
  } else if (type === 'bool' || type === 'uint8') {
    bytes.writeUInt8(n);
  } else if (type === 'int8') {
    bytes.writeInt8(n);
  } else {
    const method = {
      int16: `writeInt16${order}`,
      int32: `writeInt32${order}`,
      uint16: `writeUInt16${order}`,
      uint32: `writeUInt32${order}`,
      float32: `writeFloat${order}`,
      float64: `writeDouble${order}`,
    } as const;
    bytes[method[type]](n);
  }
  return bytes;
}

class DmEncoder {
  constructor(
    private readonly version: 3 | 4,
    private readonly little: boolean,
  ) {}

  /** A structure word: big-endian, 4 bytes in DM3, 8 in DM4. */
  word(value: number): Buffer {
    const bytes = Buffer.alloc(this.version === 3 ? 4 : 8);
    if (this.version === 3) bytes.writeUInt32BE(value);
    else bytes.writeBigUInt64BE(BigInt(value));
    return bytes;
  }

  group(entries: DmSpecEntry[]): Part[] {
    const parts: Part[] = [Buffer.from([0, 1]), this.word(entries.length)];
    for (const [label, node] of entries) {
      const labelBytes = Buffer.from(label, 'latin1');
      const labelLength = Buffer.alloc(2);
      labelLength.writeUInt16BE(labelBytes.length);
      const body = 'group' in node ? this.group(node.group) : this.data(node);
      parts.push(Buffer.from(['group' in node ? 20 : 21]), labelLength, labelBytes);
      if (this.version === 4) parts.push(this.word(sizeOf(body)));
      parts.push(...body);
    }
    return parts;
  }

  data(node: Exclude<DmSpecNode, { group: DmSpecEntry[] }>): Part[] {
    const typeWords = (info: number[]): Buffer[] => [
      Buffer.from('%%%%', 'latin1'),
      this.word(info.length),
      ...info.map((value) => this.word(value)),
    ];
    if ('scalar' in node) {
      return [...typeWords([TYPE_CODES[node.scalar]]), encodeScalar(node.scalar, node.value, this.little)];
    }
    if ('string' in node) {
      const bytes = Buffer.from(node.string, 'utf8');
      return [...typeWords([18, bytes.length]), bytes];
    }
    if ('struct' in node) {
      const info = [15, 0, node.struct.length, ...node.struct.flatMap(([type]) => [0, TYPE_CODES[type]])];
      return [
        ...typeWords(info),
        ...node.struct.map(([type, value]) => encodeScalar(type, value, this.little)),
      ];
    }
    if ('text' in node) {
      const bytes = Buffer.from(node.text, 'utf16le');
      if (!this.little) bytes.swap16();
      return [...typeWords([20, TYPE_CODES.uint16, bytes.length / 2]), bytes];
    }
    if ('structArray' in node) {
      const fields = node.structArray;
      const info = [
        20,
        15,
        0,
        fields.length,
        ...fields.flatMap((type) => [0, TYPE_CODES[type]]),
        node.values.length,
      ];
      const bytes = node.values.flatMap((element) =>
        element.map((value, index) => encodeScalar(fields[index] ?? 'int32', value, this.little)),
      );
      return [...typeWords(info), ...bytes];
    }
    if ('values' in node) {
      const bytes = node.values.map((value) => encodeScalar(node.array, value, this.little));
      return [...typeWords([20, TYPE_CODES[node.array], node.values.length]), ...bytes];
    }
    const { length, chunk, array } = node;
    const little = this.little;
    return [
      ...typeWords([20, TYPE_CODES[array], length]),
      {
        size: length * TYPE_SIZES[array],
        *write() {
          for (let start = 0; start < length; start += CHUNK_ELEMENTS) {
            yield chunk(start, Math.min(CHUNK_ELEMENTS, length - start), little);
          }
        },
      },
    ];
  }
}

function sizeOf(parts: Part[]): number {
  return parts.reduce((sum, part) => sum + (Buffer.isBuffer(part) ? part.length : part.size), 0);
}

/** Writes a DM3 or DM4 file from its tag tree, streaming large arrays. */
export async function writeDmFile(filePath: string, spec: DmSpec): Promise<void> {
  const encoder = new DmEncoder(spec.version, spec.littleEndian);
  const body = [...encoder.group(spec.root), Buffer.alloc(8)];
  const header = Buffer.alloc(spec.version === 3 ? 12 : 16);
  header.writeUInt32BE(spec.version, 0);
  const order = spec.littleEndian ? 1 : 0;
  if (spec.version === 3) {
    header.writeUInt32BE(sizeOf(body), 4);
    header.writeUInt32BE(order, 8);
  } else {
    header.writeBigUInt64BE(BigInt(sizeOf(body)), 4);
    header.writeUInt32BE(order, 12);
  }
  function* all(): Iterable<Buffer> {
    yield header;
    for (const part of body) {
      if (Buffer.isBuffer(part)) yield part;
      else yield* part.write();
    }
  }
  await pipeline(Readable.from(all()), createWriteStream(filePath));
}

/** The tag tree DigitalMicrograph writes for one image: ImageList with a thumbnail entry and the image. */
export function dmImageTree(options: {
  width: number;
  height: number;
  type: DmType;
  dataTypeCode: number;
  data: DmSpecNode;
  name?: string;
}): DmSpecEntry[] {
  const thumbnail: DmSpecEntry = [
    '',
    {
      group: [
        [
          'ImageData',
          {
            group: [
              ['Data', { array: 'uint8', values: [1, 2, 3, 4] }],
              ['DataType', { scalar: 'int32', value: 6 }],
              [
                'Dimensions',
                {
                  group: [
                    ['', { scalar: 'uint32', value: 2 }],
                    ['', { scalar: 'uint32', value: 2 }],
                  ],
                },
              ],
              ['PixelDepth', { scalar: 'uint32', value: 1 }],
            ],
          },
        ],
      ],
    },
  ];
  const image: DmSpecEntry = [
    '',
    {
      group: [
        [
          'ImageData',
          {
            group: [
              ['Data', options.data],
              ['DataType', { scalar: 'int32', value: options.dataTypeCode }],
              [
                'Dimensions',
                {
                  group: [
                    ['', { scalar: 'uint32', value: options.width }],
                    ['', { scalar: 'uint32', value: options.height }],
                  ],
                },
              ],
              ['PixelDepth', { scalar: 'uint32', value: TYPE_SIZES[options.type] }],
            ],
          },
        ],
        ['Name', { text: options.name ?? 'image' }],
      ],
    },
  ];
  return [['ImageList', { group: [thumbnail, image] }]];
}

export interface FeiTiffOptions {
  width: number;
  height: number;
  feiText: string;
  littleEndian: boolean;
  feiTag?: number;
}

/**
 * A minimal uncompressed 8-bit grey TIFF (one strip) with an FEI/Thermo metadata block in `feiTag`, in
 * either byte order: the layout FEI's software writes, header then pixels then directory.
 */
export function buildFeiTiff(options: FeiTiffOptions & { pixels: Buffer }): Buffer {
  const { header, trailer } = feiTiffFrame(options, options.pixels.length);
  return Buffer.concat([header, options.pixels, trailer]);
}

/** Writes a large FEI TIFF whose pixel rows are generated one at a time: `row(y)` gives `width` bytes. */
export async function writeFeiTiffFile(
  filePath: string,
  options: FeiTiffOptions & { row: (y: number) => Buffer },
): Promise<void> {
  const { header, trailer } = feiTiffFrame(options, options.width * options.height);
  function* all(): Iterable<Buffer> {
    yield header;
    for (let y = 0; y < options.height; y += 1) yield options.row(y);
    yield trailer;
  }
  await pipeline(Readable.from(all()), createWriteStream(filePath));
}

/** The bytes before the pixels (the header) and after them (padding, the block, the directory). */
function feiTiffFrame(options: FeiTiffOptions, pixelBytes: number): { header: Buffer; trailer: Buffer } {
  const { width, height, feiText, littleEndian: little } = options;
  const fei = Buffer.from(`${feiText}\0`, 'latin1');
  const software = Buffer.from('Cairn test\0', 'latin1');
  const pixelsAt = 8;
  const feiAt = pixelsAt + pixelBytes + (pixelBytes % 2);
  const softwareAt = feiAt + fei.length + (fei.length % 2);
  const ifdAt = softwareAt + software.length + (software.length % 2);
  // tag, type, count, value (inline numbers or an offset), in ascending tag order as the standard asks
  const entries: [number, number, number, number][] = [
    [256, 4, 1, width],
    [257, 4, 1, height],
    [258, 3, 1, 8],
    [259, 3, 1, 1],
    [262, 3, 1, 1],
    [273, 4, 1, pixelsAt],
    [277, 3, 1, 1],
    [278, 4, 1, height],
    [279, 4, 1, pixelBytes],
    [305, 2, software.length, softwareAt],
    [options.feiTag ?? 34682, 2, fei.length, feiAt],
  ];
  const header = Buffer.alloc(8);
  const trailerStart = pixelsAt + pixelBytes;
  const trailer = Buffer.alloc(ifdAt + 2 + entries.length * 12 + 4 - trailerStart);
  const u16 = (target: Buffer, value: number, at: number): number =>
    little ? target.writeUInt16LE(value, at) : target.writeUInt16BE(value, at);
  const u32 = (target: Buffer, value: number, at: number): number =>
    little ? target.writeUInt32LE(value, at) : target.writeUInt32BE(value, at);
  header.write(little ? 'II' : 'MM', 0, 'latin1');
  u16(header, 42, 2);
  u32(header, ifdAt, 4);
  fei.copy(trailer, feiAt - trailerStart);
  software.copy(trailer, softwareAt - trailerStart);
  const ifd = ifdAt - trailerStart;
  u16(trailer, entries.length, ifd);
  entries.forEach(([tag, type, count, value], index) => {
    const at = ifd + 2 + index * 12;
    u16(trailer, tag, at);
    u16(trailer, type, at + 2);
    u32(trailer, count, at + 4);
    if (type === 3 && count === 1) u16(trailer, value, at + 8);
    else u32(trailer, value, at + 8);
  });
  u32(trailer, 0, ifd + 2 + entries.length * 12);
  return { header, trailer };
}
