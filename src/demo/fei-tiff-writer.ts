/**
 * A writer of small FEI/Thermo-style SEM TIFFs for the demo's instrument data: one uncompressed 8-bit grey strip
 * and the INI-like metadata block in tag 34682, laid out as FEI's software writes it (header, pixels, then the
 * block and the directory). sharp writes TIFFs but cannot add that private tag, so the bytes are put together
 * here, little-endian.
 */

/** The FEI/Thermo (Helios, Quanta) metadata tag. */
const FEI_TAG = 34682;
const ASCII = 2;
const SHORT = 3;
const LONG = 4;

export interface FeiTiff {
  width: number;
  height: number;
  /** One byte a pixel, row by row. */
  pixels: Buffer;
  /** The metadata block: `[Section]` lines and `Key=Value` lines, CRLF-separated. */
  feiText: string;
  software: string;
}

/** The FEI block's text from its sections, in the CRLF-separated INI form the microscopes write. */
export function feiBlock(sections: Record<string, Record<string, string | number>>): string {
  return Object.entries(sections)
    .map(
      ([name, values]) =>
        `[${name}]\r\n${Object.entries(values)
          .map(([key, value]) => `${key}=${value}\r\n`)
          .join('')}`,
    )
    .join('');
}

/** The bytes of a TIFF carrying `pixels` and the FEI block, which the record builder reads as a real one. */
export function feiTiffBytes(image: FeiTiff): Buffer {
  const { width, height, pixels } = image;
  if (pixels.length !== width * height) throw new Error('a grey 8-bit image has one byte a pixel');
  const fei = Buffer.from(`${image.feiText}\0`, 'latin1');
  const software = Buffer.from(`${image.software}\0`, 'latin1');
  const even = (n: number) => n + (n % 2);
  const pixelsAt = 8;
  const feiAt = even(pixelsAt + pixels.length);
  const softwareAt = even(feiAt + fei.length);
  const directoryAt = even(softwareAt + software.length);
  // tag, type, count, value or offset; in ascending tag order, as TIFF 6.0 asks
  const entries: Array<[number, number, number, number]> = [
    [256, LONG, 1, width],
    [257, LONG, 1, height],
    [258, SHORT, 1, 8],
    [259, SHORT, 1, 1],
    [262, SHORT, 1, 1],
    [273, LONG, 1, pixelsAt],
    [277, SHORT, 1, 1],
    [278, LONG, 1, height],
    [279, LONG, 1, pixels.length],
    [305, ASCII, software.length, softwareAt],
    [FEI_TAG, ASCII, fei.length, feiAt],
  ];
  const bytes = Buffer.alloc(directoryAt + 2 + entries.length * 12 + 4);
  bytes.write('II', 0, 'latin1');
  bytes.writeUInt16LE(42, 2);
  bytes.writeUInt32LE(directoryAt, 4);
  pixels.copy(bytes, pixelsAt);
  fei.copy(bytes, feiAt);
  software.copy(bytes, softwareAt);
  bytes.writeUInt16LE(entries.length, directoryAt);
  entries.forEach(([tag, type, count, value], index) => {
    const at = directoryAt + 2 + index * 12;
    bytes.writeUInt16LE(tag, at);
    bytes.writeUInt16LE(type, at + 2);
    bytes.writeUInt32LE(count, at + 4);
    if (type === SHORT && count === 1) bytes.writeUInt16LE(value, at + 8);
    else bytes.writeUInt32LE(value, at + 8);
  });
  bytes.writeUInt32LE(0, directoryAt + 2 + entries.length * 12);
  return bytes;
}
