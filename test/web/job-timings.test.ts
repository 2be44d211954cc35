/** Queue waits and run times of finished jobs for the resources' chart (web/src/compute/job-timings.ts). */
import { describe, expect, it } from 'vitest';
import { formatSeconds, jobTimingsOf, medianOf } from '../../web/src/compute/job-timings.js';
import { formatAge } from '../../web/src/layout/format-time.js';

function analysis(id: string, queuedAt: string, startedAt: string | null, endedAt: string | null) {
  return { id, job: { queuedAt, startedAt, endedAt } };
}

describe('job timings', () => {
  it('measures wait from queued to started and duration from started to ended, oldest first', () => {
    const timings = jobTimingsOf(
      [
        analysis('b', '2026-12-01T10:05:00.000Z', '2026-12-01T10:05:02.500Z', '2026-12-01T10:06:02.500Z'),
        analysis('a', '2026-12-01T10:00:00.000Z', '2026-12-01T10:00:10.000Z', '2026-12-01T10:00:15.000Z'),
      ],
      10,
    );
    expect(timings).toEqual([
      { analysisId: 'a', queuedAt: '2026-12-01T10:00:00.000Z', waitSeconds: 10, durationSeconds: 5 },
      { analysisId: 'b', queuedAt: '2026-12-01T10:05:00.000Z', waitSeconds: 2.5, durationSeconds: 60 },
    ]);
  });

  it('leaves out jobs that have not started or ended and analyses without a job, and keeps the latest', () => {
    const timings = jobTimingsOf(
      [
        analysis('queued', '2026-12-01T10:00:00Z', null, null),
        analysis('running', '2026-12-01T10:00:00Z', '2026-12-01T10:00:01Z', null),
        analysis('cancelled-in-queue', '2026-12-01T10:00:00Z', null, '2026-12-01T10:00:05Z'),
        { id: 'no-job', job: null },
        analysis('old', '2026-12-01T09:00:00Z', '2026-12-01T09:00:01Z', '2026-12-01T09:00:02Z'),
        analysis('new', '2026-12-01T11:00:00Z', '2026-12-01T11:00:01Z', '2026-12-01T11:00:02Z'),
      ],
      1,
    );
    expect(timings.map((timing) => timing.analysisId)).toEqual(['new']);
  });

  it('takes medians and writes durations as people read them', () => {
    expect(medianOf([])).toBeNull();
    expect(medianOf([3, 1, 2])).toBe(2);
    expect(medianOf([4, 1, 2, 3])).toBe(2.5);
    expect(formatSeconds(0.42)).toBe('0.4 s');
    expect(formatSeconds(42)).toBe('42 s');
    expect(formatSeconds(59.6)).toBe('1 min');
    expect(formatSeconds(185)).toBe('3 min 5 s');
    expect(formatSeconds(7800)).toBe('2 h 10 min');
  });

  it('says how long ago a heartbeat was', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(formatAge(null, now)).toBe('—');
    expect(formatAge('2026-12-01T11:59:58Z', now)).toBe('just now');
    expect(formatAge('2026-12-01T11:59:18Z', now)).toBe('42 s ago');
    expect(formatAge('2026-12-01T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAge('2026-12-01T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAge('2026-11-28T12:00:00Z', now)).toBe('3 d ago');
  });
});
