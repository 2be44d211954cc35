/**
 * A job's work directory, the same for every executor: the agent writes the script and the argument files,
 * stages the inputs, and after the job reads back its exit code, the tool versions it printed, the tails of
 * its logs and its outputs.
 *
 * The command never becomes shell text. `command.argv` holds the argument vector NUL-separated and `job.sh`,
 * which is the same for every job, reads it with `mapfile -d ''` and runs `"${argv[@]}"`: a parameter such as
 * `; rm -rf / #` or `$(id)` reaches the program as one literal argument.
 */
import { lstat, mkdir, open, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { JobSpec } from './job-spec.js';

export const JOB_SCRIPT = 'job.sh';
export const STDOUT_LOG = 'stdout.log';
export const STDERR_LOG = 'stderr.log';
export const EXIT_CODE_FILE = 'exit-code';
export const INPUTS_DIR = 'inputs';
export const OUTPUTS_DIR = 'outputs';

const SCRIPT = `#!/bin/bash
# A Cairn job, run in its work directory. The command and the tools' version commands are read from
# NUL-separated argument files and run as argument vectors: this shell never interprets an argument.
set -u
if [ -d tool-versions ]; then
  for file in tool-versions/*.argv; do
    [ -e "$file" ] || continue
    mapfile -d '' -t tool < "$file"
    version=$("\${tool[@]}" 2>&1 < /dev/null | head -n 1)
    printf '%s\\t%s\\n' "$(basename -- "$file" .argv)" "$version"
  done > tool-versions.txt
fi
mapfile -d '' -t argv < command.argv
if [ -s stdout-to ]; then
  IFS= read -r -d '' target < stdout-to
  "\${argv[@]}" > "$target"
else
  "\${argv[@]}"
fi
status=$?
printf '%s\\n' "$status" > exit-code.part && mv exit-code.part exit-code
exit "$status"
`;

function argumentFile(argv: readonly string[]): string {
  for (const argument of argv) {
    if (argument.includes('\0')) throw new RangeError('An argument cannot hold a NUL character');
  }
  return argv.map((argument) => `${argument}\0`).join('');
}

/** A tool name as a file name: letters, digits, dot, dash, underscore. */
const TOOL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Writes the script and argument files and creates `inputs/` and `outputs/`; inputs are staged by the caller. */
export async function prepareJobDirectory(workDir: string, spec: JobSpec): Promise<void> {
  await mkdir(path.join(workDir, INPUTS_DIR), { recursive: true });
  await mkdir(path.join(workDir, OUTPUTS_DIR), { recursive: true });
  await mkdir(path.join(workDir, 'tool-versions'), { recursive: true });
  await writeFile(path.join(workDir, JOB_SCRIPT), SCRIPT, { mode: 0o755 });
  await writeFile(path.join(workDir, 'command.argv'), argumentFile(spec.argv));
  if (spec.stdoutTo !== null) await writeFile(path.join(workDir, 'stdout-to'), `${spec.stdoutTo}\0`);
  for (const [tool, argv] of Object.entries(spec.toolVersions)) {
    if (!TOOL_NAME.test(tool)) throw new RangeError(`Not a tool name: ${tool}`);
    await writeFile(path.join(workDir, 'tool-versions', `${tool}.argv`), argumentFile(argv));
  }
}

/** The exit code the command returned, or null if it has not returned (or was killed before it could say). */
export async function readExitCode(workDir: string): Promise<number | null> {
  try {
    const text = (await readFile(path.join(workDir, EXIT_CODE_FILE), 'utf8')).trim();
    return /^\d{1,3}$/.test(text) ? Number(text) : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Tool name → the first line its version command printed. */
export async function readToolVersions(workDir: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path.join(workDir, 'tool-versions.txt'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const versions: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) versions[line.slice(0, tab)] = line.slice(tab + 1).slice(0, 500);
  }
  return versions;
}

/** The last `bytes` of a log (decoded as UTF-8, a split character dropped), or '' when there is none yet. */
export async function readLogTail(file: string, bytes = 4096): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    let text = buffer.toString('utf8');
    if (size > length) text = text.replace(/^[\uFFFD]+/, '');
    return text;
  } finally {
    await handle.close();
  }
}

/** One file an output declaration matched. */
export interface OutputFile {
  readonly output: string;
  /** Its path relative to the work directory (`outputs/…`). */
  readonly relativePath: string;
  readonly absolutePath: string;
}

/** An output pattern (`outputs/*.fastq`: `*` and `?` within one path part) as a regular expression, matched whole. */
export function outputPatternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${escaped}$`);
}

/**
 * The regular files each declared output matches. A pattern is a path inside `outputs/` whose last part may
 * hold `*` and `?`. Symbolic links and anything outside `outputs/` are never matched: a job cannot make the
 * agent upload a file it was not meant to write.
 */
export async function collectOutputs(workDir: string, spec: JobSpec): Promise<OutputFile[]> {
  const outputsRoot = path.join(workDir, OUTPUTS_DIR);
  const found: OutputFile[] = [];
  for (const output of spec.outputs) {
    const relative = path.posix.normalize(output.path);
    if (!relative.startsWith(`${OUTPUTS_DIR}/`) || relative.includes('..')) continue;
    const directory = path.posix.dirname(relative);
    const matcher = outputPatternToRegExp(path.posix.basename(relative));
    const absoluteDirectory = path.join(workDir, directory);
    if (
      !(absoluteDirectory + path.sep).startsWith(outputsRoot + path.sep) &&
      absoluteDirectory !== outputsRoot
    ) {
      continue;
    }
    let entries: string[];
    try {
      if (!(await lstat(absoluteDirectory)).isDirectory()) continue;
      entries = await readdir(absoluteDirectory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const entry of entries.sort()) {
      if (!matcher.test(entry)) continue;
      const absolutePath = path.join(absoluteDirectory, entry);
      if (!(await lstat(absolutePath)).isFile()) continue;
      found.push({ output: output.name, relativePath: `${directory}/${entry}`, absolutePath });
    }
  }
  return found;
}

/** Writes `content` to `file` so that a reader sees the old or the new content, never a half-written one. */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
  const part = `${file}.part`;
  await writeFile(part, content);
  await rename(part, file);
}

/** A job's log to hand over; empty when the job never wrote it (it was never started). */
export async function openLogFile(file: string): Promise<Readable> {
  try {
    return (await open(file, 'r')).createReadStream();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Readable.from([]);
    throw error;
  }
}
