/** A BLAST hit as the sequence search page draws it (web/src/search/sequence-alignment.ts). */
import { describe, expect, it } from 'vitest';
import {
  alignmentBlocks,
  axisTicks,
  coordinateWidthOf,
  formatAlignmentBlock,
  formatEvalue,
  identicalColumns,
  identityBandOf,
  spanOnQuery,
} from '../../web/src/search/sequence-alignment.js';

/** `length` letters of a made-up sequence. */
function lettersOf(length: number, alphabet = 'ACGT'): string {
  return Array.from({ length }, (_, i) => alphabet[(i * 7 + (i >> 2)) % alphabet.length]).join('');
}

describe('alignment blocks', () => {
  it('cuts an alignment into rows of 60 columns, each with the positions it starts and ends at', () => {
    const query = lettersOf(130);
    const blocks = alignmentBlocks(
      {
        alignment: { query, midline: '|'.repeat(130), subject: query },
        queryStart: 11,
        queryEnd: 140,
        subjectStart: 1001,
        subjectEnd: 1130,
      },
      'blastn',
    );
    expect(blocks.map((block) => [block.query.start, block.query.end, block.query.text.length])).toEqual([
      [11, 70, 60],
      [71, 130, 60],
      [131, 140, 10],
    ]);
    expect(blocks.map((block) => [block.subject.start, block.subject.end])).toEqual([
      [1001, 1060],
      [1061, 1120],
      [1121, 1130],
    ]);
    expect(blocks.map((block) => block.midline.length)).toEqual([60, 60, 10]);
    expect(blocks.map((block) => block.query.text).join('')).toBe(query);
  });

  it('gives gaps no position, and counts a minus-strand subject downwards', () => {
    // 60 columns: the query has 3 gaps, the subject 2.
    const query = `${lettersOf(20)}---${lettersOf(37)}`;
    const subject = `${lettersOf(40)}--${lettersOf(18)}`;
    const blocks = alignmentBlocks(
      {
        alignment: { query: query + 'ACGT', midline: ' '.repeat(64), subject: subject + 'ACGT' },
        queryStart: 1,
        queryEnd: 61,
        subjectStart: 500,
        subjectEnd: 439,
      },
      'blastn',
    );
    expect(blocks).toHaveLength(2);
    expect([blocks[0]?.query.start, blocks[0]?.query.end]).toEqual([1, 57]);
    expect([blocks[1]?.query.start, blocks[1]?.query.end]).toEqual([58, 61]);
    expect([blocks[0]?.subject.start, blocks[0]?.subject.end]).toEqual([500, 443]);
    expect([blocks[1]?.subject.start, blocks[1]?.subject.end]).toEqual([442, 439]);
  });

  it('counts three nucleotides per letter on the translated side (blastx query, tblastn subject)', () => {
    const protein = lettersOf(70, 'ACDEFGHIKLMNPQRSTVWY');
    const hit = {
      alignment: { query: protein, midline: protein, subject: protein },
      queryStart: 3,
      queryEnd: 212,
      subjectStart: 1,
      subjectEnd: 70,
    };
    const blastx = alignmentBlocks(hit, 'blastx');
    expect(blastx.map((block) => [block.query.start, block.query.end])).toEqual([
      [3, 182],
      [183, 212],
    ]);
    expect(blastx.map((block) => [block.subject.start, block.subject.end])).toEqual([
      [1, 60],
      [61, 70],
    ]);
    // A minus frame of blastx runs its query downwards, three at a time.
    const minusFrame = alignmentBlocks({ ...hit, queryStart: 212, queryEnd: 3 }, 'blastx');
    expect(minusFrame.map((block) => [block.query.start, block.query.end])).toEqual([
      [212, 33],
      [32, 3],
    ]);
    const tblastn = alignmentBlocks(
      { ...hit, queryStart: 1, queryEnd: 70, subjectStart: 100, subjectEnd: 309 },
      'tblastn',
    );
    expect(tblastn.map((block) => [block.subject.start, block.subject.end])).toEqual([
      [100, 279],
      [280, 309],
    ]);
  });

  it('gives a row of gaps only the position before it', () => {
    const blocks = alignmentBlocks(
      {
        alignment: { query: `${'A'.repeat(60)}${'-'.repeat(60)}`, midline: '', subject: 'C'.repeat(120) },
        queryStart: 5,
        queryEnd: 64,
        subjectStart: 1,
        subjectEnd: 120,
      },
      'blastn',
      60,
    );
    expect([blocks[1]?.query.start, blocks[1]?.query.end]).toEqual([64, 64]);
  });

  it("formats a block like BLAST's text output, letters aligned across blocks", () => {
    const [block] = alignmentBlocks(
      {
        alignment: { query: 'ACGTAC', midline: '|| |||', subject: 'ACTTAC' },
        queryStart: 98,
        queryEnd: 103,
        subjectStart: 1,
        subjectEnd: 6,
      },
      'blastn',
    );
    expect(block).toBeDefined();
    const text = formatAlignmentBlock(block!, coordinateWidthOf([block!]));
    expect(text.split('\n')).toEqual(['Query 98 ACGTAC  103', '         || |||', 'Sbjct 1  ACTTAC  6']);
  });
});

describe('identities', () => {
  it('counts the columns with the same letter on both sides, in any case, gaps not', () => {
    expect(identicalColumns({ query: 'ACG-TA', subject: 'acgatT' })).toBe(4);
  });
});

describe('the hit graphic', () => {
  it('places a hit on the query as fractions of its length, either strand', () => {
    expect(spanOnQuery(200, { queryStart: 1, queryEnd: 100 })).toEqual({ from: 0, to: 0.5, reverse: false });
    expect(spanOnQuery(200, { queryStart: 200, queryEnd: 101 })).toEqual({ from: 0.5, to: 1, reverse: true });
    expect(spanOnQuery(100, { queryStart: 90, queryEnd: 120 })).toEqual({
      from: 0.89,
      to: 1,
      reverse: false,
    });
  });

  it('colours by identity band', () => {
    expect(identityBandOf(100).min).toBe(98);
    expect(identityBandOf(97.9).min).toBe(90);
    expect(identityBandOf(80).min).toBe(75);
    expect(identityBandOf(50).min).toBe(50);
    expect(identityBandOf(12).min).toBe(0);
  });

  it('marks the query axis at round positions, its first and its last', () => {
    expect(axisTicks(1000)).toEqual([1, 200, 400, 600, 800, 1000]);
    expect(axisTicks(1030)).toEqual([1, 500, 1030]);
    expect(axisTicks(130)).toEqual([1, 50, 100, 130]);
    expect(axisTicks(3)).toEqual([1, 2, 3]);
    expect(axisTicks(1)).toEqual([1]);
  });

  it('writes e-values briefly', () => {
    expect(formatEvalue(0)).toBe('0');
    expect(formatEvalue(3.2e-42)).toBe('3e-42');
    expect(formatEvalue(0.0123)).toBe('0.012');
    expect(formatEvalue(7.6)).toBe('7.6');
  });
});
