/**
 * The metadata every file gets, whatever its format: size, times, SHA-256 and detected type. The hash is
 * streamed, so a file of any size costs only the stream's buffers.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  const detected = stats.size === 0 ? undefined : await fileTypeFromFile(filePath);
  return {
    fileName: path.basename(filePath),
    size: stats.size,
    modifiedAt: stats.mtime.toISOString(),
    changedAt: stats.ctime.toISOString(),
    sha256: hash.digest('hex'),
    contentType: detected?.mime ?? OCTET_STREAM,
    extension: path.extname(filePath).slice(1).toLowerCase(),
  };
}
