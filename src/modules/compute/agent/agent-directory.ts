/**
 * An agent's own directory: its instance id, kept across restarts so that it adopts the jobs it left, and a
 * pid file so that two agent processes never share one directory (and with it one identity).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The agent's instance id kept in `dir`, made (`<prefix>-<uuid>`) the first time. */
export async function agentIdIn(dir: string, prefix: string): Promise<string> {
  const file = path.join(dir, 'agent-id');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const id = `${prefix}-${randomUUID()}`;
    await writeFile(file, `${id}\n`, { flag: 'wx' });
    return id;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `dir` for this process (made if missing). Returns the pid of the live process that has it instead,
 * or null when this process has it now; a pid file left by a dead process is taken over.
 */
export async function lockAgentDirectory(dir: string): Promise<number | null> {
  await mkdir(dir, { recursive: true });
  const lock = path.join(dir, 'agent.pid');
  try {
    await writeFile(lock, String(process.pid), { flag: 'wx' });
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) return holder;
  await writeFile(lock, String(process.pid));
  return null;
}

export async function unlockAgentDirectory(dir: string): Promise<void> {
  await rm(path.join(dir, 'agent.pid'), { force: true });
}
