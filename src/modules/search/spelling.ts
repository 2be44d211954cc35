/**
 * Spelling suggestions (pure): the vocabulary word closest to a misspelt one by edit distance, counting a
 * swap of two neighbouring letters as one edit (`plamsid` → `plasmid`), and preferring, among equally close
 * words, the one more documents hold.
 */

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** How far a word may be from its correction: one edit for short words, two from six letters on. */
export function allowedDistance(word: string): number {
  return word.length >= 6 ? 2 : 1;
}

/** The best correction of `word` among `candidates`, or null when none is close enough. */
export function closestWord(
  word: string,
  candidates: readonly { word: string; documents: number }[],
): string | null {
  let best: { word: string; distance: number; documents: number } | null = null;
  for (const candidate of candidates) {
    if (candidate.word === word || candidate.documents <= 0) continue;
    const distance = editDistance(word, candidate.word);
    if (distance > allowedDistance(word)) continue;
    if (
      best === null ||
      distance < best.distance ||
      (distance === best.distance && candidate.documents > best.documents)
    ) {
      best = { word: candidate.word, distance, documents: candidate.documents };
    }
  }
  return best?.word ?? null;
}
