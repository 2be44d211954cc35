/**
 * The one entry point of metadata extraction for record building: basic metadata for every file, then the
 * reader its type calls for (TIFF with the FEI/Thermo block, DigitalMicrograph DM3/DM4, other images), and
 * previews. A file no reader understands keeps its basic metadata; a corrupt one gets warnings, never a throw,
 * so one bad file makes a warning on its dataset rather than a failed record.
 */
import sharp from 'sharp';
import { readBasicMetadata, type BasicMetadata } from './basic-metadata.js';
import { readDm, type DmMetadata } from './dm-reader.js';
import { withFileWindow } from './file-window.js';
import { isDmPreviewable, previewDmImage, previewImageFile } from './image-preview.js';
import { isTiffHeader, readTiff, type TiffMetadata } from './tiff-reader.js';

export type MetadataKind = 'tiff' | 'digital-micrograph' | 'image' | 'other';

export interface ImageHeader {
  readonly format: string;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
}

export type MetadataDetails =
  | { readonly kind: 'tiff'; readonly tiff: TiffMetadata }
  | { readonly kind: 'digital-micrograph'; readonly dm: DmMetadata }
  | { readonly kind: 'image'; readonly image: ImageHeader };

export interface ExtractedMetadata {
  readonly basic: BasicMetadata;
  /** Which reader the file called for, even when that reader then found it corrupt. */
  readonly kind: MetadataKind;
  /** What the reader found; null for other files and for corrupt ones. */
  readonly details: MetadataDetails | null;
  /** Why some metadata is missing (a corrupt or unsupported file); shown on the dataset. */
  readonly warnings: string[];
  /** Whether `makePreview` can draw the file. */
  readonly previewable: boolean;
}

export interface PreviewResult {
  /** The PNG, or null when none could be made. */
  readonly png: Buffer | null;
  readonly warnings: string[];
}

const DM_EXTENSIONS = new Set(['dm3', 'dm4']);
const TIFF_EXTENSIONS = new Set(['tif', 'tiff']);
/** Image types sharp reads that are not TIFF (TIFF gets its own reader first). */
const SHARP_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

/**
 * Extracts a file's metadata. Throws only when the file cannot be read at all (missing, unreadable); any
 * problem with its content becomes a warning.
 */
export async function extractMetadata(filePath: string): Promise<ExtractedMetadata> {
  const basic = await readBasicMetadata(filePath);
  const other = (warnings: string[] = []): ExtractedMetadata => ({
    basic,
    kind: 'other',
    details: null,
    warnings,
    previewable: false,
  });
  if (DM_EXTENSIONS.has(basic.extension)) {
    try {
      const dm = await withFileWindow(filePath, readDm);
      const previewable = dm.main !== null && isDmPreviewable(dm.main);
      return {
        basic,
        kind: 'digital-micrograph',
        details: { kind: 'digital-micrograph', dm },
        warnings: [],
        previewable,
      };
    } catch (error) {
      return { ...other([describe('DigitalMicrograph', error)]), kind: 'digital-micrograph' };
    }
  }
  const head = await withFileWindow(filePath, (file) =>
    file.read(0, Math.min(8, file.size)).then((bytes) => Buffer.from(bytes)),
  );
  if (isTiffHeader(head)) {
    try {
      const tiff = await withFileWindow(filePath, readTiff);
      const first = tiff.pages[0];
      const previewable = first !== undefined && first.width > 0 && first.height > 0;
      return { basic, kind: 'tiff', details: { kind: 'tiff', tiff }, warnings: [], previewable };
    } catch (error) {
      return { ...other([describe('TIFF', error)]), kind: 'tiff' };
    }
  }
  if (TIFF_EXTENSIONS.has(basic.extension)) {
    return { ...other(['the file is named as a TIFF but does not start as one']), kind: 'tiff' };
  }
  if (SHARP_IMAGE_TYPES.has(basic.contentType)) {
    try {
      const header = await sharp(filePath).metadata();
      const image: ImageHeader = {
        format: header.format,
        width: header.width,
        height: header.height,
        channels: header.channels,
      };
      return { basic, kind: 'image', details: { kind: 'image', image }, warnings: [], previewable: true };
    } catch (error) {
      return { ...other([describe('image', error)]), kind: 'image' };
    }
  }
  return other();
}

/**
 * A PNG preview of a file `extractMetadata` found previewable; a file that is not, or whose data turns out
 * unreadable, gets no preview and a warning instead of a throw.
 */
export async function makePreview(filePath: string, metadata: ExtractedMetadata): Promise<PreviewResult> {
  if (!metadata.previewable || metadata.details === null) return { png: null, warnings: [] };
  const details = metadata.details;
  try {
    if (details.kind === 'digital-micrograph') {
      const main = details.dm.main;
      if (main === null) return { png: null, warnings: [] };
      const little = details.dm.byteOrder === 'little-endian';
      return {
        png: await withFileWindow(filePath, (file) => previewDmImage(file, main, little)),
        warnings: [],
      };
    }
    return { png: await previewImageFile(filePath), warnings: [] };
  } catch (error) {
    return { png: null, warnings: [describe('preview', error)] };
  }
}

/** A warning naming what could not be read and why (MalformedFile's message, or the system's). */
function describe(what: string, error: unknown): string {
  return `unreadable ${what}: ${error instanceof Error ? error.message : String(error)}`;
}
