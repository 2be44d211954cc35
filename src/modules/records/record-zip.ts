/**
 * A record as one zip, streamed: its files from the instrument data root, `record.json`, `record.xml` and the
 * previews under `previews/`. Files are opened one at a time as the zip reaches them and piped through, so
 * memory stays bounded whatever the files weigh. A file gone from disk since the build is left out and named
 * in `MISSING.txt`; a path that would lead outside the data root (`..`, an absolute path, a symbolic link out)
 * is refused the same way, so the zip never carries anything but the record's own files.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { FileStore } from '../../files/file-store.js';

export interface ZipFileEntry {
  /** Relative to the data root, `/`-separated (record_files.path). */
  path: string;
  /** The preview's storage name in the file store, when one was made. */
  preview: string | null;
}

export interface RecordZipInput {
  /** The record as `GET /api/records/:id` answers it. */
  json: unknown;
  xml: string;
  files: readonly ZipFileEntry[];
  dataRoot: string;
  previews: FileStore;
}

/** Why a file of the record is not in the zip. */
interface Left {
  path: string;
  reason: string;
}

/** The file's real path when it is a regular file inside the root; otherwise why it is left out. */
async function resolveInside(realRoot: string, relative: string): Promise<string | Left> {
  const refused = { path: relative, reason: 'refused: outside the instrument data root' };
  if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..')) return refused;
  let real: string;
  try {
    real = await realpath(path.join(realRoot, relative));
  } catch {
    return { path: relative, reason: 'missing on disk' };
  }
  const inside = path.relative(realRoot, real);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return refused;
  const stats = await stat(real).catch(() => null);
  if (stats === null) return { path: relative, reason: 'missing on disk' };
  if (!stats.isFile()) return { path: relative, reason: 'not a regular file' };
  return real;
}

/**
 * Starts the zip of a record and returns its byte stream (for an HTTP reply). The files are checked first (a
 * stat each) so that those missing are known before the first byte; their bytes are read only as the zip
 * reaches them.
 */
export async function zipRecord(input: RecordZipInput): Promise<Readable> {
  const realRoot = await realpath(input.dataRoot);
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  // A file that vanishes or fails between the check and its reading: the download breaks off, the server stays.
  zip.on('error', (error: Error) => output.destroy(error));
  // A download broken off by the client: the file being read is closed, not left paused with its descriptor.
  const reading = new Set<Readable>();
  const track = (stream: Readable) => {
    reading.add(stream);
    stream.once('close', () => reading.delete(stream));
    return stream;
  };
  output.once('close', () => {
    for (const stream of reading) stream.destroy();
  });
  zip.addBuffer(Buffer.from(`${JSON.stringify(input.json, null, 2)}\n`), 'record.json');
  zip.addBuffer(Buffer.from(input.xml), 'record.xml');
  const left: Left[] = [];
  for (const file of input.files) {
    const resolved = await resolveInside(realRoot, file.path);
    if (typeof resolved !== 'string') {
      left.push(resolved);
      continue;
    }
    zip.addReadStreamLazy(file.path, (done) => {
      done(null, track(createReadStream(resolved)));
    });
  }
  for (const file of input.files) {
    if (file.preview === null) continue;
    const name = file.preview;
    zip.addReadStreamLazy(`previews/${file.path}.png`, (done) => {
      done(null, track(input.previews.open(name)));
    });
  }
  if (left.length > 0) {
    const lines = left.map((file) => `${file.path}\t${file.reason}`);
    const text = `Files of the record not in this zip:\n${lines.join('\n')}\n`;
    zip.addBuffer(Buffer.from(text), 'MISSING.txt');
  }
  zip.end();
  return output;
}
