/**
 * The BLAST databases on disk, under CAIRN_BLAST_DIR: per database type (`nucl`: DNA and RNA fields, `prot`)
 * a folder of volumes, each made once by makeblastdb and never rewritten (`main-<n>`, `recent-<n>`), and the
 * alias `cairn` (blastdb_aliastool) that combines the current main and recent volumes. A new alias is written
 * under a new name and renamed over the old one, so a search always opens a complete database; volumes the
 * alias no longer names are removed a while later, after the searches that opened them have finished.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { runBlastTool } from './blast-programs.js';
import type { BlastDbType } from './search.tables.js';

const ALIAS = 'cairn';
/** How long an unused volume is kept for searches that opened it before the alias moved on. */
const UNUSED_VOLUME_GRACE_MS = 10 * 60_000;
const MAKE_TIMEOUT_MS = 60 * 60_000;

export interface BlastFiles {
  readonly dir: string;
  readonly binDir: string | null;
}

export interface VolumeSequence {
  /** The BLAST id, written as `lcl|<id>` so that -parse_seqids keeps it as it is. */
  id: string;
  /** The rest of the defline (BLAST's `stitle`): the item's id, for tables made without Cairn (a job's). */
  title?: string;
  sequence: string;
}

export function databaseDir(files: BlastFiles, dbType: BlastDbType): string {
  return path.join(files.dir, dbType);
}

/** What `-db` names: the alias of a database type, or null when no volume has been written yet. */
export function aliasPath(files: BlastFiles, dbType: BlastDbType): string | null {
  const dir = databaseDir(files, dbType);
  return fs.existsSync(path.join(dir, `${ALIAS}.${dbType === 'nucl' ? 'nal' : 'pal'}`))
    ? path.join(dir, ALIAS)
    : null;
}

/**
 * The residues BLAST reads: gaps are alignment marks, not residues; RNA's U is read as T, so that one
 * nucleotide database holds DNA and RNA fields alike.
 */
export function blastResidues(dbType: BlastDbType, sequence: string): string {
  const ungapped = sequence.replaceAll('-', '');
  return dbType === 'nucl' ? ungapped.replaceAll('U', 'T') : ungapped;
}

/** A volume being written: sequences are added a page at a time, so a whole database never sits in memory. */
export interface VolumeWriter {
  add(sequences: readonly VolumeSequence[]): Promise<void>;
  /** Makes the volume; returns how many sequences it holds (0: none was made, makeblastdb refuses an empty one). */
  finish(): Promise<number>;
  /** Drops what was written (a failed rebuild). */
  abandon(): Promise<void>;
}

/** Starts writing the volume `name` of a database type. */
export async function openVolume(
  files: BlastFiles,
  dbType: BlastDbType,
  name: string,
): Promise<VolumeWriter> {
  const dir = databaseDir(files, dbType);
  await fs.promises.mkdir(dir, { recursive: true });
  const fasta = path.join(dir, `${name}.fasta`);
  const out = fs.createWriteStream(fasta);
  let count = 0;
  const close = async () => {
    if (!out.closed) {
      out.end();
      await once(out, 'close');
    }
  };
  return {
    async add(sequences) {
      let text = '';
      for (const { id, title, sequence } of sequences) {
        const residues = blastResidues(dbType, sequence);
        if (residues === '') continue;
        text += `>lcl|${id}${title === undefined ? '' : ` ${title}`}\n${residues}\n`;
        count++;
      }
      if (text !== '' && !out.write(text)) await once(out, 'drain');
    },
    async finish() {
      await close();
      try {
        if (count > 0) {
          await runBlastTool(
            files.binDir,
            'makeblastdb',
            ['-in', fasta, '-dbtype', dbType, '-parse_seqids', '-out', path.join(dir, name), '-title', name],
            { timeoutMs: MAKE_TIMEOUT_MS },
          );
        }
      } finally {
        await fs.promises.rm(fasta, { force: true });
      }
      return count;
    },
    async abandon() {
      await close();
      await fs.promises.rm(fasta, { force: true });
    },
  };
}

/** Writes the volume `name` from these sequences at once; returns how many it holds (0: no volume). */
export async function writeVolume(
  files: BlastFiles,
  dbType: BlastDbType,
  name: string,
  sequences: readonly VolumeSequence[],
): Promise<number> {
  const writer = await openVolume(files, dbType, name);
  await writer.add(sequences);
  return writer.finish();
}

/**
 * Points the alias at these volumes (null ones left out; none: the alias goes, and searches find nothing).
 * The new alias is complete before it replaces the old one.
 */
export async function pointAlias(
  files: BlastFiles,
  dbType: BlastDbType,
  volumes: readonly (string | null)[],
  generation: number,
): Promise<void> {
  const dir = databaseDir(files, dbType);
  await fs.promises.mkdir(dir, { recursive: true });
  const extension = dbType === 'nucl' ? 'nal' : 'pal';
  const named = volumes.filter((volume): volume is string => volume !== null);
  const target = path.join(dir, `${ALIAS}.${extension}`);
  if (named.length === 0) {
    await fs.promises.rm(target, { force: true });
    return;
  }
  const next = `${ALIAS}-next-${generation}`;
  // Run in the folder: the alias names its volumes relative to where it lies.
  await runBlastTool(
    files.binDir,
    'blastdb_aliastool',
    ['-dblist', named.join(' '), '-dbtype', dbType, '-out', next, '-title', ALIAS],
    { timeoutMs: 60_000, cwd: dir },
  );
  await fs.promises.rename(path.join(dir, `${next}.${extension}`), target);
}

/**
 * Writes `<alias>.excluded`: the BLAST ids a job's own blastn leaves out with `-negative_seqidlist`, where hits
 * cannot be checked against the items and their readers — sequences items no longer hold and samples'
 * sequences — one a line. None: no file.
 */
export async function writeJobExclusions(
  files: BlastFiles,
  dbType: BlastDbType,
  ids: readonly string[],
): Promise<void> {
  const dir = databaseDir(files, dbType);
  const target = path.join(dir, `${ALIAS}.excluded`);
  if (ids.length === 0) {
    await fs.promises.rm(target, { force: true });
    return;
  }
  await fs.promises.mkdir(dir, { recursive: true });
  const next = `${target}.${process.pid}.next`;
  await fs.promises.writeFile(next, `${ids.join('\n')}\n`);
  await fs.promises.rename(next, target);
}

/** Removes the files of volumes other than `keep` that have not been touched for a while. */
export async function removeUnusedVolumes(
  files: BlastFiles,
  dbType: BlastDbType,
  keep: readonly (string | null)[],
): Promise<void> {
  const dir = databaseDir(files, dbType);
  const kept = new Set(keep.filter((volume): volume is string => volume !== null));
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const volume = /^((?:main|recent)-\d+)\./.exec(name)?.[1];
    if (volume === undefined || kept.has(volume)) continue;
    const file = path.join(dir, name);
    const stat = await fs.promises.stat(file).catch(() => null);
    if (stat !== null && now - stat.mtimeMs > UNUSED_VOLUME_GRACE_MS)
      await fs.promises.rm(file, { force: true });
  }
}
