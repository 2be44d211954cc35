/**
 * Reading Slurm's answers: squeue, sacct (through slurmdbd) and `sacct -c` (the jobcomp file) as a real
 * one-node Slurm 22.05 printed them for a job that failed with exit 3, one past its time limit, one whose
 * launch failed, a cancelled one, a completed one, a pending and a running one; and the mapping of their
 * states to Cairn's outcomes, exit codes and reasons.
 */
import { describe, expect, it } from 'vitest';
import {
  commandExitCode,
  endReason,
  isFinalState,
  activePhase,
  outcomeOf,
  parseAccounting,
  parseDuration,
  parseMemory,
  parseQueue,
  parseSubmittedId,
} from '../../src/modules/compute/executors/slurm-states.js';

// squeue --noheader --states=all --format='%i|%T|%r|%S|%e|%j', with TZ=UTC
const SQUEUE = `4|CANCELLED|None|2026-12-02T16:04:55|2026-12-02T16:04:57|cairn-ca
5|COMPLETED|None|2026-12-02T16:07:06|2026-12-02T16:07:09|cairn-ok
1|FAILED|NonZeroExitCode|2026-12-02T16:04:50|2026-12-02T16:04:51|cairn-t1
3|FAILED|JobLaunchFailure|2026-12-02T16:04:55|2026-12-02T16:04:55|cairn-lf
6|PENDING|BeginTime|2026-12-02T17:07:10|2026-12-02T17:08:10|cairn-pending
7|RUNNING|None|2026-12-02T16:07:10|2026-12-02T16:08:10|cairn-run
2|TIMEOUT|TimeLimit|2026-12-02T16:04:55|2026-12-02T16:06:16|cairn-to
`;

// sacct --noheader --parsable2 --format=JobIDRaw,State,ExitCode,Start,End,TotalCPU,MaxRSS,Reason,JobName
// through slurmdbd with jobacct_gather/linux; job 7 had just been submitted (accounting still names it
// "allocation").
const SACCT = `1|FAILED|3:0|2026-12-02T16:04:50|2026-12-02T16:04:51|00:00.125||None|cairn-t1
1.batch|FAILED|3:0|2026-12-02T16:04:50|2026-12-02T16:04:51|00:00.125|67708K||batch
2|TIMEOUT|0:0|2026-12-02T16:04:55|2026-12-02T16:06:16|00:00.002||None|cairn-to
2.batch|CANCELLED|0:15|2026-12-02T16:04:55|2026-12-02T16:06:16|00:00.002|4764K||batch
3|FAILED|0:53|2026-12-02T16:04:55|2026-12-02T16:04:55|00:00:00||None|cairn-lf
3.batch|CANCELLED|0:53|2026-12-02T16:04:55|2026-12-02T16:04:55|00:00:00|||batch
4|CANCELLED by 0|0:0|2026-12-02T16:04:55|2026-12-02T16:04:57|00:00.002||None|cairn-ca
4.batch|CANCELLED|0:15|2026-12-02T16:04:55|2026-12-02T16:04:57|00:00.002|4920K||batch
5|COMPLETED|0:0|2026-12-02T16:07:06|2026-12-02T16:07:09|00:00.402||None|cairn-ok
5.batch|COMPLETED|0:0|2026-12-02T16:07:06|2026-12-02T16:07:09|00:00.402|63476K||batch
7|PENDING|0:0|2026-12-02T16:07:10|Unknown|00:00:00||None|allocation
7.batch|RUNNING|0:0|2026-12-02T16:07:10|Unknown|00:00:00|||batch
`;

// The same columns from sacct --completion (the jobcomp file, no slurmdbd): no steps, no usage.
const SACCT_JOBCOMP = `1|FAILED|3:0|2026-12-02T16:04:50|2026-12-02T16:04:51||||cairn-t1
3|FAILED|0:53|2026-12-02T16:04:55|2026-12-02T16:04:55||||cairn-lf
4|CANCELLED|0:0|2026-12-02T16:04:55|2026-12-02T16:04:57||||cairn-ca
2|TIMEOUT|0:0|2026-12-02T16:04:55|2026-12-02T16:06:16||||cairn-to
5|COMPLETED|0:0|2026-12-02T16:07:06|2026-12-02T16:07:09||||cairn-ok
`;

describe('Slurm output', () => {
  it('reads squeue lines with their states, reasons and times in UTC', () => {
    const entries = parseQueue(SQUEUE);
    expect(entries).toHaveLength(7);
    expect(entries.find((entry) => entry.jobId === '3')).toEqual({
      jobId: '3',
      name: 'cairn-lf',
      state: 'FAILED',
      reason: 'JobLaunchFailure',
      startedAt: '2026-12-02T16:04:55.000Z',
      endedAt: '2026-12-02T16:04:55.000Z',
    });
    expect(entries.find((entry) => entry.jobId === '7')).toMatchObject({ state: 'RUNNING', reason: null });
    expect(entries.find((entry) => entry.jobId === '6')).toMatchObject({
      state: 'PENDING',
      reason: 'BeginTime',
    });
  });

  it('keeps a name holding the separator whole, and skips lines that are not job lines', () => {
    expect(parseQueue('12|RUNNING|None|N/A|N/A|odd|name\n\nslurm_load_jobs error\n')).toEqual([
      { jobId: '12', name: 'odd|name', state: 'RUNNING', reason: null, startedAt: null, endedAt: null },
    ]);
  });

  it('folds steps into their job: the first word of the state, the exit code, CPU time and the peak memory', () => {
    const records = new Map(parseAccounting(SACCT).map((record) => [record.jobId, record]));
    expect([...records.keys()].sort()).toEqual(['1', '2', '3', '4', '5', '7']);
    expect(records.get('1')).toEqual({
      jobId: '1',
      name: 'cairn-t1',
      state: 'FAILED',
      exitCode: { code: 3, signal: 0 },
      reason: null,
      startedAt: '2026-12-02T16:04:50.000Z',
      endedAt: '2026-12-02T16:04:51.000Z',
      cpuSeconds: 0.125,
      peakMemoryBytes: 67708 * 1024,
    });
    expect(records.get('4')).toMatchObject({ state: 'CANCELLED', exitCode: { code: 0, signal: 0 } });
    expect(records.get('3')).toMatchObject({ state: 'FAILED', exitCode: { code: 0, signal: 53 } });
    expect(records.get('5')).toMatchObject({ state: 'COMPLETED', peakMemoryBytes: 63476 * 1024 });
    expect(records.get('7')).toMatchObject({ state: 'PENDING', endedAt: null, name: 'allocation' });
  });

  it('reads the jobcomp records of sacct -c, which have no usage', () => {
    const records = parseAccounting(SACCT_JOBCOMP);
    expect(records).toHaveLength(5);
    expect(records.find((record) => record.jobId === '2')).toMatchObject({
      state: 'TIMEOUT',
      cpuSeconds: null,
      peakMemoryBytes: null,
      endedAt: '2026-12-02T16:06:16.000Z',
    });
  });

  it('reads durations, memory sizes and sbatch --parsable', () => {
    expect(parseDuration('00:00.125')).toBe(0.125);
    expect(parseDuration('00:00:00')).toBe(0);
    expect(parseDuration('01:02:03')).toBe(3723);
    expect(parseDuration('2-01:00:00')).toBe(2 * 86_400 + 3_600);
    expect(parseDuration('')).toBeNull();
    expect(parseMemory('67708K')).toBe(67708 * 1024);
    expect(parseMemory('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseMemory('0')).toBe(0);
    expect(parseMemory('')).toBeNull();
    expect(parseSubmittedId('42\n')).toBe('42');
    expect(parseSubmittedId('42;cairn\n')).toBe('42');
    expect(parseSubmittedId('sbatch: error: Batch job submission failed')).toBeNull();
  });
});

describe('Slurm states in Cairn words', () => {
  it('tells the states that are still going from the final ones', () => {
    for (const state of ['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING', 'SUSPENDED', 'REQUEUED']) {
      expect(isFinalState(state), state).toBe(false);
    }
    for (const state of ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL']) {
      expect(isFinalState(state), state).toBe(true);
    }
    expect(activePhase('PENDING')).toBe('pending');
    expect(activePhase('CONFIGURING')).toBe('running');
    expect(activePhase('COMPLETING')).toBe('running');
  });

  it('counts only COMPLETED as success and only CANCELLED as a cancellation', () => {
    expect(outcomeOf('COMPLETED')).toBe('completed');
    expect(outcomeOf('CANCELLED')).toBe('cancelled');
    for (const state of [
      'FAILED',
      'TIMEOUT',
      'OUT_OF_MEMORY',
      'NODE_FAIL',
      'PREEMPTED',
      'BOOT_FAIL',
      'DEADLINE',
    ]) {
      expect(outcomeOf(state), state).toBe('failed');
    }
  });

  it("gives the command's exit code only when the command itself ended", () => {
    expect(commandExitCode('COMPLETED', { code: 0, signal: 0 })).toBe(0);
    expect(commandExitCode('FAILED', { code: 3, signal: 0 })).toBe(3);
    expect(commandExitCode('FAILED', { code: 0, signal: 53 })).toBeNull();
    expect(commandExitCode('FAILED', { code: 0, signal: 9 })).toBeNull();
    expect(commandExitCode('TIMEOUT', { code: 0, signal: 0 })).toBeNull();
    expect(commandExitCode('CANCELLED', { code: 0, signal: 0 })).toBeNull();
  });

  it("says why: the scheduler's reason, or a sentence for the state", () => {
    expect(endReason('COMPLETED', null, { code: 0, signal: 0 })).toBeNull();
    expect(endReason('FAILED', 'NonZeroExitCode', { code: 3, signal: 0 })).toBe('NonZeroExitCode');
    expect(endReason('FAILED', 'JobLaunchFailure', { code: 0, signal: 53 })).toBe('JobLaunchFailure');
    expect(endReason('FAILED', null, { code: 3, signal: 0 })).toBe('Exited with code 3');
    expect(endReason('TIMEOUT', 'TimeLimit', { code: 0, signal: 0 })).toMatch(/time limit.*\(TimeLimit\)/);
    expect(endReason('OUT_OF_MEMORY', null, null)).toMatch(/memory/);
    expect(endReason('NODE_FAIL', null, null)).toMatch(/node/i);
    expect(endReason('CANCELLED', null, { code: 0, signal: 0 })).toMatch(/cancelled/);
  });
});
