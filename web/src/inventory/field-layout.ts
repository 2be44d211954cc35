/**
 * How a type field's value is laid out on an item's page: short values sit in the grid beside the others; a long
 * one (a plasmid's sequence, a note) takes the card's whole width, folded to a few lines; a long unbroken run
 * of characters (a sequence, a hash) reads in monospace and breaks anywhere. Pure, so the tests can load it.
 */

/** Longer than this, a value gets a row of its own. */
export const WIDE_VALUE_CHARS = 60;
/** A run without spaces this long cannot break at a word: it is shown as code that breaks anywhere. */
const UNBROKEN_RUN_CHARS = 30;

export interface FieldLayout {
  /** Spans the whole card, folded when taller than a few lines. */
  readonly wide: boolean;
  /** Monospace, breaking between any two characters. */
  readonly monospace: boolean;
}

export function fieldLayoutOf(value: string): FieldLayout {
  const longestRun = Math.max(0, ...value.split(/\s+/).map((run) => run.length));
  const monospace = longestRun >= UNBROKEN_RUN_CHARS;
  return { wide: monospace || value.length > WIDE_VALUE_CHARS || value.includes('\n'), monospace };
}
