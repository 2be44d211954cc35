/**
 * How a BLAST hit is drawn: its pairwise alignment cut into blocks of 60 columns with the coordinates each
 * line starts and ends at (as BLAST's own text output shows them), where it lies on the query, how its
 * identity is coloured, the ticks of the query's axis and e-values written briefly. Pure functions without
 * imports, so the tests (type-checked as Node code) can load them.
 */

/** The BLAST programs (the API's `program`), named here again to keep this file free of imports. */
type BlastProgram = 'blastn' | 'blastp' | 'blastx' | 'tblastn';

export const ALIGNMENT_WIDTH = 60;

/**
 * Sequence positions each aligned letter stands for, query then subject: a translated side (blastx's query,
 * tblastn's subject) is nucleotides aligned as amino acids, three to a letter.
 */
export function positionsPerLetter(program: BlastProgram): { query: number; subject: number } {
  switch (program) {
    case 'blastn':
    case 'blastp':
      return { query: 1, subject: 1 };
    case 'blastx':
      return { query: 3, subject: 1 };
    case 'tblastn':
      return { query: 1, subject: 3 };
  }
}

export interface AlignmentRow {
  text: string;
  /** The first and last sequence positions of the row's letters (both the previous position when all gaps). */
  start: number;
  end: number;
}

export interface AlignmentBlock {
  query: AlignmentRow;
  midline: string;
  subject: AlignmentRow;
}

export interface AlignedHit {
  alignment: { query: string; midline: string; subject: string };
  queryStart: number;
  queryEnd: number;
  subjectStart: number;
  subjectEnd: number;
}

/**
 * Cuts one side of an alignment into rows with coordinates. A side runs from `from` towards `to` (downwards
 * for the minus strand); gaps take no position; a letter covers `step` positions.
 */
function rowsOf(text: string, from: number, to: number, step: number, width: number): AlignmentRow[] {
  const direction = to < from ? -1 : 1;
  const rows: AlignmentRow[] = [];
  // The next letter's first position.
  let next = from;
  for (let offset = 0; offset < text.length; offset += width) {
    const part = text.slice(offset, offset + width);
    const letters = [...part].filter((letter) => letter !== '-').length;
    if (letters === 0) {
      const previous = next - direction;
      rows.push({ text: part, start: previous, end: previous });
      continue;
    }
    const start = next;
    next += direction * step * letters;
    rows.push({ text: part, start, end: next - direction });
  }
  return rows;
}

/** An alignment in blocks of `width` columns: query, midline and subject rows with their coordinates. */
export function alignmentBlocks(
  hit: AlignedHit,
  program: BlastProgram,
  width = ALIGNMENT_WIDTH,
): AlignmentBlock[] {
  const steps = positionsPerLetter(program);
  const query = rowsOf(hit.alignment.query, hit.queryStart, hit.queryEnd, steps.query, width);
  const subject = rowsOf(hit.alignment.subject, hit.subjectStart, hit.subjectEnd, steps.subject, width);
  return query.map((row, index) => ({
    query: row,
    midline: hit.alignment.midline.slice(index * width, (index + 1) * width),
    subject: subject[index] ?? { text: '', start: row.start, end: row.start },
  }));
}

/**
 * A block as monospace lines, BLAST's way: "Query  1    ACGT…  60", the midline under the letters, then
 * "Sbjct". Coordinates are right-aligned to the widest one so the letters of every block line up.
 */
export function formatAlignmentBlock(block: AlignmentBlock, coordinateWidth: number): string {
  const left = (label: string, position: number) =>
    `${label.padEnd(6)}${String(position).padEnd(coordinateWidth)} `;
  const queryLine = `${left('Query', block.query.start)}${block.query.text}  ${block.query.end}`;
  const midLine = `${' '.repeat(6 + coordinateWidth + 1)}${block.midline}`;
  const subjectLine = `${left('Sbjct', block.subject.start)}${block.subject.text}  ${block.subject.end}`;
  return [queryLine, midLine, subjectLine].join('\n');
}

/** The width of the widest start coordinate of an alignment's blocks (for `formatAlignmentBlock`). */
export function coordinateWidthOf(blocks: readonly AlignmentBlock[]): number {
  return Math.max(
    1,
    ...blocks.flatMap((block) => [String(block.query.start).length, String(block.subject.start).length]),
  );
}

/** Where a hit lies on the query, as fractions of its length (0 = its first base, 1 = past its last). */
export function spanOnQuery(
  queryLength: number,
  hit: Pick<AlignedHit, 'queryStart' | 'queryEnd'>,
): { from: number; to: number; reverse: boolean } {
  const length = Math.max(1, queryLength);
  const low = Math.min(hit.queryStart, hit.queryEnd);
  const high = Math.max(hit.queryStart, hit.queryEnd);
  const clamp = (value: number) => Math.min(1, Math.max(0, value));
  return {
    from: clamp((low - 1) / length),
    to: clamp(high / length),
    reverse: hit.queryEnd < hit.queryStart,
  };
}

export interface IdentityBand {
  /** The lowest identity (in %) of the band. */
  min: number;
  label: string;
  /** A Mantine colour name. */
  color: string;
}

/** Identity bands from best to worst, each with its colour (the graphic's legend lists them). */
export const IDENTITY_BANDS: readonly IdentityBand[] = [
  { min: 98, label: '≥ 98%', color: 'red' },
  { min: 90, label: '90–98%', color: 'grape' },
  { min: 75, label: '75–90%', color: 'green' },
  { min: 50, label: '50–75%', color: 'blue' },
  { min: 0, label: '< 50%', color: 'dark' },
];

export function identityBandOf(percentIdentity: number): IdentityBand {
  return (
    IDENTITY_BANDS.find((band) => percentIdentity >= band.min) ?? IDENTITY_BANDS[IDENTITY_BANDS.length - 1]!
  );
}

/** Round positions (1, 2 or 5 times a power of ten apart) for about `count` ticks along 1…length. */
export function axisTicks(length: number, count = 5): number[] {
  if (length <= 1) return [1];
  const rough = Math.max(1, length / count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const spacing =
    [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? rough;
  const ticks = [1];
  for (let tick = spacing; tick < length; tick += spacing) if (tick > 1) ticks.push(tick);
  // The length is always marked; a round tick crowding it gives way.
  if (ticks.length > 1 && length - (ticks[ticks.length - 1] ?? 0) < spacing / 3) ticks.pop();
  ticks.push(length);
  return ticks;
}

/** An e-value as BLAST reports it: 0, two significant digits, or an exponent for small ones (3e-42). */
export function formatEvalue(evalue: number): string {
  if (evalue === 0) return '0';
  if (evalue < 1e-3) {
    const [mantissa = '', exponent = ''] = evalue.toExponential(0).split('e');
    return `${mantissa}e${exponent}`;
  }
  return String(Number(evalue.toPrecision(2)));
}

/** The columns where query and subject have the same letter (BLAST's "Identities"). */
export function identicalColumns(alignment: { query: string; subject: string }): number {
  let same = 0;
  for (let column = 0; column < alignment.query.length; column++) {
    const letter = alignment.query[column]?.toUpperCase();
    if (letter !== '-' && letter === alignment.subject[column]?.toUpperCase()) same++;
  }
  return same;
}
