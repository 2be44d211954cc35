/**
 * Reading NEMO's datetimes: ISO 8601 in every form NEMO and Django write, a site's `strptime` format, naive
 * wall-clock times placed in the server's zone across both daylight-saving changes (the repeated autumn hour
 * takes its earlier instant, the spring gap moves forward), and values that are not dates.
 */
import { describe, expect, it } from 'vitest';
import { parseNemoDateTime, wallTimeToUtc } from '../../src/modules/instruments/nemo/nemo-time.js';

const NY = 'America/New_York';

describe('ISO 8601 as NEMO writes it', () => {
  it('reads offsets, Z, microseconds, a space separator and naive local times', () => {
    expect(parseNemoDateTime('2024-03-05T09:05:12.345678-05:00', NY)).toBe('2024-03-05T14:05:12.345Z');
    expect(parseNemoDateTime('2024-07-20T10:00:00-04:00', NY)).toBe('2024-07-20T14:00:00.000Z');
    expect(parseNemoDateTime('2024-07-20T10:00:00Z', NY)).toBe('2024-07-20T10:00:00.000Z');
    expect(parseNemoDateTime('2024-07-20 15:30:00+0530', NY)).toBe('2024-07-20T10:00:00.000Z');
    expect(parseNemoDateTime('2024-07-20T10:00:00', NY)).toBe('2024-07-20T14:00:00.000Z');
    expect(parseNemoDateTime('2024-01-20T10:00', NY)).toBe('2024-01-20T15:00:00.000Z');
  });

  it('refuses what is not a datetime', () => {
    for (const text of [
      '',
      'yesterday',
      '2024-13-01T00:00:00Z',
      '2024-02-30T09:00:00Z',
      '2024-03-05T24:30:00Z',
      '05/03/2024',
    ]) {
      expect(parseNemoDateTime(text, NY)).toBeNull();
    }
  });
});

describe('naive times across daylight saving', () => {
  it('places the repeated autumn hour at its earlier instant and moves the spring gap forward', () => {
    // 2024-11-03 01:30 happens twice in New York (EDT, then EST): the first is 05:30Z.
    expect(new Date(wallTimeToUtc(NY, Date.UTC(2024, 10, 3, 1, 30))).toISOString()).toBe(
      '2024-11-03T05:30:00.000Z',
    );
    expect(new Date(wallTimeToUtc(NY, Date.UTC(2024, 10, 3, 2, 30))).toISOString()).toBe(
      '2024-11-03T07:30:00.000Z',
    );
    // 2024-03-10 02:30 never happens; it is read as 03:30 EDT.
    expect(new Date(wallTimeToUtc(NY, Date.UTC(2024, 2, 10, 2, 30))).toISOString()).toBe(
      '2024-03-10T07:30:00.000Z',
    );
    expect(new Date(wallTimeToUtc('Europe/Berlin', Date.UTC(2024, 9, 27, 12, 0))).toISOString()).toBe(
      '2024-10-27T11:00:00.000Z',
    );
    expect(new Date(wallTimeToUtc('Australia/Lord_Howe', Date.UTC(2024, 0, 1, 12, 0))).toISOString()).toBe(
      '2024-01-01T01:00:00.000Z',
    );
  });
});

describe("a site's DATETIME_FORMAT", () => {
  it('reads naive local times in the format, microseconds optional, 12-hour clocks and offsets', () => {
    expect(parseNemoDateTime('11-03-2024 03:30:00', NY, '%m-%d-%Y %H:%M:%S')).toBe(
      '2024-11-03T08:30:00.000Z',
    );
    expect(parseNemoDateTime('2024-03-05 09:05:12.5', NY, '%Y-%m-%d %H:%M:%S.%f')).toBe(
      '2024-03-05T14:05:12.500Z',
    );
    expect(parseNemoDateTime('2024-03-05 09:05:12', NY, '%Y-%m-%d %H:%M:%S.%f')).toBe(
      '2024-03-05T14:05:12.000Z',
    );
    expect(parseNemoDateTime('05 Mar 24 12:15 AM', NY, '%d %b %y %I:%M %p')).toBe('2024-03-05T05:15:00.000Z');
    expect(parseNemoDateTime('05 Mar 24 12:15 PM', NY, '%d %b %y %I:%M %p')).toBe('2024-03-05T17:15:00.000Z');
    expect(parseNemoDateTime('2024-03-05T09:00:00+0100', NY, '%Y-%m-%dT%H:%M:%S%z')).toBe(
      '2024-03-05T08:00:00.000Z',
    );
    expect(parseNemoDateTime('2024-03-05T09:00:00-05:00', NY, '%m-%d-%Y %H:%M:%S')).toBeNull();
  });
});
