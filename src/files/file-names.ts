/**
 * Names in the file store. A stored file lives under a generated name (`yyyy/mm/<uuid>.<ext>`, the extension
 * derived from the detected type); the name a user uploaded is kept only as a sanitized label and never
 * reaches the file system as a path.
 */
import { randomUUID } from 'node:crypto';

const MAX_LABEL_CODE_POINTS = 255;
/** A trailing `.ext` of up to this many code points (dot included) survives truncation of a long label. */
const MAX_KEPT_EXTENSION_CODE_POINTS = 16;
const FALLBACK_LABEL = 'file';

/**
 * Characters a label never keeps: control characters (NUL included), lone surrogates, line and paragraph
 * separators, the byte-order mark and the bidirectional controls that can disguise an extension
 * (`invoice\u202Efdp.exe`).
 */
const UNSAFE_LABEL_CHARACTERS =
  /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/gu;

const STORAGE_NAME =
  /^\d{4}\/(?:0[1-9]|1[0-2])\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[a-z0-9]{1,10}$/;
const EXTENSION = /^[a-z0-9]{1,10}$/;

/**
 * Turns an uploaded file name into a label for people: directory parts (`/` and `\`) and unsafe characters
 * removed, trimmed, capped at 255 code points (keeping a short extension), `file` when nothing is left.
 */
export function sanitizeLabel(name: string): string {
  const cleaned = name.normalize('NFC').replace(UNSAFE_LABEL_CHARACTERS, '');
  const base = (cleaned.split(/[/\\]/).pop() ?? '').trim();
  if (base === '' || base === '.' || base === '..') return FALLBACK_LABEL;
  const codePoints = [...base];
  if (codePoints.length <= MAX_LABEL_CODE_POINTS) return base;
  const dot = codePoints.lastIndexOf('.');
  const extensionLength = codePoints.length - dot;
  if (dot > 0 && extensionLength <= MAX_KEPT_EXTENSION_CODE_POINTS) {
    const stem = codePoints
      .slice(0, MAX_LABEL_CODE_POINTS - extensionLength)
      .join('')
      .trimEnd();
    return stem + codePoints.slice(dot).join('');
  }
  return codePoints.slice(0, MAX_LABEL_CODE_POINTS).join('').trimEnd();
}

/** Whether `extension` may end a storage name: 1–10 lower-case letters or digits, no dot. */
export function isStorageExtension(extension: string): boolean {
  return EXTENSION.test(extension);
}

/** A fresh storage name, sharded by the UTC year and month of `now`: `2024/05/<uuid>.png`. */
export function newStorageName(extension: string, now: Date): string {
  if (!isStorageExtension(extension))
    throw new RangeError(`Not a storage extension: ${JSON.stringify(extension)}`);
  const year = String(now.getUTCFullYear()).padStart(4, '0');
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${year}/${month}/${randomUUID()}.${extension}`;
}

/** Whether `name` has exactly the shape `newStorageName` generates; nothing else is ever opened. */
export function isStorageName(name: string): boolean {
  return STORAGE_NAME.test(name);
}

/**
 * A Content-Disposition header value for serving a stored file under its label (RFC 6266): an ASCII
 * `filename` for old clients and a UTF-8 `filename*` for the rest.
 */
export function contentDisposition(
  label: string,
  disposition: 'attachment' | 'inline' = 'attachment',
): string {
  const safe = sanitizeLabel(label);
  const ascii = safe.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(safe).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
