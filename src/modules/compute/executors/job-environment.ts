/**
 * The environment a job starts with: only what a program needs to run (PATH, HOME, the locale, …), never the
 * agent's or the server's own settings — its token, DATABASE_URL, the admin password — which a job's command
 * could otherwise read.
 */
import path from 'node:path';

const INHERITED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

/** What Cairn itself tells every job, beside what it inherits. */
export type JobVariables = Readonly<Record<string, string>>;

/**
 * Where a job finds the inventory's nucleotide BLAST database (`-db "$CAIRN_BLAST_DB"`): the alias the BLAST
 * upkeep keeps in `<blastDir>/nucl/cairn` (search/blast-files.ts), and `$CAIRN_BLAST_DB.excluded`, the ids a
 * job leaves out with `-negative_seqidlist`: sequences no longer held, and samples' sequences.
 */
export function jobVariablesOf(blastDir: string): JobVariables {
  return { CAIRN_BLAST_DB: path.join(blastDir, 'nucl', 'cairn') };
}

/** The variables of `from` a job may inherit, plus those whose names start with one of `prefixes`. */
export function inheritedEnvironment(
  from: NodeJS.ProcessEnv = process.env,
  prefixes: readonly string[] = [],
): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    if (INHERITED.includes(name) || prefixes.some((prefix) => name.startsWith(prefix)))
      environment[name] = value;
  }
  return environment;
}
