/** How a type field's value is laid out on an item's page (web/src/inventory/field-layout.ts). */
import { describe, expect, it } from 'vitest';
import { fieldLayoutOf } from '../../web/src/inventory/field-layout.js';

describe('field layout', () => {
  it('keeps short values in the grid', () => {
    expect(fieldLayoutOf('ampicillin')).toEqual({ wide: false, monospace: false });
    expect(fieldLayoutOf('GTAAAACGACGGCCAGT')).toEqual({ wide: false, monospace: false });
  });

  it('gives a sequence the whole width in monospace, breaking anywhere', () => {
    expect(fieldLayoutOf('ACGT'.repeat(1000))).toEqual({ wide: true, monospace: true });
    expect(fieldLayoutOf('ATGGTGAGCAAGGGCGAGGAGCTGTTCACCG')).toEqual({ wide: true, monospace: true });
  });

  it('gives long prose and text with line breaks the whole width, in the usual font', () => {
    const note = 'Grown overnight at 37 °C in LB with ampicillin, then miniprepped and checked on a gel.';
    expect(fieldLayoutOf(note)).toEqual({ wide: true, monospace: false });
    expect(fieldLayoutOf('line one\nline two')).toEqual({ wide: true, monospace: false });
  });
});
