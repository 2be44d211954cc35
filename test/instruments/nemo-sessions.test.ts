/**
 * Sessions from NEMO usage events: the reservation with the largest overlap, answers taken run data first
 * (post-use, then pre-use) then the reservation, sample groups with gaps in their rows, NO_RESERVATION and
 * NO_CONSENT and the rules that switch them, the tool behind an instrument's `api_url` and its server, and
 * one harvest pass over a NEMO-compatible server from usage events to sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NemoReservation, NemoUsageEvent } from '../../src/modules/instruments/nemo/nemo-answers.js';
import { NemoClient } from '../../src/modules/instruments/nemo/nemo-client.js';
import {
  NEXUSLIMS_RULES,
  pickReservation,
  sessionFromUsage,
  type UsageSessionInput,
} from '../../src/modules/instruments/nemo/session-from-usage.js';
import {
  instrumentsByTool,
  nemoToolUrl,
  parseNemoToolUrl,
  serverForTool,
} from '../../src/modules/instruments/nemo/tool-ids.js';
import { startNemoServer, type NemoTestServer } from '../support/nemo-server.js';

const ADDRESS = 'https://nemo.example.org/api/';

/** A question as NEMO stores its answer: the definition plus `user_input`. */
function answer(name: string, userInput: unknown, type = 'textbox') {
  return { type, name, title: name, user_input: userInput };
}

function answers(...questions: ReturnType<typeof answer>[]): Record<string, unknown> {
  return Object.fromEntries(questions.map((question) => [question.name, question]));
}

/** NEMO's run_data text: the same layout, serialised with tabs. */
function runData(...questions: ReturnType<typeof answer>[]): string {
  return JSON.stringify(answers(...questions), null, '\t');
}

function usageEvent(overrides: Partial<NemoUsageEvent> = {}): NemoUsageEvent & { end: string } {
  return {
    id: 42,
    start: '2024-03-05T14:00:00.000Z',
    end: '2024-03-05T17:00:00.000Z',
    user: 2,
    operator: 3,
    project: 1,
    tool: 5,
    preRunData: null,
    runData: null,
    ...overrides,
  } as NemoUsageEvent & { end: string };
}

function reservation(overrides: Partial<NemoReservation> = {}): NemoReservation {
  return {
    id: 7,
    start: '2024-03-05T13:00:00.000Z',
    end: '2024-03-05T16:00:00.000Z',
    user: 2,
    creator: 2,
    tool: 5,
    project: 1,
    cancelled: false,
    questionData: answers(
      answer('project_id', 'DSI-001'),
      answer('experiment_title', 'Imaging the hull'),
      answer('experiment_purpose', 'Find the crack', 'textarea'),
      answer('data_consent', 'Agree', 'radio'),
    ),
    ...overrides,
  };
}

function input(overrides: Partial<UsageSessionInput> = {}): UsageSessionInput {
  return {
    address: ADDRESS,
    instrument: 'FEI-Titan-TEM-635816',
    event: usageEvent(),
    reservations: [reservation()],
    users: new Map([
      [2, { id: 2, username: 'ned', firstName: 'Ned', lastName: 'Land', email: null }],
      [3, { id: 3, username: 'aronnax', firstName: 'Pierre', lastName: 'Aronnax', email: null }],
    ]),
    projects: new Map([[1, { id: 1, name: 'Deep Sea Imaging', applicationIdentifier: 'DSI-001' }]]),
    ...overrides,
  };
}

describe('the reservation with the largest overlap', () => {
  const event = usageEvent(); // 14:00–17:00

  it('picks the largest overlap, not the nearest start, and ignores cancelled ones and other tools', () => {
    const early = reservation({ id: 1, start: '2024-03-05T13:30:00.000Z', end: '2024-03-05T15:00:00.000Z' }); // 1 h
    const late = reservation({ id: 2, start: '2024-03-05T15:00:00.000Z', end: '2024-03-05T18:00:00.000Z' }); // 2 h
    const cancelled = reservation({
      id: 3,
      start: '2024-03-05T14:00:00.000Z',
      end: '2024-03-05T17:00:00.000Z',
      cancelled: true,
    });
    const otherTool = reservation({
      id: 4,
      start: '2024-03-05T14:00:00.000Z',
      end: '2024-03-05T17:00:00.000Z',
      tool: 6,
    });
    expect(pickReservation(event, [early, late, cancelled, otherTool])?.id).toBe(2);
  });

  it('picks none when nothing overlaps (touching ends do not), and breaks ties by nearest start then id', () => {
    const before = reservation({ id: 1, start: '2024-03-05T10:00:00.000Z', end: '2024-03-05T14:00:00.000Z' });
    const after = reservation({ id: 2, start: '2024-03-05T17:00:00.000Z', end: '2024-03-05T19:00:00.000Z' });
    expect(pickReservation(event, [before, after])).toBeNull();

    const a = reservation({ id: 9, start: '2024-03-05T12:00:00.000Z', end: '2024-03-05T15:00:00.000Z' }); // 1 h
    const b = reservation({ id: 8, start: '2024-03-05T16:00:00.000Z', end: '2024-03-05T20:00:00.000Z' }); // 1 h, nearer
    const c = reservation({ id: 5, start: '2024-03-05T16:00:00.000Z', end: '2024-03-05T20:00:00.000Z' });
    expect(pickReservation(event, [a, b])?.id).toBe(8);
    expect(pickReservation(event, [a, b, c])?.id).toBe(5);
  });
});

describe('a session from a usage event', () => {
  it('keeps the window, the people, the project and the reservation answers, ready to build', () => {
    const session = sessionFromUsage(input());
    expect(session).toEqual({
      identifier: 'https://nemo.example.org/api/usage_events/?id=42',
      instrument: 'FEI-Titan-TEM-635816',
      toolId: 5,
      usageEventId: 42,
      start: '2024-03-05T14:00:00.000Z',
      end: '2024-03-05T17:00:00.000Z',
      user: 'ned',
      operator: 'aronnax',
      userFullName: 'Ned Land (ned)',
      operatorFullName: 'Pierre Aronnax (aronnax)',
      project: { id: 1, name: 'Deep Sea Imaging', applicationIdentifier: 'DSI-001' },
      reservation: {
        id: 7,
        start: '2024-03-05T13:00:00.000Z',
        end: '2024-03-05T16:00:00.000Z',
        url: 'https://nemo.example.org/event_details/reservation/7/',
      },
      usageEventUrl: 'https://nemo.example.org/event_details/usage/42/',
      answers: {
        projectId: 'DSI-001',
        experimentTitle: 'Imaging the hull',
        purpose: 'Find the crack',
        samples: [],
        dataConsent: 'Agree',
        sources: ['reservation'],
      },
      status: 'TO_BE_BUILT',
      reason: 'data consent given ("Agree")',
      warnings: [],
    });
  });

  it('takes each answer from run data first, then pre-run data, then the reservation', () => {
    const event = usageEvent({
      runData: runData(
        answer('experiment_title', 'What we really did'),
        answer('data_consent', 'Agree', 'radio'),
      ),
      preRunData: runData(
        answer('experiment_title', 'What we planned'),
        answer('experiment_purpose', 'Pre-use purpose'),
      ),
    });
    const session = sessionFromUsage(input({ event }));
    expect(session.answers).toMatchObject({
      experimentTitle: 'What we really did',
      purpose: 'Pre-use purpose',
      projectId: 'DSI-001',
      dataConsent: 'Agree',
      sources: ['run_data', 'pre_run_data', 'reservation'],
    });
    expect(session.status).toBe('TO_BE_BUILT');
  });

  it('lets a refusal in run data override consent given at booking', () => {
    const event = usageEvent({ runData: runData(answer('data_consent', 'Disagree', 'radio')) });
    const session = sessionFromUsage(input({ event }));
    expect(session.status).toBe('NO_CONSENT');
    expect(session.reason).toBe('data consent refused ("Disagree")');
  });

  it('needs no reservation when the usage event answers for itself', () => {
    const event = usageEvent({
      runData: runData(answer('experiment_title', 'Walk-up'), answer('data_consent', 'Agree', 'radio')),
    });
    const session = sessionFromUsage(input({ event, reservations: [] }));
    expect(session).toMatchObject({ status: 'TO_BE_BUILT', reservation: null });
    expect(session.answers.sources).toEqual(['run_data']);
  });

  it('reads sample groups in row order despite gaps, with names, PIDs, details and elements', () => {
    const group = {
      type: 'group',
      name: 'sample_group',
      title: 'Samples',
      questions: [],
      user_input: {
        '10': { sample_name: 'late row', sample_or_pid: 'Sample Name', sample_details: null },
        '2': { sample_name: 'PID-123', sample_or_pid: 'PID', sample_details: '' },
        '0': {
          sample_name: 'alloy A',
          sample_or_pid: 'Sample Name',
          sample_details: 'polished',
          periodic_table: ['Ti', 'Cu'],
        },
      },
    };
    const session = sessionFromUsage(
      input({
        reservations: [reservation({ questionData: { ...reservation().questionData, sample_group: group } })],
      }),
    );
    expect(session.answers.samples).toEqual([
      { name: 'alloy A', pid: null, details: 'polished', elements: ['Ti', 'Cu'] },
      { name: null, pid: 'PID-123', details: null, elements: [] },
      { name: 'late row', pid: null, details: null, elements: [] },
    ]);
  });

  it('warns about run data that is not JSON and falls back to the reservation', () => {
    const session = sessionFromUsage(input({ event: usageEvent({ runData: '{"experiment_title": ' }) }));
    expect(session.warnings).toEqual(['usage event 42: run_data is not JSON and was ignored']);
    expect(session.answers.experimentTitle).toBe('Imaging the hull');
    expect(session.status).toBe('TO_BE_BUILT');
  });

  it('refuses an event that has not ended', () => {
    expect(() => sessionFromUsage(input({ event: usageEvent({ end: null }) }))).toThrow('has not ended');
  });
});

describe('statuses and their switches', () => {
  const noReservation = input({ reservations: [] });
  const unanswered = input({
    reservations: [reservation({ questionData: answers(answer('experiment_title', 'No consent asked')) })],
  });
  const refused = input({
    reservations: [reservation({ questionData: answers(answer('data_consent', ' no ', 'radio')) })],
  });

  it('NexusLIMS rules: no reservation → NO_RESERVATION; consent unanswered or refused → NO_CONSENT', () => {
    expect(sessionFromUsage(noReservation)).toMatchObject({ status: 'NO_RESERVATION', reservation: null });
    expect(sessionFromUsage(unanswered)).toMatchObject({
      status: 'NO_CONSENT',
      reason: 'data consent was never given',
    });
    expect(sessionFromUsage(refused)).toMatchObject({
      status: 'NO_CONSENT',
      reason: 'data consent refused ("no")',
    });
    for (const word of ['Disagree', 'FALSE', 'negative']) {
      const session = sessionFromUsage(
        input({ reservations: [reservation({ questionData: answers(answer('data_consent', word)) })] }),
      );
      expect(session.status).toBe('NO_CONSENT');
    }
  });

  it('a session without a reservation may be built when the rules say so, consent still applying', () => {
    const build = { ...NEXUSLIMS_RULES, withoutReservation: 'TO_BE_BUILT' } as const;
    expect(sessionFromUsage(noReservation, build)).toMatchObject({
      status: 'NO_CONSENT',
      reason: 'no reservation; data consent was never given',
    });
    expect(
      sessionFromUsage(noReservation, { withoutReservation: 'TO_BE_BUILT', consent: 'opt-out' }).status,
    ).toBe('TO_BE_BUILT');
  });

  it('opt-out consent stops only a refusal; ignored consent stops nothing', () => {
    const optOut = { ...NEXUSLIMS_RULES, consent: 'opt-out' } as const;
    expect(sessionFromUsage(unanswered, optOut).status).toBe('TO_BE_BUILT');
    expect(sessionFromUsage(refused, optOut).status).toBe('NO_CONSENT');
    const ignored = { ...NEXUSLIMS_RULES, consent: 'ignored' } as const;
    expect(sessionFromUsage(refused, ignored).status).toBe('TO_BE_BUILT');
    expect(sessionFromUsage(noReservation, ignored).status).toBe('NO_RESERVATION');
  });
});

describe('instruments to NEMO tools', () => {
  const servers = [
    { address: 'https://nemo.example.org/api/' },
    { address: 'https://nemo2.example.org/api' },
  ];

  it("reads the tool id of an instrument's api_url and finds the server serving it", () => {
    expect(parseNemoToolUrl('https://nemo.example.org/api/tools/?id=5')).toEqual({
      address: 'https://nemo.example.org/api/',
      toolId: 5,
    });
    expect(parseNemoToolUrl('HTTPS://NEMO.example.org:443/api/tools?id=12')).toEqual({
      address: 'https://nemo.example.org/api/',
      toolId: 12,
    });
    expect(serverForTool('https://nemo2.example.org/api/tools/?id=3', servers)).toBe(servers[1]);
    expect(nemoToolUrl('https://nemo2.example.org/api', 3)).toBe('https://nemo2.example.org/api/tools/?id=3');
  });

  it('refuses what is not a tool URL, and never matches a server by a prefix of its address', () => {
    for (const url of [
      'https://nemo.example.org/api/tools/',
      'https://nemo.example.org/api/tools/?id=abc',
      'https://nemo.example.org/api/tools/?id=0',
      'https://nemo.example.org/api/users/?id=5',
      'not a url',
    ]) {
      expect(parseNemoToolUrl(url)).toBeNull();
    }
    expect(serverForTool('https://nemo.example.org.evil/api/tools/?id=5', servers)).toBeNull();
    expect(serverForTool('https://nemo.example.org/api2/tools/?id=5', servers)).toBeNull();
    expect(serverForTool('https://nemo.example.org/other/api/tools/?id=5', servers)).toBeNull();
  });

  it("gathers a server's tools and their instruments", () => {
    const byTool = instrumentsByTool('https://nemo.example.org/api/', [
      { pid: 'titan', apiUrl: 'https://nemo.example.org/api/tools/?id=5' },
      { pid: 'quanta', apiUrl: 'https://nemo.example.org/api/tools/?id=6' },
      { pid: 'other', apiUrl: 'https://nemo2.example.org/api/tools/?id=5' },
      { pid: 'logger', apiUrl: 'https://cairn.example.org/instruments/logger' },
    ]);
    expect([...byTool]).toEqual([
      [5, 'titan'],
      [6, 'quanta'],
    ]);
  });
});

describe('one harvest pass over a NEMO server', () => {
  let server: NemoTestServer;

  beforeAll(async () => {
    server = await startNemoServer({
      data: {
        tools: [{ id: 5, name: 'Titan TEM' }],
        users: [
          { id: 2, username: 'ned', first_name: 'Ned', last_name: 'Land' },
          { id: 3, username: 'aronnax', first_name: 'Pierre', last_name: 'Aronnax' },
        ],
        projects: [{ id: 1, name: 'Deep Sea Imaging', application_identifier: 'DSI-001' }],
        usageEvents: [
          // Across the autumn change: 00:30 EDT to 03:30 EST is four hours.
          {
            id: 1,
            start: '2024-11-03T00:30:00-04:00',
            end: '2024-11-03T03:30:00-05:00',
            user: 2,
            operator: 3,
            project: 1,
            tool: 5,
          },
          { id: 2, start: '2024-11-04T09:00:00-05:00', end: '2024-11-04T10:00:00-05:00', user: 3, tool: 5 },
          { id: 3, start: '2024-11-05T09:00:00-05:00', end: null, user: 2, tool: 5 },
        ],
        reservations: [
          {
            id: 11,
            start: '2024-11-02T23:00:00-04:00',
            end: '2024-11-03T02:00:00-05:00',
            user: 2,
            tool: 5,
            project: 1,
            question_data: {
              data_consent: {
                type: 'radio',
                name: 'data_consent',
                title: 'Consent',
                choices: ['Agree', 'Disagree'],
                user_input: 'Agree',
              },
              experiment_title: {
                type: 'textbox',
                name: 'experiment_title',
                title: 'Title',
                user_input: 'Night shift',
              },
            },
          },
        ],
      },
    });
  });

  afterAll(() => server.close());

  it('lists ended events, finds their reservations and users, and makes the sessions', async () => {
    const client = new NemoClient({
      address: server.address,
      token: server.token,
      timezone: 'America/New_York',
      timeoutMs: 10_000,
      retries: 2,
      backoffMs: 1,
    });
    const instruments = instrumentsByTool(client.address, [
      { pid: 'titan', apiUrl: nemoToolUrl(server.address, 5) },
    ]);
    const events = await client.listEndedUsageEvents([...instruments.keys()], '2024-11-01T00:00:00Z');
    const users = await client.getUsers(
      events.flatMap((event) => [event.user, event.operator ?? event.user]),
    );
    const projects = await client.getProjects(
      events.flatMap((event) => (event.project === null ? [] : [event.project])),
    );
    const twoDays = 2 * 86_400_000;
    const sessions = [];
    for (const event of events) {
      const reservations = await client.listReservations(
        event.tool,
        new Date(Date.parse(event.start) - twoDays),
        new Date(Date.parse(event.end ?? event.start) + twoDays),
      );
      sessions.push(
        sessionFromUsage({
          address: client.address,
          instrument: instruments.get(event.tool) ?? '',
          event,
          reservations,
          users,
          projects,
        }),
      );
    }

    expect(
      sessions.map((session) => [
        session.identifier,
        session.start,
        session.end,
        session.user,
        session.status,
      ]),
    ).toEqual([
      [
        `${server.address}usage_events/?id=1`,
        '2024-11-03T04:30:00.000Z',
        '2024-11-03T08:30:00.000Z',
        'ned',
        'TO_BE_BUILT',
      ],
      [
        `${server.address}usage_events/?id=2`,
        '2024-11-04T14:00:00.000Z',
        '2024-11-04T15:00:00.000Z',
        'aronnax',
        'NO_RESERVATION',
      ],
    ]);
    expect(sessions[0]).toMatchObject({
      operator: 'aronnax',
      project: { name: 'Deep Sea Imaging' },
      reservation: { id: 11, start: '2024-11-03T03:00:00.000Z', end: '2024-11-03T07:00:00.000Z' },
      answers: { experimentTitle: 'Night shift', dataConsent: 'Agree' },
    });
  });
});
