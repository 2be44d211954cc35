/**
 * Sequencing files of the demo samples, made in code so that every `cairn demo` writes the same bytes: FASTQ
 * reads drawn from the demo's real sequences (the EGFP reporter and the pUC19 region) by a seeded generator,
 * with varying base qualities, and a FASTA of the same sequences. `truncated` cuts the last record inside its
 * quality line, as an interrupted transfer leaves a file, so that tools reading it fail for a real reason.
 */
import { EGFP_ORF, PUC19_1_480 } from './demo-sequences.js';

/** A small deterministic generator (mulberry32): the same seed gives the same reads on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface DemoReadsOptions {
  /** Names the reads (`<prefix>:<n>`) and seeds the generator. */
  readonly prefix: string;
  readonly seed: number;
  readonly count: number;
  readonly length: number;
  /** Cut the file inside the last read's quality line. */
  readonly truncated?: boolean;
}

const TEMPLATES = [EGFP_ORF, PUC19_1_480];

/** A FASTQ file of `count` reads of `length` bases (Phred+33 qualities that fall off towards the 3′ end). */
export function demoFastq(options: DemoReadsOptions): string {
  const random = seededRandom(options.seed);
  const records: string[] = [];
  for (let n = 1; n <= options.count; n++) {
    const template = TEMPLATES[Math.floor(random() * TEMPLATES.length)]!;
    const start = Math.floor(random() * (template.length - options.length));
    const bases = template.slice(start, start + options.length);
    let quality = '';
    for (let i = 0; i < bases.length; i++) {
      const phred = Math.max(2, Math.round(38 - (i / bases.length) * 14 - random() * 8));
      quality += String.fromCharCode(33 + phred);
    }
    records.push(`@${options.prefix}:${n}\n${bases}\n+\n${quality}\n`);
  }
  const text = records.join('');
  return options.truncated === true ? text.slice(0, text.length - Math.ceil(options.length / 2)) : text;
}

/** A FASTA file of the demo's reference sequences, 60 bases a line. */
export function demoReferenceFasta(): string {
  const lines = (sequence: string) => sequence.match(/.{1,60}/g)!.join('\n');
  return (
    `>EGFP_ORF enhanced GFP open reading frame\n${lines(EGFP_ORF)}\n` +
    `>pUC19_1-480 pUC19 cloning vector (L09137.2) positions 1-480\n${lines(PUC19_1_480)}\n`
  );
}
