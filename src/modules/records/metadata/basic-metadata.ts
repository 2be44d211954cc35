/**
 * The metadata every file gets, whatever its format: size, times, SHA-256 and detected type. The hash is
 * read in pieces through one buffer, so a file of any size costs a megabyte.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromFile } from 'file-type';

export interface BasicMetadata {
  readonly fileName: string;
  readonly size: number;
  /** ISO-8601 UTC: when the content last changed (what record building clusters on). */
  readonly modifiedAt: string;
  /** ISO-8601 UTC: when the file's inode last changed. */
  readonly changedAt: string;
  /** Lower-case hex SHA-256 of the content. */
  readonly sha256: string;
  /** MIME type from the content's magic number, `application/octet-stream` when nothing matches. */
  readonly contentType: string;
  /** The name's extension, lower case without the dot ('' when none): instrument formats are named by it. */
  readonly extension: string;
}

const OCTET_STREAM = 'application/octet-stream';

/**
 * Reads a file's basic metadata. Type detection is by content (`file-type`, as the file store does); formats it
 * does not know, such as Gatan's, are told apart later by the readers.
 */
export async function readBasicMetadata(filePath: string): Promise<BasicMetadata> {
  const stats = await stat(filePath);
  if (!stats.isFile()) throw new Error(`${filePath} is not a regular file`);
  const sha256 = await hashFile(filePath);
  const detected = stats.size === 0 ? undefined : await fileTypeFromFile(filePath);
  return {
    fileName: path.basename(filePath),
    size: stats.size,
    modifiedAt: stats.mtime.toISOString(),
    changedAt: stats.ctime.toISOString(),
    sha256,
    contentType: detected?.mime ?? OCTET_STREAM,
    extension: path.extname(filePath).slice(1).toLowerCase(),
  };
}

const HASH_BUFFER_BYTES = 1024 * 1024;

/**
 * The file's SHA-256, read through one reused buffer: a stream would allocate a chunk per read, and a large
 * file's worth of garbage raises the peak memory until the GC catches up.
 */
async function hashFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(HASH_BUFFER_BYTES);
  const handle = await open(filePath, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
