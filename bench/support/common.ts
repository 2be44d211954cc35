/** Small helpers shared by benchmarks: knobs from the environment, seeded randomness, means, formatting. */
import os from 'node:os';

/** A positive number from the environment, or the benchmark's default. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** A small deterministic generator (mulberry32), so every run makes the same data. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const mean = (values: readonly number[]): number =>
  values.reduce((sum, v) => sum + v, 0) / values.length;

export const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The 1-minute load average now (note it before and after a benchmark). */
export function loadAverage(): number {
  return os.loadavg()[0] ?? 0;
}

/** The load-average line of a benchmark's notes. */
export function loadNote(before: number): string {
  return (
    `load average (1 min) ${fmt(before, 1)} before the benchmark, ${fmt(loadAverage(), 1)} after, on ${os.cpus().length} cores` +
    (before >= 1
      ? ' — other processes were busy: they take cores from the measured processes, so read with care'
      : '')
  );
}
