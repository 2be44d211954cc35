/** Request and response schemas of the sequence search (BLAST+ against the items' sequences). */
import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/common.schema.js';

export const BLAST_PROGRAMS = ['blastn', 'blastp', 'blastx', 'tblastn'] as const;

export const SequenceSearchSchema = Type.Object(
  {
    sequence: Type.String({
      minLength: 1,
      maxLength: 1_000_000,
      description: 'One query: the residues as they are, or one FASTA record (its > line is skipped)',
    }),
    program: Type.Enum(BLAST_PROGRAMS, {
      description:
        'blastn: DNA/RNA query against DNA and RNA fields; blastp: protein against protein; blastx: translated DNA query against protein; tblastn: protein against translated DNA and RNA',
    }),
    evalue: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 1000,
        default: 10,
        description: 'report hits up to this e-value',
      }),
    ),
    maxHits: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 500,
        default: 50,
        description: 'at most this many subjects (items)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SequenceSearch = Static<typeof SequenceSearchSchema>;

export const SequenceHitSchema = Type.Object({
  itemId: Type.String(),
  humanId: Nullable(Type.String()),
  name: Type.String(),
  percentIdentity: Type.Number(),
  alignmentLength: Type.Integer(),
  mismatches: Type.Integer(),
  gaps: Type.Integer(),
  queryStart: Type.Integer(),
  queryEnd: Type.Integer(),
  subjectStart: Type.Integer({ description: 'greater than subjectEnd for a hit on the minus strand' }),
  subjectEnd: Type.Integer(),
  evalue: Type.Number(),
  bitScore: Type.Number(),
  alignment: Type.Object({ query: Type.String(), midline: Type.String(), subject: Type.String() }),
});
export type SequenceHit = Static<typeof SequenceHitSchema>;

export const SequenceSearchResultSchema = Type.Object({
  queryLength: Type.Integer(),
  hits: Type.Array(SequenceHitSchema, {
    description: "One per alignment (HSP), best first; an item's several alignments follow each other",
  }),
});
export type SequenceSearchResult = Static<typeof SequenceSearchResultSchema>;
