import { describe, expect, it } from 'vitest';
import { EGFP_ORF, PRIMERS, PUC19_1_480 } from '../../src/demo/demo-sequences.js';

const CODONS = 'FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG';
function translate(dna: string): string {
  let protein = '';
  for (let i = 0; i + 3 <= dna.length; i += 3) {
    const [a, b, c] = [...dna.slice(i, i + 3)].map((base) => 'TCAG'.indexOf(base));
    protein += CODONS[(a ?? 0) * 16 + (b ?? 0) * 4 + (c ?? 0)];
  }
  return protein;
}

function reverseComplement(dna: string): string {
  return [...dna]
    .reverse()
    .map((base) => ({ A: 'T', T: 'A', G: 'C', C: 'G' })[base])
    .join('');
}

describe('demo sequences are real', () => {
  it('EGFP ORF translates to the GFP protein', () => {
    expect(translate(EGFP_ORF)).toBe(
      'MVSKGEELFTGVVPILVELDGDVNGHKFSVSGEGEGDATYGKLTLKFICTTGKLPVPWPTLVTTLTYGVQCFSRYPDHMKQHDFFKSAMPEGYVQERTIFFKDDGNYKTRAEVKFEGDTLVNRIELKGIDFKEDGNILGHKLEYNYNSHNVYIMADKQKNGIKVNFKIRHNIEDGSVQLADHYQQNTPIGDGPVLLPDNHYLSTQSALSKDPNEKRDHMVLLEFVTAAGITLGMDELYK*',
    );
  });

  it('pUC19 carries the M13 forward site and the EcoRI…HindIII cloning sites, the M13 reverse site running off its end', () => {
    expect(PUC19_1_480).toHaveLength(480);
    const m13Forward = PRIMERS.find((p) => p.name.startsWith('M13 forward'))?.sequence ?? '';
    const m13Reverse = PRIMERS.find((p) => p.name === 'M13 reverse')?.sequence ?? '';
    expect(PUC19_1_480).toContain(m13Forward);
    // The M13 reverse site starts 16 bases before position 480 and ends one base past it.
    expect(PUC19_1_480.endsWith(reverseComplement(m13Reverse).slice(0, 16))).toBe(true);
    for (const site of [
      'GAATTC',
      'GAGCTC',
      'GGTACC',
      'GGATCC',
      'TCTAGA',
      'GTCGAC',
      'CTGCAG',
      'GCATGC',
      'AAGCTT',
    ]) {
      expect(PUC19_1_480, site).toContain(site);
    }
  });
});
