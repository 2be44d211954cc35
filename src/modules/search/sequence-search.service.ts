/**
 * Sequence search: runs BLAST+ (blastn, blastp, blastx, tblastn) against the BLAST databases the upkeep keeps
 * (blast-upkeep.ts) and answers only hits that hold now. Each hit names a BLAST entry; it is answered when the
 * entry's item is live, not hidden, visible to the caller (the line items follow everywhere), and still holds
 * that very sequence — so a deleted or changed sequence is never a stale hit. BLAST is asked for more subjects
 * than wanted by the number of dead entries still in the main volume, and again for more while hits that do
 * not hold crowd out ones that do, so those never hide a valid hit either.
 */
import { availableParallelism } from 'node:os';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { InvalidSequence } from '../../errors/catalogue.js';
import type { Actor } from '../accounts/actor.js';
import { readVisibleItemSequences } from '../inventory/item-sequences.js';
import { normalizeSequence } from '../inventory/sequence-alphabets.js';
import { aliasPath } from './blast-files.js';
import { requireBlast, runBlastTool, type BlastProgram } from './blast-programs.js';
import { blastFilesOf, dbTypeOf, entryIdOf, sequenceHash } from './blast-upkeep.js';
import * as repo from './blast.repository.js';
import type { SequenceHit, SequenceSearch, SequenceSearchResult } from './sequence-search.schema.js';
import type { BlastDbType } from './search.tables.js';

interface ProgramShape {
  /** What the query is written in. */
  query: 'nucleotide' | 'protein';
  database: BlastDbType;
  /** The task for queries shorter than `shortBelow` residues (BLAST's defaults miss them). */
  shortTask?: string;
  shortBelow?: number;
}

const PROGRAMS: Readonly<Record<BlastProgram, ProgramShape>> = {
  blastn: { query: 'nucleotide', database: 'nucl', shortTask: 'blastn-short', shortBelow: 50 },
  blastp: { query: 'protein', database: 'prot', shortTask: 'blastp-short', shortBelow: 30 },
  blastx: { query: 'nucleotide', database: 'prot' },
  tblastn: { query: 'protein', database: 'nucl' },
};

/** How many times BLAST is asked again, for four times as many subjects, while hits that do not hold crowd out. */
const MAX_WIDENINGS = 3;

/** The residues of the one query in `text` (raw or one FASTA record), as BLAST reads them; InvalidSequence if none. */
export function queryResidues(program: BlastProgram, text: string): string {
  const lines = text.split(/\r?\n/);
  const headers = lines.filter((line) => line.trimStart().startsWith('>')).length;
  if (headers > 1) {
    throw new InvalidSequence(`search one sequence at a time: this FASTA text has ${headers} records`);
  }
  const body = lines.filter((line) => !line.trimStart().startsWith('>')).join('\n');
  let residues: string;
  if (PROGRAMS[program].query === 'protein') {
    const normalized = normalizeSequence('protein', body);
    if ('error' in normalized)
      throw new InvalidSequence(`${program} takes a protein query: ${normalized.error}`);
    residues = normalized.sequence;
  } else {
    const dna = normalizeSequence('dna', body);
    const rna = 'error' in dna ? normalizeSequence('rna', body) : dna;
    if ('error' in rna) {
      throw new InvalidSequence(
        `${program} takes a DNA or RNA query: ${'error' in dna ? dna.error : rna.error}`,
      );
    }
    residues = rna.sequence.replaceAll('U', 'T');
  }
  residues = residues.replaceAll('-', '');
  if (residues === '') throw new InvalidSequence('the query has no residues');
  return residues;
}

interface BlastHsp {
  bit_score: number;
  evalue: number;
  identity: number;
  align_len: number;
  gaps?: number;
  query_from: number;
  query_to: number;
  hit_from: number;
  hit_to: number;
  qseq: string;
  hseq: string;
  midline: string;
}

interface BlastHit {
  description: { id: string; accession?: string }[];
  hsps: BlastHsp[];
}

interface BlastReport {
  BlastOutput2: { report: { results: { search: { query_len: number; hits: BlastHit[] } } } }[];
}

/**
 * At most one BLAST search per core runs at once in this process; the rest wait their turn, so a burst of
 * searches shares the machine instead of thrashing it (each search's time limit starts when it runs).
 */
const MAX_RUNNING = availableParallelism();
let running = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next();
  }
}

/** Runs the program and returns BLAST's own report of its subjects, best first. */
async function runBlast(
  config: Config,
  program: BlastProgram,
  database: string,
  residues: string,
  evalue: number,
  subjects: number,
): Promise<{ queryLength: number; hits: BlastHit[] }> {
  const shape = PROGRAMS[program];
  const task =
    shape.shortTask !== undefined && residues.length < (shape.shortBelow ?? 0)
      ? ['-task', shape.shortTask]
      : [];
  const { stdout } = await inTurn(() =>
    runBlastTool(
      config.blastBinDir,
      program,
      [
        '-db',
        database,
        '-outfmt',
        '15',
        '-evalue',
        String(evalue),
        '-max_target_seqs',
        String(subjects),
        ...task,
      ],
      { input: `>query\n${residues}\n`, timeoutMs: config.blastTimeoutSeconds * 1000 },
    ),
  );
  const search = (JSON.parse(stdout) as BlastReport).BlastOutput2[0]?.report.results.search;
  return { queryLength: search?.query_len ?? residues.length, hits: search?.hits ?? [] };
}

/** The hits that hold now and that the actor may see, in BLAST's order. */
async function checkedHits(
  db: Db,
  actor: Actor,
  hits: readonly BlastHit[],
): Promise<{ hit: BlastHit; item: { id: string; humanId: string; name: string } }[]> {
  const entryIds = hits.map((hit) => entryIdOf(hit.description[0]?.id ?? ''));
  const entries = new Map(
    (
      await repo.findEntries(
        db,
        entryIds.filter((id): id is number => id !== null),
      )
    ).map((entry) => [entry.id, entry]),
  );
  const items = new Map(
    (
      await readVisibleItemSequences(db, actor, [
        ...new Set([...entries.values()].map((entry) => entry.item_id)),
      ])
    ).map((item) => [item.id, item]),
  );
  const holding: { hit: BlastHit; item: { id: string; humanId: string; name: string } }[] = [];
  hits.forEach((hit, index) => {
    const entryId = entryIds[index];
    const entry = entryId === null || entryId === undefined ? undefined : entries.get(entryId);
    const item = entry === undefined ? undefined : items.get(entry.item_id);
    if (entry === undefined || item === undefined) return;
    const held = item.sequences.find((candidate) => candidate.field === entry.field);
    // The field's alphabet may have changed since (DNA to protein): the entry is then in the wrong database.
    if (
      held !== undefined &&
      dbTypeOf(held.alphabet) === entry.db_type &&
      sequenceHash(held.sequence) === entry.sequence_hash
    ) {
      holding.push({ hit, item });
    }
  });
  return holding;
}

function toHits(hit: BlastHit, item: { id: string; humanId: string; name: string }): SequenceHit[] {
  return hit.hsps.map((hsp) => {
    const gaps = hsp.gaps ?? 0;
    return {
      itemId: item.id,
      humanId: item.humanId,
      name: item.name,
      percentIdentity: Number(((100 * hsp.identity) / hsp.align_len).toFixed(3)),
      alignmentLength: hsp.align_len,
      mismatches: hsp.align_len - hsp.identity - gaps,
      gaps,
      queryStart: hsp.query_from,
      queryEnd: hsp.query_to,
      subjectStart: hsp.hit_from,
      subjectEnd: hsp.hit_to,
      evalue: hsp.evalue,
      bitScore: hsp.bit_score,
      alignment: { query: hsp.qseq, midline: hsp.midline, subject: hsp.hseq },
    };
  });
}

/**
 * Searches the items' sequences with BLAST+: the query is checked against the program's alphabet (400 naming
 * the first bad character), BLAST+ must be installed (503 otherwise) and finish within the time limit (503).
 * Answers at most `maxHits` items, only ones the actor may see, each with its alignments.
 */
export async function searchSequences(
  db: Db,
  config: Config,
  actor: Actor,
  input: SequenceSearch,
): Promise<SequenceSearchResult> {
  const residues = queryResidues(input.program, input.sequence);
  const maxHits = input.maxHits ?? 50;
  const evalue = input.evalue ?? 10;
  await requireBlast(config.blastBinDir);
  const shape = PROGRAMS[input.program];
  const database = aliasPath(blastFilesOf(config), shape.database);
  if (database === null) return { queryLength: residues.length, hits: [] };
  let subjects = maxHits + (await repo.countEntries(db, shape.database, 'main', false));
  for (let widening = 0; ; widening++) {
    const report = await runBlast(config, input.program, database, residues, evalue, subjects);
    const held = await checkedHits(db, actor, report.hits);
    // BLAST answered fewer subjects than asked for: there are no more to find.
    if (held.length >= maxHits || report.hits.length < subjects || widening === MAX_WIDENINGS) {
      return {
        queryLength: report.queryLength,
        hits: held.slice(0, maxHits).flatMap(({ hit, item }) => toHits(hit, item)),
      };
    }
    subjects *= 4;
  }
}
