/**
 * PNG previews, at most 500 px on a side (NexusLIMS's size): ordinary images (TIFF, PNG, JPEG…) through sharp,
 * and DigitalMicrograph 2-D images from their data array, sampled row by row from the file and scaled to
 * 8 bits, so that neither ever holds the full-size image.
 */
import sharp from 'sharp';
import { DM_SCALAR_SIZES, decodeDmScalar, type DmDataset, type DmScalarType } from './dm-reader.js';
import { MalformedFile, type FileWindow } from './file-window.js';

export const PREVIEW_MAX_SIDE = 500;

/** The share of sampled values clipped at each end when scaling to 8 bits, so that a few hot pixels do not
 * leave the rest of the image black. */
const CLIP_FRACTION = 0.001;

/** A PNG preview of an image file that sharp (libvips) reads, reading it sequentially rather than whole. */
export async function previewImageFile(filePath: string): Promise<Buffer> {
  return sharp(filePath, { sequentialRead: true })
    .rotate()
    .resize({ width: PREVIEW_MAX_SIDE, height: PREVIEW_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer();
}

/** Whether a DM dataset is a 2-D image of plain numbers that `previewDmImage` can draw. */
export function isDmPreviewable(dataset: DmDataset): boolean {
  const [width, height] = dataset.dimensions;
  return (
    dataset.signal === 'image' &&
    dataset.data.elementType !== 'struct' &&
    dataset.data.elementType !== 'bool' &&
    dataset.dataTypeCode !== 23 &&
    width !== undefined &&
    height !== undefined &&
    width > 0 &&
    height > 0 &&
    width * height === dataset.data.length
  );
}

/**
 * A PNG preview of a DigitalMicrograph 2-D image: the nearest source pixel for each preview pixel, read one
 * source row at a time, then the values stretched to 0–255 between their 0.1 % and 99.9 % points.
 */
export async function previewDmImage(
  file: FileWindow,
  dataset: DmDataset,
  littleEndian: boolean,
): Promise<Buffer> {
  if (!isDmPreviewable(dataset)) throw new MalformedFile('the dataset is not a 2-D image of numbers');
  const [width = 0, height = 0] = dataset.dimensions;
  const type = dataset.data.elementType as DmScalarType;
  const size = DM_SCALAR_SIZES[type];
  const scale = Math.min(1, PREVIEW_MAX_SIDE / width, PREVIEW_MAX_SIDE / height);
  const outWidth = Math.max(1, Math.round(width * scale));
  const outHeight = Math.max(1, Math.round(height * scale));
  const columns = Array.from({ length: outWidth }, (_, i) => Math.floor(((i + 0.5) * width) / outWidth));
  const samples = new Float64Array(outWidth * outHeight);
  for (let j = 0; j < outHeight; j += 1) {
    const y = Math.floor(((j + 0.5) * height) / outHeight);
    const row = await file.read(dataset.data.offset + y * width * size, width * size);
    for (let i = 0; i < outWidth; i += 1) {
      samples[j * outWidth + i] = Number(decodeDmScalar(row, (columns[i] ?? 0) * size, type, littleEndian));
    }
  }
  const [low, high] = stretchBounds(samples);
  const pixels = Buffer.alloc(samples.length);
  const range = high - low;
  for (let index = 0; index < samples.length; index += 1) {
    const value = samples[index] ?? 0;
    const scaled = range > 0 && Number.isFinite(value) ? ((value - low) / range) * 255 : 0;
    pixels[index] = Math.max(0, Math.min(255, Math.round(scaled)));
  }
  return sharp(pixels, { raw: { width: outWidth, height: outHeight, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

function stretchBounds(samples: Float64Array): [number, number] {
  const finite = samples.filter((value) => Number.isFinite(value)).sort();
  if (finite.length === 0) return [0, 0];
  const clip = Math.floor(finite.length * CLIP_FRACTION);
  return [finite[clip] ?? 0, finite[finite.length - 1 - clip] ?? 0];
}
