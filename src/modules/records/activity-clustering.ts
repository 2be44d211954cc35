/**
 * Acquisition activities of a record: a session's files grouped by the gaps between their modification
 * times, and each activity's metadata split into its setup (values every file shares) and what stays per
 * file. The grouping follows NexusLIMS (`cluster_filelist_mtimes`): a Gaussian kernel density estimate of
 * the file times, its bandwidth chosen by leave-one-out likelihood over 35 candidates between the smallest and
 * the largest gap, divided by a sensitivity (NexusLIMS's `NX_CLUSTERING_SENSITIVITY`; 0 turns grouping off);
 * the density's local minima are the boundaries. docs/activity-clustering.md explains the method with a
 * worked example. Pure functions: no file system, no database.
 */
import { Invalid } from '../../errors/catalogue.js';

export interface Activity {
  /** The first and last file modification times of the activity. */
  readonly start: Date;
  readonly end: Date;
  /** Indexes into the files given, in mtime order. */
  readonly fileIndexes: readonly number[];
}

export interface TimeClustering {
  /** The kernel bandwidth used (seconds, after the sensitivity); null when there was nothing to estimate. */
  readonly bandwidthSeconds: number | null;
  /** The times (seconds) between activities: the density's local minima, ascending. */
  readonly boundaries: readonly number[];
}

/** The number of candidate bandwidths, spaced evenly on a log scale, as NexusLIMS's grid search. */
const BANDWIDTH_CANDIDATES = 35;
/** The density is evaluated at this many points per distinct time, as NexusLIMS does. */
const GRID_POINTS_PER_TIME = 10;
/**
 * Kernel terms smaller than the largest one by this much in log space (e^-40 ≈ 4e-18) are left out of a sum:
 * below double precision next to it, and leaving them out keeps each sum to the near neighbours.
 */
const NEGLIGIBLE_LOG = 40;
/** How far (log of the density, ≈ 0.1%) a minimum must dip below the peaks beside it to separate activities. */
const MIN_DIP_LOG = 1e-3;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** The default sensitivity: the bandwidth as the likelihood chooses it. */
export const DEFAULT_SENSITIVITY = 1;

/**
 * Groups files into acquisition activities by the gaps between their modification times. Higher
 * sensitivity splits at smaller gaps; 0 puts every file into one activity. Files with equal mtimes always
 * share an activity. Returns the activities in time order; an empty list gives none.
 */
export function groupIntoActivities(
  files: readonly { readonly mtimeMs: number }[],
  sensitivity: number = DEFAULT_SENSITIVITY,
): Activity[] {
  checkSensitivity(sensitivity);
  const order = files.map((_, index) => index).sort((a, b) => mtimeOf(files, a) - mtimeOf(files, b));
  if (order.length === 0) return [];
  const { boundaries } = clusterTimes(
    order.map((index) => mtimeOf(files, index) / 1000),
    sensitivity,
  );
  const groups: number[][] = [];
  let boundary = 0;
  let current: number[] = [];
  for (const index of order) {
    const seconds = mtimeOf(files, index) / 1000;
    let moved = false;
    while (boundary < boundaries.length && seconds > (boundaries[boundary] as number)) {
      boundary++;
      moved = true;
    }
    if (moved && current.length > 0) {
      groups.push(current);
      current = [];
    }
    current.push(index);
  }
  groups.push(current);
  return groups.map((fileIndexes) => ({
    start: new Date(mtimeOf(files, fileIndexes[0] as number)),
    end: new Date(mtimeOf(files, fileIndexes[fileIndexes.length - 1] as number)),
    fileIndexes,
  }));
}

/**
 * The boundaries between activities in a series of times (seconds): the local minima of a Gaussian kernel
 * density estimate whose bandwidth maximizes the leave-one-out likelihood, divided by the sensitivity.
 * Exposed for the record builder's log (the bandwidth) and for the documentation's worked example.
 */
export function clusterTimes(
  times: readonly number[],
  sensitivity: number = DEFAULT_SENSITIVITY,
): TimeClustering {
  checkSensitivity(sensitivity);
  const distinct = [...new Set(times)].sort((a, b) => a - b);
  if (sensitivity === 0 || distinct.length < 2) return { bandwidthSeconds: null, boundaries: [] };
  const origin = distinct[0] as number;
  const x = distinct.map((t) => t - origin); // seconds from the first file: small numbers on the grid
  let smallest = Number.POSITIVE_INFINITY;
  let largest = 0;
  for (let i = 1; i < x.length; i++) {
    const gap = (x[i] as number) - (x[i - 1] as number);
    smallest = Math.min(smallest, gap);
    largest = Math.max(largest, gap);
  }

  let best = smallest;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < BANDWIDTH_CANDIDATES; k++) {
    const fraction = k / (BANDWIDTH_CANDIDATES - 1);
    const bandwidth = Math.exp(Math.log(smallest) + fraction * (Math.log(largest) - Math.log(smallest)));
    const score = leaveOneOutScore(x, bandwidth);
    if (score > bestScore) {
      bestScore = score;
      best = bandwidth;
    }
  }
  const bandwidth = best / sensitivity;

  const span = x[x.length - 1] as number;
  const points = distinct.length * GRID_POINTS_PER_TIME;
  const density: number[] = [];
  let nearest = 0;
  for (let p = 0; p < points; p++) {
    const at = (span * p) / (points - 1);
    while (nearest + 1 < x.length && (x[nearest + 1] as number) <= at) nearest++;
    density.push(logKernelSum(x, at, nearest, bandwidth, -1));
  }
  const minima: number[] = [];
  for (let p = 1; p < points - 1; p++) {
    const here = density[p] as number;
    if (here < (density[p - 1] as number) && here < (density[p + 1] as number)) minima.push(p);
  }
  // A minimum is a boundary when the density there lies clearly below the peaks on both sides: files at a
  // steady pace make a kernel sum whose ripples are minima too, a billionth deep, that are no gap.
  const boundaries: number[] = [];
  for (let m = 0; m < minima.length; m++) {
    const p = minima[m] as number;
    const leftPeak = peak(density, m === 0 ? 0 : (minima[m - 1] as number), p);
    const rightPeak = peak(density, p, m === minima.length - 1 ? points - 1 : (minima[m + 1] as number));
    if (Math.min(leftPeak, rightPeak) - (density[p] as number) >= MIN_DIP_LOG)
      boundaries.push(origin + (span * p) / (points - 1));
  }
  return { bandwidthSeconds: bandwidth, boundaries };
}

/**
 * The leave-one-out log-likelihood of sorted times under a Gaussian kernel density with this bandwidth: each
 * time scored by the density of the others (what scikit-learn's KernelDensity scores in NexusLIMS's
 * GridSearchCV with LeaveOneOut, summed over the folds).
 */
function leaveOneOutScore(x: readonly number[], bandwidth: number): number {
  const n = x.length;
  const perPoint = -Math.log(n - 1) - Math.log(bandwidth) - LOG_SQRT_2PI;
  let total = 0;
  for (let i = 0; i < n; i++) total += logKernelSum(x, x[i] as number, i, bandwidth, i) + perPoint;
  return total;
}

/**
 * log Σ_j exp(−(at − x_j)² / 2h²) over the sorted times except `skip`, computed from the largest term
 * outwards (log-sum-exp), so that a point far from all others still gets a finite, ordered value. `near` is
 * the index of a time at or just below `at`.
 */
function logKernelSum(
  x: readonly number[],
  at: number,
  near: number,
  bandwidth: number,
  skip: number,
): number {
  const scale = 1 / (2 * bandwidth * bandwidth);
  const exponent = (j: number): number => {
    const d = at - (x[j] as number);
    return -d * d * scale;
  };
  // The largest term belongs to the nearest time not skipped: one of near-1, near, near+1, near+2.
  let largest = Number.NEGATIVE_INFINITY;
  for (let j = Math.max(0, near - 1); j <= Math.min(x.length - 1, near + 2); j++)
    if (j !== skip) largest = Math.max(largest, exponent(j));
  let sum = 0;
  for (let j = near; j >= 0; j--) {
    if (j === skip) continue;
    const e = exponent(j);
    if (e < largest - NEGLIGIBLE_LOG) break;
    sum += Math.exp(e - largest);
  }
  for (let j = near + 1; j < x.length; j++) {
    if (j === skip) continue;
    const e = exponent(j);
    if (e < largest - NEGLIGIBLE_LOG) break;
    sum += Math.exp(e - largest);
  }
  return largest + Math.log(sum);
}

function peak(density: readonly number[], from: number, to: number): number {
  let highest = Number.NEGATIVE_INFINITY;
  for (let p = from; p <= to; p++) highest = Math.max(highest, density[p] as number);
  return highest;
}

function mtimeOf(files: readonly { readonly mtimeMs: number }[], index: number): number {
  return (files[index] as { readonly mtimeMs: number }).mtimeMs;
}

function checkSensitivity(sensitivity: number): void {
  if (!Number.isFinite(sensitivity) || sensitivity < 0)
    throw new Invalid(`The clustering sensitivity must be a number ≥ 0, not ${sensitivity}`, [
      { field: 'sensitivity', message: 'must be a number ≥ 0' },
    ]);
}

// ---- setup and per-file metadata ----

/** Joins the keys of nested metadata into one flat key, as NexusLIMS's `flatten_dict` (its fork's dash). */
export const KEY_SEPARATOR = ' – ';

export interface SplitMetadata {
  /** Flattened keys whose value is the same in every file of the activity. */
  readonly setup: Readonly<Record<string, unknown>>;
  /** Per file, in the order given: the flattened keys not in the setup. */
  readonly perFile: readonly Readonly<Record<string, unknown>>[];
}

/**
 * Splits an activity's per-file metadata into its setup — flattened keys present with an equal value in
 * every file — and the rest, which stays with each file. An activity of one file has no setup (its values
 * describe the file, not a setup), as in NexusLIMS. Nested objects are flattened to keys joined by
 * KEY_SEPARATOR; arrays and other values are compared whole.
 */
export function splitSetup(metadata: readonly Readonly<Record<string, unknown>>[]): SplitMetadata {
  const flat = metadata.map((meta) => flattenMetadata(meta));
  if (flat.length < 2) return { setup: {}, perFile: flat };
  const [first, ...others] = flat as [Record<string, unknown>, ...Record<string, unknown>[]];
  const setup: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first)) {
    const shared = canonical(value);
    if (others.every((meta) => Object.hasOwn(meta, key) && canonical(meta[key]) === shared))
      setup[key] = value;
  }
  const perFile = flat.map((meta) =>
    Object.fromEntries(Object.entries(meta).filter(([key]) => !Object.hasOwn(setup, key))),
  );
  return { setup, perFile };
}

/** Nested plain objects flattened to one level, keys joined by KEY_SEPARATOR. */
export function flattenMetadata(meta: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  const walk = (value: Readonly<Record<string, unknown>>, prefix: string): void => {
    for (const [key, inner] of Object.entries(value)) {
      const name = prefix === '' ? key : `${prefix}${KEY_SEPARATOR}${key}`;
      if (isPlainObject(inner)) walk(inner, name);
      else flat[name] = inner;
    }
  };
  walk(meta, '');
  return flat;
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A text equal for equal values: type-tagged, so that 1 and "1" differ; NaN equals NaN. */
function canonical(value: unknown): string {
  if (value instanceof Date) return `date:${value.toISOString()}`;
  if (typeof value === 'number') return `number:${String(value)}`;
  if (typeof value === 'bigint') return `bigint:${value.toString()}`;
  if (value === undefined) return 'undefined';
  return `${typeof value}:${JSON.stringify(value)}`;
}
