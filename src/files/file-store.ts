/**
 * The file store: uploaded files on disk under generated names (see file-names.ts). An upload streams through
 * a size limit and a SHA-256 hash into a temp file inside the store (same file system), its type is detected
 * from the content, and it is renamed into place, so a reader never sees a half-written file and a failed
 * upload leaves nothing behind. Only names of the generated shape are ever turned into paths.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat as statPath } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import { FileTooLarge, InvalidStorageName, NotFound } from '../errors/catalogue.js';
import { isStorageExtension, isStorageName, newStorageName, sanitizeLabel } from './file-names.js';

export interface StoredFile {
  /** Where the file lives in the store, `yyyy/mm/<uuid>.<ext>`: what the database keeps. */
  readonly storageName: string;
  readonly size: number;
  /** Lower-case hex SHA-256 of the content. */
  readonly sha256: string;
  /** Detected from the content; never taken from the uploaded name. */
  readonly contentType: string;
  /** The uploaded name, sanitized: a label for people, never a path. */
  readonly originalName: string;
}

export interface SaveOptions {
  /** The name the client sent; kept only as a label. */
  readonly originalName: string;
  /** Uploads larger than this are aborted with FileTooLarge (413, `file_too_large`). */
  readonly maxBytes: number;
  /** The client's Content-Type: consulted only to name a text format the content sniff cannot tell apart. */
  readonly declaredType?: string;
}

export interface StoredFileStat {
  readonly size: number;
  readonly modifiedAt: Date;
}

/** Where uploads in progress live: inside the store (so the final rename stays on one file system). */
const TEMP_DIR = '.uploads';
const TEMP_SUFFIX = '.part';

export class FileStore {
  readonly rootDir: string;

  constructor(
    rootDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.rootDir = path.resolve(rootDir);
  }

  /**
   * Streams `source` into the store without buffering it whole, and returns what the database should keep.
   * Aborts with FileTooLarge past `maxBytes`; on any failure the temp file is removed.
   */
  async save(source: Readable, options: SaveOptions): Promise<StoredFile> {
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 0) {
      throw new RangeError(`maxBytes must be a non-negative whole number, got ${options.maxBytes}`);
    }
    const tempDir = path.join(this.rootDir, TEMP_DIR);
    await mkdir(tempDir, { recursive: true });
    const tempPath = path.join(tempDir, `${randomUUID()}${TEMP_SUFFIX}`);
    const meter = new UploadMeter(options.maxBytes);
    try {
      // `flush` syncs the data to disk before the file is closed, so the rename below publishes durable content.
      const sink = createWriteStream(tempPath, { flags: 'wx', mode: 0o640, flush: true });
      try {
        await pipeline(source, meter, sink);
      } finally {
        // On failure the sink may still be opening or writing: wait, so that it cannot recreate the temp file
        // after the cleanup below has removed it.
        if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
      }
      const detected = await detectContentType(tempPath, meter.head(), meter.size, options.declaredType);
      const storageName = newStorageName(detected.extension, this.now());
      const finalPath = this.pathOf(storageName);
      await mkdir(path.dirname(finalPath), { recursive: true });
      await rename(tempPath, finalPath);
      return {
        storageName,
        size: meter.size,
        sha256: meter.digest(),
        contentType: detected.mime,
        originalName: sanitizeLabel(options.originalName),
      };
    } catch (error) {
      await rm(tempPath, { force: true });
      throw error;
    }
  }

  /**
   * A read stream of a stored file. A missing file surfaces as an ENOENT error on the stream: call `stat`
   * first to answer 404 before sending headers.
   */
  open(storageName: string): Readable {
    return createReadStream(this.pathOf(storageName));
  }

  /** Size and modification time of a stored file; NotFound when it is not there. */
  async stat(storageName: string): Promise<StoredFileStat> {
    const filePath = this.pathOf(storageName);
    try {
      const stats = await statPath(filePath);
      if (!stats.isFile()) throw new NotFound('File', storageName);
      return { size: stats.size, modifiedAt: stats.mtime };
    } catch (error) {
      if (isMissing(error)) throw new NotFound('File', storageName);
      throw error;
    }
  }

  /** Deletes a stored file; idempotent (false when it was already gone), so a retried task can call it. */
  async remove(storageName: string): Promise<boolean> {
    const filePath = this.pathOf(storageName);
    try {
      await rm(filePath);
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** Deletes temp files of uploads that a crash interrupted; returns how many it removed. */
  async removeAbandonedUploads(olderThanMs = 24 * 3600 * 1000): Promise<number> {
    const tempDir = path.join(this.rootDir, TEMP_DIR);
    let names: string[];
    try {
      names = await readdir(tempDir);
    } catch (error) {
      if (isMissing(error)) return 0;
      throw error;
    }
    const cutoff = this.now().getTime() - olderThanMs;
    let removed = 0;
    for (const name of names) {
      if (!name.endsWith(TEMP_SUFFIX)) continue;
      const filePath = path.join(tempDir, name);
      const stats = await statPath(filePath).catch(() => null);
      if (stats?.isFile() && stats.mtimeMs < cutoff) {
        await rm(filePath, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** The only way from a storage name to a path: anything not of the generated shape is refused. */
  private pathOf(storageName: string): string {
    if (!isStorageName(storageName)) {
      throw new InvalidStorageName();
    }
    const filePath = path.join(this.rootDir, ...storageName.split('/'));
    if (!filePath.startsWith(this.rootDir + path.sep)) throw new InvalidStorageName();
    return filePath;
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

/** How much of the start of an upload is kept for sniffing text formats. */
const HEAD_BYTES = 64 * 1024;

/** Passes bytes through while counting, hashing and keeping the head; fails past the size limit. */
class UploadMeter extends Transform {
  size = 0;
  private readonly hash: Hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(new FileTooLarge(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.headChunks.push(part);
      this.headLength += part.length;
    }
    callback(null, chunk);
  }

  head(): Buffer {
    return Buffer.concat(this.headChunks, this.headLength);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

// --- Content type detection ---------------------------------------------------------------------------------

interface DetectedType {
  readonly mime: string;
  readonly extension: string;
}

const OCTET_STREAM: DetectedType = { mime: 'application/octet-stream', extension: 'bin' };
const PLAIN_TEXT: DetectedType = { mime: 'text/plain', extension: 'txt' };
const CSV: DetectedType = { mime: 'text/csv', extension: 'csv' };
const TSV: DetectedType = { mime: 'text/tab-separated-values', extension: 'tsv' };
const FASTA: DetectedType = { mime: 'text/x-fasta', extension: 'fasta' };
const GENBANK: DetectedType = { mime: 'text/x-genbank', extension: 'gb' };
const MARKDOWN: DetectedType = { mime: 'text/markdown', extension: 'md' };

/**
 * Text types a client may name for content that sniffs as plain text (a one-line CSV looks like any text).
 * Nothing else a client declares is believed: a declared text/html or image/svg+xml would be served as such.
 */
const DECLARABLE_TEXT_TYPES = new Map<string, DetectedType>([
  ['text/csv', CSV],
  ['text/tab-separated-values', TSV],
  ['text/x-fasta', FASTA],
  ['text/x-genbank', GENBANK],
  ['text/markdown', MARKDOWN],
]);

/** Binary formats by magic number (file-type), then text formats by content, then the client's word for text. */
async function detectContentType(
  filePath: string,
  head: Buffer,
  size: number,
  declaredType: string | undefined,
): Promise<DetectedType> {
  if (size === 0) return OCTET_STREAM;
  const binary = await fileTypeFromFile(filePath);
  if (binary !== undefined) {
    return { mime: binary.mime, extension: isStorageExtension(binary.ext) ? binary.ext : 'bin' };
  }
  const text = decodeText(head, size > head.length);
  if (text === null) return OCTET_STREAM;
  const sniffed = sniffTextFormat(text, size > head.length);
  if (sniffed !== PLAIN_TEXT || declaredType === undefined) return sniffed;
  const declared = declaredType.split(';')[0]?.trim().toLowerCase() ?? '';
  return DECLARABLE_TEXT_TYPES.get(declared) ?? PLAIN_TEXT;
}

/** Control characters other than tab, line feed, form feed and carriage return mark content as binary. */
const BINARY_CONTROL_CHARACTERS = /[^\P{Cc}\t\n\f\r]/u;

/** The head as text when it is valid UTF-8 without binary control characters; null otherwise. */
function decodeText(head: Buffer, truncated: boolean): string | null {
  let text: string;
  try {
    // `stream` tolerates a multi-byte character cut at the end of a truncated head.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: truncated });
  } catch {
    return null;
  }
  return BINARY_CONTROL_CHARACTERS.test(text) ? null : text;
}

const SEQUENCE_LINE = /^[A-Za-z*.-]+$/;

function sniffTextFormat(text: string, truncated: boolean): DetectedType {
  const lines = text.split(/\r?\n/);
  if (truncated) lines.pop();
  const content = lines.filter((line) => line.trim() !== '');
  const first = content[0]?.trimStart() ?? '';
  if (first.startsWith('>')) {
    const second = content[1]?.trim();
    if (second === undefined || SEQUENCE_LINE.test(second)) return FASTA;
  }
  if (/^LOCUS\s/.test(first)) return GENBANK;
  if (hasConsistentColumns(text, '\t', truncated)) return TSV;
  if (hasConsistentColumns(text, ',', truncated) || hasConsistentColumns(text, ';', truncated)) return CSV;
  return PLAIN_TEXT;
}

const SNIFFED_RECORDS = 20;

/** Whether the first records, split as CSV (quotes respected), have the same number (≥ 2) of fields. */
function hasConsistentColumns(text: string, delimiter: string, truncated: boolean): boolean {
  const counts: number[] = [];
  let fields = 1;
  let inQuotes = false;
  let recordHasContent = false;
  let complete = true;
  for (let index = 0; index < text.length && counts.length < SNIFFED_RECORDS; index += 1) {
    const character = text[index];
    complete = false;
    if (character === '"') {
      inQuotes = !inQuotes;
      recordHasContent = true;
    } else if (inQuotes) {
      recordHasContent = true;
    } else if (character === delimiter) {
      fields += 1;
      recordHasContent = true;
    } else if (character === '\n') {
      if (recordHasContent) counts.push(fields);
      fields = 1;
      recordHasContent = false;
      complete = true;
    } else if (character !== '\r') {
      recordHasContent = true;
    }
  }
  // A last record without a newline counts only when the whole file was read.
  if (!complete && !truncated && recordHasContent && !inQuotes && counts.length < SNIFFED_RECORDS) {
    counts.push(fields);
  }
  const [firstCount] = counts;
  return (
    counts.length >= 2 &&
    firstCount !== undefined &&
    firstCount >= 2 &&
    counts.every((count) => count === firstCount)
  );
}
