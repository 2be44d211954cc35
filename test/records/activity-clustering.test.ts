// Acquisition activities (issue 13): files grouped by the gaps in their modification times (NexusLIMS's kernel
// density method, with its sensitivity), on synthetic time series; and an activity's metadata split into setup
// and per-file values.
import { describe, expect, it } from 'vitest';
import {
  clusterTimes,
  flattenMetadata,
  groupIntoActivities,
  KEY_SEPARATOR,
  splitSetup,
} from '../../src/modules/records/activity-clustering.js';

const T0 = Date.parse('2026-03-01T09:00:00Z');

/** Files (as the discovery gives them) at these offsets in seconds from T0. */
const filesAt = (seconds: readonly number[]) => seconds.map((s) => ({ mtimeMs: T0 + s * 1000 }));

/** `count` times `step` seconds apart from `start`, with a little jitter so no two gaps are equal. */
function burst(start: number, count: number, step: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i * step + ((i * 7) % 5) * 0.1);
}

const activityCount = (seconds: readonly number[], sensitivity: number) =>
  groupIntoActivities(filesAt(seconds), sensitivity).length;

describe('groupIntoActivities', () => {
  it('separates bursts of files at the long gaps between them', () => {
    const times = [...burst(0, 12, 20), ...burst(1800, 8, 15), ...burst(5400, 10, 30)];
    // Shuffled, to show that the indexes point into the list as given.
    const order = times.map((_, i) => i).sort((a, b) => ((a * 37) % 30) - ((b * 37) % 30));
    const files = order.map((i) => ({ mtimeMs: T0 + (times[i] as number) * 1000 }));
    const activities = groupIntoActivities(files, 1);
    expect(activities).toHaveLength(3);
    const originals = activities.map((a) => a.fileIndexes.map((index) => order[index]));
    expect(originals).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      [12, 13, 14, 15, 16, 17, 18, 19],
      [20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
    ]);
    expect(activities[1]).toMatchObject({
      start: new Date(T0 + (times[12] as number) * 1000),
      end: new Date(T0 + (times[19] as number) * 1000),
    });
  });

  it('keeps files saved at an exactly steady pace together: the ripples of the kernel sum are no gaps', () => {
    const steady = Array.from({ length: 40 }, (_, i) => i * 30);
    expect(activityCount(steady, 1)).toBe(1);
    expect(activityCount(steady, 1.2)).toBe(1);
  });

  it('puts everything into one activity at sensitivity 0', () => {
    const times = [...burst(0, 12, 20), ...burst(1800, 8, 15), ...burst(5400, 10, 30)];
    const activities = groupIntoActivities(filesAt(times), 0);
    expect(activities).toHaveLength(1);
    expect(activities[0]?.fileIndexes).toHaveLength(30);
    expect(clusterTimes(times, 0)).toEqual({ bandwidthSeconds: null, boundaries: [] });
  });

  it('splits at smaller gaps as the sensitivity rises, and at fewer as it falls', () => {
    // Gaps of growing length between small groups: which of them count depends on the sensitivity.
    const times: number[] = [];
    let at = 0;
    for (const gap of [40, 80, 160, 320, 640, 1280]) {
      times.push(...burst(at, 5, 10));
      at += 40 + gap;
    }
    times.push(...burst(at, 5, 10));
    const sensitivities = [0.01, 0.05, 0.25, 0.5, 1, 2, 8];
    const counts = sensitivities.map((sensitivity) => activityCount(times, sensitivity));
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] as number);
    expect(counts[0]).toBe(1); // the bandwidth outgrows every gap
    expect(counts[sensitivities.indexOf(1)]).toBe(7); // the seven groups
    expect(counts[counts.length - 1]).toBeGreaterThan(7); // now the 10 s steps inside the groups count
    expect(new Set(counts).size).toBeGreaterThan(3);
    const low = clusterTimes(times, 0.5).bandwidthSeconds as number;
    const high = clusterTimes(times, 2).bandwidthSeconds as number;
    expect(low / high).toBeCloseTo(4, 6);
  });

  it('makes one activity of one file, or of files sharing one mtime, and none of no files', () => {
    expect(groupIntoActivities(filesAt([5]), 1)).toEqual([
      { start: new Date(T0 + 5000), end: new Date(T0 + 5000), fileIndexes: [0] },
    ]);
    expect(groupIntoActivities(filesAt([5, 5, 5]), 1)).toHaveLength(1);
    expect(groupIntoActivities([], 1)).toEqual([]);
  });

  it('never splits files with the same mtime', () => {
    const times = [0, 0, 0, 10, 10, 1000, 1000, 1010];
    const activities = groupIntoActivities(filesAt(times), 1);
    expect(activities.map((a) => a.fileIndexes)).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7],
    ]);
  });

  it('refuses a negative or non-numeric sensitivity', () => {
    expect(() => groupIntoActivities(filesAt([0, 1]), -1)).toThrow(/sensitivity/);
    expect(() => groupIntoActivities(filesAt([0, 1]), Number.NaN)).toThrow(/sensitivity/);
  });

  it('handles a long session of many files', () => {
    const times: number[] = [];
    for (let b = 0; b < 20; b++) times.push(...burst(b * 3600, 100, 3));
    expect(activityCount(times, 1)).toBe(20);
  });
});

/** NexusLIMS's method with full sums over every time (O(35·n²)), to check the near-neighbour sums against. */
function fullSumReference(times: readonly number[]): { bandwidth: number; minima: number[] } {
  const x = [...new Set(times)].sort((a, b) => a - b);
  const gaps = x.slice(1).map((t, i) => t - (x[i] as number));
  const [lo, hi] = [Math.min(...gaps), Math.max(...gaps)];
  const logDensity = (at: number, h: number, skip: number) => {
    const exponents = x.flatMap((t, j) => (j === skip ? [] : [-((at - t) ** 2) / (2 * h * h)]));
    const top = Math.max(...exponents);
    return top + Math.log(exponents.reduce((sum, e) => sum + Math.exp(e - top), 0)) - Math.log(h);
  };
  let bandwidth = lo;
  let best = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < 35; k++) {
    const h = Math.exp(Math.log(lo) + (k / 34) * (Math.log(hi) - Math.log(lo)));
    const score = x.reduce((sum, t, i) => sum + logDensity(t, h, i), 0);
    if (score > best) [best, bandwidth] = [score, h];
  }
  const first = x[0] as number;
  const span = (x[x.length - 1] as number) - first;
  const points = x.length * 10;
  const grid = Array.from({ length: points }, (_, p) => first + (span * p) / (points - 1));
  const density = grid.map((at) => logDensity(at, bandwidth, -1));
  const minima = grid.filter(
    (_, p) =>
      p > 0 &&
      p < points - 1 &&
      (density[p] as number) < (density[p - 1] as number) &&
      (density[p] as number) < (density[p + 1] as number),
  );
  return { bandwidth, minima };
}

describe('clusterTimes against full sums', () => {
  it('chooses the same bandwidth and finds its boundaries among the same minima', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let series = 0; series < 5; series++) {
      const times: number[] = [];
      let at = 0;
      const bursts = 3 + series;
      for (let b = 0; b < bursts; b++) {
        const step = 2 + next() * 20;
        for (let i = 0; i < 5 + Math.floor(next() * 30); i++) times.push((at += step * (0.5 + next())));
        at += 600 + next() * 3000;
      }
      const reference = fullSumReference(times);
      const ours = clusterTimes(times, 1);
      expect(ours.bandwidthSeconds).toBeCloseTo(reference.bandwidth, 9);
      for (const boundary of ours.boundaries)
        expect(reference.minima.some((m) => Math.abs(m - boundary) < 1e-6)).toBe(true);
      expect(ours.boundaries.length).toBeGreaterThanOrEqual(bursts - 1);
    }
  });
});

describe('splitSetup', () => {
  it('puts values shared by every file into the setup and leaves the rest with each file', () => {
    const { setup, perFile } = splitSetup([
      { Microscope: 'Titan', Voltage: 300, Stage: { X: 1.5, Y: 2, Tilt: 0 }, Mode: 'TEM', Notes: [1, 2] },
      { Microscope: 'Titan', Voltage: 300, Stage: { X: 1.7, Y: 2, Tilt: 0 }, Mode: 'STEM', Notes: [1, 2] },
      { Microscope: 'Titan', Voltage: '300', Stage: { X: 1.9, Y: 2, Tilt: 0 }, Notes: [1, 2], Dwell: 2 },
    ]);
    expect(setup).toEqual({
      Microscope: 'Titan',
      [`Stage${KEY_SEPARATOR}Y`]: 2,
      [`Stage${KEY_SEPARATOR}Tilt`]: 0,
      Notes: [1, 2],
    });
    expect(perFile).toEqual([
      { Voltage: 300, [`Stage${KEY_SEPARATOR}X`]: 1.5, Mode: 'TEM' },
      { Voltage: 300, [`Stage${KEY_SEPARATOR}X`]: 1.7, Mode: 'STEM' },
      { Voltage: '300', [`Stage${KEY_SEPARATOR}X`]: 1.9, Dwell: 2 },
    ]);
  });

  it('gives a single file no setup, as NexusLIMS does', () => {
    expect(splitSetup([{ A: 1, B: { C: 2 } }])).toEqual({
      setup: {},
      perFile: [{ A: 1, [`B${KEY_SEPARATOR}C`]: 2 }],
    });
    expect(splitSetup([])).toEqual({ setup: {}, perFile: [] });
  });

  it('flattens nested objects and keeps arrays, nulls and dates whole', () => {
    const when = new Date('2026-03-01T09:00:00Z');
    expect(flattenMetadata({ a: { b: { c: 1 }, d: null }, e: [{ f: 1 }], g: when })).toEqual({
      [`a${KEY_SEPARATOR}b${KEY_SEPARATOR}c`]: 1,
      [`a${KEY_SEPARATOR}d`]: null,
      e: [{ f: 1 }],
      g: when,
    });
    const { setup } = splitSetup([{ g: new Date(when) }, { g: new Date(when) }]);
    expect(setup).toEqual({ g: when });
  });
});
