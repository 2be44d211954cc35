/**
 * How text becomes the index's words, decided once here for both databases: letters and digits in runs,
 * lower-cased, accents dropped (`Ampicillin` → `ampicillin`, `Müller` → `muller`, `P-000123` → `p` `000123`).
 * The index stores these words separated by spaces, so SQLite's FTS5 (unicode61) and PostgreSQL's `simple`
 * configuration both see exactly the same tokens, and a query's words are cut the same way.
 */

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}/gu;

/** The words of `text`, in order, as the index holds them. */
export function wordsOf(text: string): string[] {
  return (text.normalize('NFKD').replace(MARKS, '').toLowerCase().match(WORD) ?? []) as string[];
}

/** `text` as the index stores it: its words separated by single spaces. */
export function indexedText(text: string): string {
  return wordsOf(text).join(' ');
}

/** Longest word the vocabulary keeps: longer ones are ids and sequences, not words anyone misspells. */
const LONGEST_VOCABULARY_WORD = 32;

/**
 * The words of a document that spelling suggestions may offer: letters only (numbers and ids are not
 * misspelt, and a million numbered items would otherwise flood the vocabulary), three letters or more.
 */
export function vocabularyOf(texts: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const text of texts) {
    for (const word of wordsOf(text)) {
      if (word.length >= 3 && word.length <= LONGEST_VOCABULARY_WORD && /^\p{L}+$/u.test(word))
        words.add(word);
    }
  }
  return words;
}
