/**
 * Running the BLAST+ programs (makeblastdb, blastdb_aliastool, blastn, blastp, blastx, tblastn): always
 * asynchronously, without a shell, with a time limit, from CAIRN_BLAST_BIN_DIR or PATH. A missing program is
 * `BlastUnavailable` (503, saying how to install it), so that everything else keeps working without BLAST+.
 */
import path from 'node:path';
import { BlastTimeout, BlastUnavailable } from '../../errors/catalogue.js';
import { runProgram } from '../../processes/run-program.js';

export type BlastProgram = 'blastn' | 'blastp' | 'blastx' | 'tblastn';
export type BlastTool = BlastProgram | 'makeblastdb' | 'blastdb_aliastool';

export interface ProgramRun {
  stdout: string;
  stderr: string;
}

const INSTALL_HINT = 'install NCBI BLAST+ (Debian: `apt-get install ncbi-blast+`) or set CAIRN_BLAST_BIN_DIR';

/** The program's path: in `binDir` when set, else its bare name for PATH to resolve. */
export function blastToolPath(binDir: string | null, tool: BlastTool): string {
  return binDir === null ? tool : path.join(binDir, tool);
}

/**
 * Runs a BLAST+ program with `args`, writing `input` to its standard input; resolves with its output when it
 * exits 0. A missing program throws BlastUnavailable, a run past `timeoutMs` is killed and throws BlastTimeout,
 * any other failure an Error with the program's own message.
 */
export async function runBlastTool(
  binDir: string | null,
  tool: BlastTool,
  args: readonly string[],
  options: { input?: string; timeoutMs: number; cwd?: string },
): Promise<ProgramRun> {
  const result = await runProgram(blastToolPath(binDir, tool), args, options).catch(
    (error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' || error.code === 'EACCES'
        ? new BlastUnavailable(`The BLAST+ program ${tool} was not found: ${INSTALL_HINT}`)
        : error;
    },
  );
  if (result.timedOut) throw new BlastTimeout(Math.round(options.timeoutMs / 1000));
  if (result.status !== 0) {
    const message =
      result.stderr.trim().split('\n').slice(-3).join(' ') || `exit ${result.status ?? result.signal}`;
    throw new Error(`${tool} failed: ${message}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Throws BlastUnavailable unless the BLAST+ programs can be run (asked once per process and folder). */
const checked = new Map<string, Promise<void>>();
export function requireBlast(binDir: string | null): Promise<void> {
  const key = binDir ?? '';
  let check = checked.get(key);
  if (check === undefined) {
    check = runBlastTool(binDir, 'blastn', ['-version'], { timeoutMs: 30_000 }).then(() => undefined);
    // Only a success is remembered: installing BLAST+ later needs no restart.
    check.catch(() => checked.delete(key));
    checked.set(key, check);
  }
  return check;
}
