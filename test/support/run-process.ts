/**
 * Child processes for tests, always asynchronous: a test that waited for a child synchronously would block its
 * worker's event loop, and vitest fails the run when a worker cannot answer it in time, even if every test passed.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ProcessResult {
  /** The exit code, or null when a signal ended the process. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to standard input, which is then closed. */
  input?: string;
  /** The child is killed after this long and the call fails with what it printed so far. */
  timeoutMs?: number;
  /** Called with everything printed so far each time the child prints something (to react to progress). */
  onOutput?: (output: { stdout: string; stderr: string }, child: ChildProcess) => void;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Runs a command to its end and gives its exit status and output. Fails if the command cannot be started or
 * outlives its timeout; a non-zero exit is a result, not a failure.
 */
export function runProcess(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<ProcessResult> {
  const { env, cwd, input, timeoutMs = DEFAULT_TIMEOUT_MS, onOutput } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: 'pipe' });
    const output = { stdout: '', stderr: '' };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${command} ${args.join(' ')} was killed after ${timeoutMs} ms\nstdout: ${output.stdout}\nstderr: ${output.stderr}`,
        ),
      );
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output.stdout += chunk;
      onOutput?.(output, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output.stderr += chunk;
      onOutput?.(output, child);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, ...output });
    });
    // A child that exits without reading its input closes the pipe: that is its business, not an error here.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** Whether a command can be started here (for tests that need a system tool). */
export async function commandRuns(command: string, args: string[]): Promise<boolean> {
  try {
    return (await runProcess(command, args, { timeoutMs: 30_000 })).status === 0;
  } catch {
    return false;
  }
}
