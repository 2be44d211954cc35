/** File sizes as people read them (web/src/layout/file-size.ts). */
import { describe, expect, it } from 'vitest';
import { formatFileSize } from '../../web/src/layout/file-size.js';

describe('file sizes', () => {
  it('uses the largest unit that keeps a number of at least one, one decimal below ten', () => {
    expect(formatFileSize(0)).toBe('0 B');
    expect(formatFileSize(512)).toBe('512 B');
    expect(formatFileSize(1536)).toBe('1.5 kB');
    expect(formatFileSize(12_345)).toBe('12 kB');
    expect(formatFileSize(3.4 * 1024 * 1024)).toBe('3.4 MB');
    // Rounding never shows 1024 of a unit.
    expect(formatFileSize(1024 * 1024 - 1)).toBe('1.0 MB');
  });
});
