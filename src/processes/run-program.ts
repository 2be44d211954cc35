/**
 * Running the programs Cairn drives (Slurm's commands, BLAST+): asynchronously, with an argument vector and
 * never a shell, with a time limit after which the program is killed. What a result means (a failure, a
 * program that is missing) is each caller's to say.
 */
import { spawn } from 'node:child_process';

export interface ProgramResult {
  /** The exit status, or null when a signal ended it. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** It ran past its time limit and was killed. */
  timedOut: boolean;
}

export interface ProgramOptions {
  timeoutMs: number;
  /** Written to its standard input, which is then closed. */
  input?: string | undefined;
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** Runs `command` with `args` to its end; rejects only when it cannot be started (the spawn error, with its code). */
export function runProgram(
  command: string,
  args: readonly string[],
  options: ProgramOptions,
): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      ...(options.env !== undefined && { env: options.env }),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A program that exits before reading its input closes the pipe: its exit status says what happened.
    child.stdin.on('error', () => {});
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({
        status,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      });
    });
    child.stdin.end(options.input ?? '');
  });
}
