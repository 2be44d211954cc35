/**
 * The rules of an instrument's settings, pure: its data folder lies inside the instrument data root, its time
 * zone is an IANA zone.
 */
import path from 'node:path';

/** Whether `zone` is a time zone the IANA database (as this Node knows it) names. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() === zone && zone !== '';
  } catch {
    return false;
  }
}

/**
 * The absolute folder `relativePath` names inside `root`, or null when it would lie outside it (an absolute
 * path elsewhere, `..` climbing out). Symbolic links are followed when files are found, never outside the root.
 */
export function resolveInsideRoot(root: string, relativePath: string): string | null {
  const absoluteRoot = path.resolve(root);
  const resolved = path.resolve(absoluteRoot, relativePath);
  if (resolved === absoluteRoot) return resolved;
  return resolved.startsWith(absoluteRoot + path.sep) ? resolved : null;
}
