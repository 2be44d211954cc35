/**
 * What Slurm accepts as a time limit, a memory size and a partition or account name: one rule for each,
 * used by the HPC resources' settings and the analysis types' resources alike. Pure, no I/O.
 */

/** Slurm's `[D-]HH:MM:SS` (minutes and seconds below 60), or a whole number of minutes; never zero. */
const SLURM_TIME = /^(?:(\d{1,5})|(?:(\d{1,4})-)?(\d{1,2}):([0-5]\d):([0-5]\d))$/;
/** A whole number of kilo-, mega-, giga- or terabytes, as sbatch's `--mem` takes it. */
const MEMORY_SIZE = /^[1-9]\d{0,8}[KMGT]$/;
/** A partition or account as Slurm names them. */
const SLURM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The message for a value `isSlurmTime` refuses. */
export const SLURM_TIME_RULE = 'must be [D-]HH:MM:SS or a number of minutes';
/** The message for a value `isMemorySize` refuses. */
export const MEMORY_SIZE_RULE = 'must be a number with a unit K, M, G or T (4G)';

/**
 * Whether sbatch takes `text` as `--time`: a positive whole number of minutes, or `[D-]HH:MM:SS` (hours below
 * 24 when days are given) that is not all zeros. Checked here so that a bad limit is a 422 naming its field,
 * not a job the scheduler refuses later.
 */
export function isSlurmTime(text: string): boolean {
  const match = SLURM_TIME.exec(text);
  if (!match) return false;
  const [, minutes, days, hours, mins, secs] = match;
  if (minutes !== undefined) return Number(minutes) > 0;
  if (Number(hours) > 23 && days !== undefined) return false;
  return Number(days ?? 0) + Number(hours) + Number(mins) + Number(secs) > 0;
}

/** Whether sbatch takes `text` as `--mem`: a whole number from 1 with a unit K, M, G or T. */
export function isMemorySize(text: string): boolean {
  return MEMORY_SIZE.test(text);
}

/** Whether `text` can name a Slurm partition or account (and cannot pass for an option: no leading dash). */
export function isSlurmName(text: string): boolean {
  return SLURM_NAME.test(text);
}
