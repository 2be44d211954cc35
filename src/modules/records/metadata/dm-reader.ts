/**
 * Gatan DigitalMicrograph `.dm3` and `.dm4` files: the whole tag tree as JSON, and the images and spectra it
 * holds with their dimensions and data type. The tree is walked with positioned reads; a large data array is
 * never read, only located (offset, element type, length), so the cost does not grow with the data.
 *
 * The format: a header (version 3 or 4, the root's length, the byte order of the data), then the root tag
 * group. A group is `sorted`, `open` and a tag count; a tag is a kind (20 group, 21 data), a label and, in
 * DM4, its size; a data tag is `%%%%`, a type description (a list of numbers) and the data. The structure's
 * numbers are big-endian always; the data is in the header's byte order. DM4 writes counts and sizes in
 * 8 bytes where DM3 uses 4.
 */
import { MalformedFile, type FileWindow } from './file-window.js';

export type DmScalarType =
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

/** A scalar as JSON carries it: a 64-bit integer beyond 2^53 is kept exact as decimal text. */
export type DmScalar = number | boolean | string;

export type DmNode =
  | { readonly kind: 'group'; readonly entries: DmEntry[] }
  | { readonly kind: 'scalar'; readonly type: DmScalarType; readonly value: DmScalar }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'struct'; readonly fieldTypes: DmScalarType[]; readonly value: DmScalar[] }
  | DmArray;

export interface DmArray {
  readonly kind: 'array';
  /** The element's scalar type, or 'struct' with `fieldTypes`. */
  readonly elementType: DmScalarType | 'struct';
  readonly fieldTypes?: DmScalarType[];
  readonly length: number;
  /** Where the elements start in the file, and how many bytes they take. */
  readonly offset: number;
  readonly byteLength: number;
  /** A small array's elements (structs as lists of their fields); absent for a large one, which is not read. */
  readonly values?: DmScalar[] | DmScalar[][];
  /** A small 16-bit array that is not image data, read as the UTF-16 text DigitalMicrograph stores that way. */
  readonly text?: string;
}

export interface DmEntry {
  /** The tag's label; '' for the unnamed entries of a list (dimensions, image list). */
  readonly label: string;
  readonly node: DmNode;
}

export interface DmDataset {
  /** Position in the file's ImageList. */
  readonly index: number;
  readonly name: string | null;
  /** Sizes along each axis, fastest first (width, height, …), as DigitalMicrograph lists them. */
  readonly dimensions: number[];
  /** 1 axis: a spectrum; 2: an image; 3 or more: a stack or spectrum image. */
  readonly signal: 'spectrum' | 'image' | 'multidimensional';
  /** DigitalMicrograph's image data type code (2 float32, 6 uint8, 10 uint16, 23 RGBA…), null when absent. */
  readonly dataTypeCode: number | null;
  /** The data array, located but not read. */
  readonly data: DmArray;
}

export interface DmMetadata {
  readonly version: 3 | 4;
  readonly byteOrder: 'little-endian' | 'big-endian';
  readonly root: DmNode & { kind: 'group' };
  /** Every image or spectrum in the ImageList, thumbnails included. */
  readonly datasets: DmDataset[];
  /** The largest dataset: the acquisition itself rather than its thumbnail; null when there is none. */
  readonly main: DmDataset | null;
}

const SCALAR_TYPES = new Map<number, { type: DmScalarType; size: number }>([
  [2, { type: 'int16', size: 2 }],
  [3, { type: 'int32', size: 4 }],
  [4, { type: 'uint16', size: 2 }],
  [5, { type: 'uint32', size: 4 }],
  [6, { type: 'float32', size: 4 }],
  [7, { type: 'float64', size: 8 }],
  [8, { type: 'bool', size: 1 }],
  [9, { type: 'int8', size: 1 }],
  [10, { type: 'uint8', size: 1 }],
  [11, { type: 'int64', size: 8 }],
  [12, { type: 'uint64', size: 8 }],
]);

export const DM_SCALAR_SIZES: Record<DmScalarType, number> = {
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

const STRUCT = 15;
const STRING = 18;
const ARRAY = 20;
const GROUP_TAG = 20;
const DATA_TAG = 21;
const END_TAG = 0;

/** Arrays up to this size are read into the tree; larger ones are located only. */
const INLINE_ARRAY_BYTES = 4096;
const MAX_DEPTH = 64;
const MAX_TYPE_INFO = 2048;

/** Whether a file's first bytes look like a DM3 or DM4 header (version 3 or 4, byte order 0 or 1). */
export function isDmHeader(head: Buffer): boolean {
  if (head.length < 16) return false;
  const version = head.readUInt32BE(0);
  if (version === 3) return head.readUInt32BE(8) <= 1;
  if (version === 4) return head.readUInt32BE(12) <= 1;
  return false;
}

/**
 * Reads a DM3 or DM4 file's tag tree and finds its datasets. Throws MalformedFile on a broken structure
 * (a count or size past the end of the file, an unknown type, nesting deeper than any real file).
 */
export async function readDm(file: FileWindow): Promise<DmMetadata> {
  const head = await file.read(0, 16);
  const version = head.readUInt32BE(0);
  if (version !== 3 && version !== 4) throw new MalformedFile(`not a DM3/DM4 file: version ${version}`);
  const orderField = version === 3 ? head.readUInt32BE(8) : head.readUInt32BE(12);
  if (orderField > 1) throw new MalformedFile(`unknown byte order ${orderField}`);
  const walker = new DmWalker(file, version, orderField === 1, version === 3 ? 12 : 16);
  const root = await walker.readGroup(0);
  const datasets = findDatasets(root);
  const main = datasets.reduce<DmDataset | null>(
    (best, dataset) => (best === null || dataset.data.byteLength > best.data.byteLength ? dataset : best),
    null,
  );
  return { version, byteOrder: orderField === 1 ? 'little-endian' : 'big-endian', root, datasets, main };
}

class DmWalker {
  private position: number;

  constructor(
    private readonly file: FileWindow,
    private readonly version: 3 | 4,
    private readonly little: boolean,
    start: number,
  ) {
    this.position = start;
  }

  async readGroup(depth: number): Promise<DmNode & { kind: 'group' }> {
    if (depth > MAX_DEPTH) throw new MalformedFile('tag groups nest too deep');
    this.position += 2; // sorted, open
    const count = await this.readCount();
    if (count > this.file.size - this.position) throw new MalformedFile(`a group claims ${count} tags`);
    const entries: DmEntry[] = [];
    for (let index = 0; index < count; index += 1) {
      const kind = await this.readUInt8();
      if (kind === END_TAG) break;
      const labelLength = (await this.readBytes(2)).readUInt16BE(0);
      const label = (await this.readBytes(labelLength)).toString('latin1');
      // DM4's tag size is not needed to walk the tag (the type words give every size) and is not relied on.
      if (this.version === 4) this.position += 8;
      if (kind === GROUP_TAG) entries.push({ label, node: await this.readGroup(depth + 1) });
      else if (kind === DATA_TAG) entries.push({ label, node: await this.readData(label) });
      else throw new MalformedFile(`unknown tag kind ${kind} at byte ${this.position}`);
    }
    return { kind: 'group', entries };
  }

  private async readData(label: string): Promise<DmNode> {
    const marker = (await this.readBytes(4)).toString('latin1');
    if (marker !== '%%%%') throw new MalformedFile(`tag "${label}" lacks its %%%% marker`);
    const infoCount = await this.readCount();
    if (infoCount < 1 || infoCount > MAX_TYPE_INFO)
      throw new MalformedFile(`tag "${label}": ${infoCount} type words`);
    const info: number[] = [];
    for (let index = 0; index < infoCount; index += 1) info.push(await this.readCount());
    const code = info[0] ?? 0;
    const scalar = SCALAR_TYPES.get(code);
    if (scalar !== undefined) {
      const value = this.decodeScalar(await this.readBytes(scalar.size), 0, scalar.type);
      return { kind: 'scalar', type: scalar.type, value };
    }
    if (code === STRING) {
      const length = info[1] ?? 0;
      return { kind: 'string', value: (await this.readBytes(length)).toString('utf8') };
    }
    if (code === STRUCT) {
      const fieldTypes = structFields(info, 1, label);
      const size = fieldTypes.reduce((sum, type) => sum + DM_SCALAR_SIZES[type], 0);
      return {
        kind: 'struct',
        fieldTypes,
        value: this.decodeStruct(await this.readBytes(size), 0, fieldTypes),
      };
    }
    if (code === ARRAY) return this.readArray(info, label);
    throw new MalformedFile(`tag "${label}" has unknown type ${code}`);
  }

  private async readArray(info: number[], label: string): Promise<DmArray> {
    const elementCode = info[1] ?? 0;
    let elementType: DmScalarType | 'struct';
    let fieldTypes: DmScalarType[] | undefined;
    let elementSize: number;
    let length: number;
    if (elementCode === STRUCT) {
      fieldTypes = structFields(info, 2, label);
      elementType = 'struct';
      elementSize = fieldTypes.reduce((sum, type) => sum + DM_SCALAR_SIZES[type], 0);
      length = info[4 + 2 * fieldTypes.length] ?? -1;
    } else {
      const scalar = SCALAR_TYPES.get(elementCode);
      if (scalar === undefined)
        throw new MalformedFile(`tag "${label}": arrays of type ${elementCode} are not read`);
      elementType = scalar.type;
      elementSize = scalar.size;
      length = info[2] ?? -1;
    }
    const byteLength = length * elementSize;
    const offset = this.position;
    if (length < 0 || offset + byteLength > this.file.size) {
      throw new MalformedFile(`array "${label}" of ${length} elements runs past the end of the file`);
    }
    const base = { kind: 'array' as const, elementType, length, offset, byteLength };
    const located: DmArray = fieldTypes === undefined ? base : { ...base, fieldTypes };
    if (byteLength > INLINE_ARRAY_BYTES) {
      this.position += byteLength;
      return located;
    }
    const bytes = await this.readBytes(byteLength);
    if (elementType === 'uint16' && label !== 'Data') {
      return { ...located, text: this.decodeUtf16(bytes) };
    }
    if (fieldTypes !== undefined) {
      const values: DmScalar[][] = [];
      for (let index = 0; index < length; index += 1) {
        values.push(this.decodeStruct(bytes, index * elementSize, fieldTypes));
      }
      return { ...located, values };
    }
    const scalarType = elementType as DmScalarType;
    const values: DmScalar[] = [];
    for (let index = 0; index < length; index += 1) {
      values.push(this.decodeScalar(bytes, index * elementSize, scalarType));
    }
    return { ...located, values };
  }

  private decodeStruct(bytes: Buffer, start: number, fieldTypes: DmScalarType[]): DmScalar[] {
    const values: DmScalar[] = [];
    let at = start;
    for (const type of fieldTypes) {
      values.push(this.decodeScalar(bytes, at, type));
      at += DM_SCALAR_SIZES[type];
    }
    return values;
  }

  private decodeScalar(bytes: Buffer, at: number, type: DmScalarType): DmScalar {
    return decodeDmScalar(bytes, at, type, this.little);
  }

  private decodeUtf16(bytes: Buffer): string {
    if (this.little) return bytes.toString('utf16le');
    const swapped = Buffer.from(bytes);
    swapped.swap16();
    return swapped.toString('utf16le');
  }

  /** A count, size or type word of the structure: big-endian, 4 bytes in DM3 and 8 in DM4. */
  private async readCount(): Promise<number> {
    if (this.version === 3) return (await this.readBytes(4)).readUInt32BE(0);
    const value = (await this.readBytes(8)).readBigUInt64BE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedFile(`a count of ${value}`);
    return Number(value);
  }

  private async readUInt8(): Promise<number> {
    return (await this.readBytes(1)).readUInt8(0);
  }

  private async readBytes(length: number): Promise<Buffer> {
    const bytes = await this.file.read(this.position, length);
    this.position += length;
    return bytes;
  }
}

/** Reads one scalar of the data's byte order; exported for the preview, which reads image rows. */
export function decodeDmScalar(bytes: Buffer, at: number, type: DmScalarType, little: boolean): DmScalar {
  switch (type) {
    case 'int16':
      return little ? bytes.readInt16LE(at) : bytes.readInt16BE(at);
    case 'int32':
      return little ? bytes.readInt32LE(at) : bytes.readInt32BE(at);
    case 'uint16':
      return little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at);
    case 'uint32':
      return little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
    case 'float32':
      return little ? bytes.readFloatLE(at) : bytes.readFloatBE(at);
    case 'float64':
      return little ? bytes.readDoubleLE(at) : bytes.readDoubleBE(at);
    case 'bool':
      return bytes.readUInt8(at) !== 0;
    case 'int8':
      return bytes.readInt8(at);
    case 'uint8':
      return bytes.readUInt8(at);
    case 'int64':
      return exactInteger(little ? bytes.readBigInt64LE(at) : bytes.readBigInt64BE(at));
    case 'uint64':
      return exactInteger(little ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at));
  }
}

function exactInteger(value: bigint): number | string {
  const safe = value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER);
  return safe ? Number(value) : value.toString();
}

/** A struct's field types from its type words: name length, field count, then (name length, type) per field. */
function structFields(info: number[], start: number, label: string): DmScalarType[] {
  const count = info[start + 1] ?? -1;
  if (count < 0 || start + 2 + 2 * count > info.length)
    throw new MalformedFile(`struct "${label}" is cut short`);
  const types: DmScalarType[] = [];
  for (let index = 0; index < count; index += 1) {
    const scalar = SCALAR_TYPES.get(info[start + 3 + 2 * index] ?? 0);
    if (scalar === undefined) throw new MalformedFile(`struct "${label}" has a field of an unknown type`);
    types.push(scalar.type);
  }
  return types;
}

function child(group: DmNode | undefined, label: string): DmNode | undefined {
  if (group?.kind !== 'group') return undefined;
  return group.entries.find((entry) => entry.label === label)?.node;
}

/** The datasets of `ImageList`: each entry's `ImageData` with its `Data` array and `Dimensions`. */
function findDatasets(root: DmNode & { kind: 'group' }): DmDataset[] {
  const list = child(root, 'ImageList');
  if (list?.kind !== 'group') return [];
  const datasets: DmDataset[] = [];
  list.entries.forEach((entry, index) => {
    const imageData = child(entry.node, 'ImageData');
    const data = child(imageData, 'Data');
    const dimensionsGroup = child(imageData, 'Dimensions');
    if (data?.kind !== 'array' || dimensionsGroup?.kind !== 'group') return;
    const dimensions = dimensionsGroup.entries.flatMap((dimension) =>
      dimension.node.kind === 'scalar' && typeof dimension.node.value === 'number'
        ? [dimension.node.value]
        : [],
    );
    const dataType = child(imageData, 'DataType');
    const name = child(entry.node, 'Name');
    datasets.push({
      index,
      name: name?.kind === 'array' && name.text !== undefined ? name.text : null,
      dimensions,
      signal: dimensions.length <= 1 ? 'spectrum' : dimensions.length === 2 ? 'image' : 'multidimensional',
      dataTypeCode: dataType?.kind === 'scalar' && typeof dataType.value === 'number' ? dataType.value : null,
      data,
    });
  });
  return datasets;
}
