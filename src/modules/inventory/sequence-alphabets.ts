/**
 * The alphabets of sequence fields: IUPAC codes for DNA, RNA and protein, as BLAST+ and FASTA files take
 * them. One place decides what a sequence may contain, so the item rules, the FASTA importer and the
 * sequence search accept the same letters.
 */

export const SEQUENCE_ALPHABETS = ['dna', 'rna', 'protein'] as const;
export type SequenceAlphabet = (typeof SEQUENCE_ALPHABETS)[number];

/** The codes each alphabet allows, upper-case; '-' is an alignment gap, '*' a protein's stop. */
export const ALPHABET_CODES: Readonly<Record<SequenceAlphabet, string>> = {
  dna: 'ACGTRYSWKMBDHVN-',
  rna: 'ACGURYSWKMBDHVN-',
  protein: 'ACDEFGHIKLMNPQRSTVWYBUZXJO*-',
};

const ALPHABET_NAMES: Readonly<Record<SequenceAlphabet, string>> = {
  dna: 'a DNA',
  rna: 'an RNA',
  protein: 'a protein',
};

/** Both cases: characters are checked before upper-casing, which would turn e.g. 'ß' into a valid "SS". */
function allowedOf(codes: string): ReadonlySet<string> {
  return new Set([...codes, ...codes.toLowerCase()]);
}

const ALLOWED: Readonly<Record<SequenceAlphabet, ReadonlySet<string>>> = {
  dna: allowedOf(ALPHABET_CODES.dna),
  rna: allowedOf(ALPHABET_CODES.rna),
  protein: allowedOf(ALPHABET_CODES.protein),
};

export function isSequenceAlphabet(value: unknown): value is SequenceAlphabet {
  return typeof value === 'string' && (SEQUENCE_ALPHABETS as readonly string[]).includes(value);
}

/** How a bad character is quoted: visible as itself, or as its code point when it would not show. */
function shown(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x21 || (code >= 0x7f && code <= 0xa0)
    ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `'${character}'`;
}

/**
 * A sequence as it is stored: whitespace (line breaks of pasted or FASTA text included) removed and
 * upper-cased; or why it is not one of the alphabet's, naming the first bad character and its position
 * among the residues (1-based, whitespace not counted), which is how people locate it in their sequence.
 */
export function normalizeSequence(
  alphabet: SequenceAlphabet,
  text: string,
): { sequence: string } | { error: string } {
  const residues = text.replace(/\s+/gu, '');
  const allowed = ALLOWED[alphabet];
  let position = 0;
  for (const character of residues) {
    position++;
    if (!allowed.has(character)) {
      const hint = alphabet === 'dna' && character.toUpperCase() === 'U' ? ' (U is RNA; DNA has T)' : '';
      return {
        error:
          `${shown(character)} at position ${position} is not ${ALPHABET_NAMES[alphabet]} code${hint}: ` +
          `allowed are ${ALPHABET_CODES[alphabet]}`,
      };
    }
  }
  return { sequence: residues.toUpperCase() };
}
