/**
 * From one ended NEMO usage event to the session Cairn logs (pure: no I/O). The session is the event's
 * window on the instrument, identified by the event's API URL (`{base}usage_events/?id=N`, NexusLIMS's key).
 * What the experiment was comes from the questions NexusLIMS asks (`project_id`, `experiment_title`,
 * `experiment_purpose`, `data_consent`, the repeatable `sample_group`), answered in three places, most
 * recent first: the usage event's post-use `run_data`, its pre-use `pre_run_data`, then the reservation that
 * overlaps the event most. Each answer is taken from the first place that has it, so a post-use form that
 * asks only for consent still keeps the title given at booking. The status says whether a record may be
 * built: NO_RESERVATION when nothing describes the experiment, NO_CONSENT when consent is refused or, under
 * NexusLIMS's opt-in rule, never given.
 */
import type {
  EndedUsageEvent,
  NemoProject,
  NemoReservation,
  NemoUsageEvent,
  NemoUser,
} from './nemo-answers.js';

export type HarvestedStatus = 'TO_BE_BUILT' | 'NO_RESERVATION' | 'NO_CONSENT';

export interface SessionRules {
  /** The status of a session with no overlapping reservation and no usage-event answers. */
  readonly withoutReservation: 'NO_RESERVATION' | 'TO_BE_BUILT';
  /**
   * `opt-in` (NexusLIMS): only an answer that is not a refusal allows a record. `opt-out`: only a refusal
   * stops one. `ignored`: consent is not asked.
   */
  readonly consent: 'opt-in' | 'opt-out' | 'ignored';
}

export const NEXUSLIMS_RULES: SessionRules = { withoutReservation: 'NO_RESERVATION', consent: 'opt-in' };

/** The answers NexusLIMS reads as refusing consent (case and surrounding space ignored). */
const REFUSALS = new Set(['disagree', 'no', 'false', 'negative']);

export type AnswerSource = 'run_data' | 'pre_run_data' | 'reservation';

export interface SampleAnswer {
  /** Set when the row says "Sample Name". */
  readonly name: string | null;
  /** Set when the row says "PID": the name field then holds the PID. */
  readonly pid: string | null;
  readonly details: string | null;
  /** Element symbols ticked in the periodic table, if any. */
  readonly elements: readonly string[];
}

export interface ExperimentAnswers {
  readonly projectId: string | null;
  readonly experimentTitle: string | null;
  readonly purpose: string | null;
  readonly samples: readonly SampleAnswer[];
  readonly dataConsent: string | null;
  /** Where the answers came from, in precedence order; empty when nothing was answered. */
  readonly sources: readonly AnswerSource[];
}

export interface HarvestedSession {
  /** `{base}usage_events/?id=N`. */
  readonly identifier: string;
  readonly instrument: string;
  readonly toolId: number;
  readonly usageEventId: number;
  /** ISO-8601 UTC. */
  readonly start: string;
  readonly end: string;
  /** The username of the customer charged for the use (NexusLIMS's session user). */
  readonly user: string | null;
  /** The username of who ran the tool, when NEMO says. */
  readonly operator: string | null;
  /** The customer and who ran the tool as records name people: "First Last (username)". */
  readonly userFullName: string | null;
  readonly operatorFullName: string | null;
  /** The NEMO project charged: the usage event's, else the reservation's. */
  readonly project: NemoProject | null;
  readonly reservation: {
    readonly id: number;
    readonly start: string;
    readonly end: string;
    readonly url: string;
  } | null;
  /** The usage event's page in NEMO's web UI. */
  readonly usageEventUrl: string;
  readonly answers: ExperimentAnswers;
  readonly status: HarvestedStatus;
  /** Why the status, in a sentence for logs and the UI. */
  readonly reason: string;
  /** Answers that could not be read (malformed `run_data` text on old or imported rows). */
  readonly warnings: readonly string[];
}

export interface UsageSessionInput {
  /** The NEMO API base the event came from, normalised (`NemoClient.address`). */
  readonly address: string;
  readonly instrument: string;
  readonly event: NemoUsageEvent;
  /** The tool's reservations around the event; any that do not overlap it are ignored. */
  readonly reservations: readonly NemoReservation[];
  readonly users: ReadonlyMap<number, NemoUser>;
  readonly projects: ReadonlyMap<number, NemoProject>;
}

/** The session key NexusLIMS stores for a NEMO usage event. */
export function usageEventIdentifier(address: string, eventId: number): string {
  return `${address}usage_events/?id=${eventId}`;
}

/** NEMO's web UI lives beside its API: `https://host/api/` → `https://host/`. */
function webBase(address: string): string {
  return address.replace(/api\/$/, '');
}

/** NexusLIMS's way of naming a person in a record. */
function fullName(user: NemoUser | undefined): string | null {
  if (user === undefined) return null;
  const name = `${user.firstName} ${user.lastName}`.trim();
  return name === '' ? user.username : `${name} (${user.username})`;
}

function overlapMs(aStart: string, aEnd: string, bStart: string, bEnd: string): number {
  return Math.max(
    0,
    Math.min(Date.parse(aEnd), Date.parse(bEnd)) - Math.max(Date.parse(aStart), Date.parse(bStart)),
  );
}

/**
 * The reservation overlapping the event most (NexusLIMS's rule), or null when none overlaps at all.
 * Cancelled reservations and other tools' are ignored; a tie goes to the one starting nearest the event,
 * then the lower id, so the choice does not depend on NEMO's answer order.
 */
export function pickReservation(
  event: EndedUsageEvent,
  reservations: readonly NemoReservation[],
): NemoReservation | null {
  let best: { reservation: NemoReservation; overlap: number; distance: number } | null = null;
  for (const reservation of reservations) {
    if (reservation.cancelled || reservation.tool !== event.tool) continue;
    const overlap = overlapMs(event.start, event.end, reservation.start, reservation.end);
    if (overlap <= 0) continue;
    const distance = Math.abs(Date.parse(reservation.start) - Date.parse(event.start));
    if (
      best === null ||
      overlap > best.overlap ||
      (overlap === best.overlap &&
        (distance < best.distance || (distance === best.distance && reservation.id < best.reservation.id)))
    ) {
      best = { reservation, overlap, distance };
    }
  }
  return best?.reservation ?? null;
}

type Answers = Readonly<Record<string, unknown>>;

const QUESTION_NAMES = [
  'project_id',
  'experiment_title',
  'experiment_purpose',
  'data_consent',
  'sample_group',
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A usage event's answers text as an object, or null when absent, empty, or not the questions NexusLIMS asks. */
function parseRunData(
  text: string | null,
  field: 'run_data' | 'pre_run_data',
  eventId: number,
  warnings: string[],
): Answers | null {
  if (text === null || text.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    warnings.push(`usage event ${eventId}: ${field} is not JSON and was ignored`);
    return null;
  }
  if (!isObject(parsed)) {
    warnings.push(`usage event ${eventId}: ${field} is not an object of answers and was ignored`);
    return null;
  }
  return QUESTION_NAMES.some((name) => name in parsed) ? parsed : null;
}

/** A question's `user_input`: strings trimmed, checkbox lists joined; unanswered or empty → null. */
function textAnswer(answers: Answers, name: string): string | null {
  const question = answers[name];
  if (!isObject(question)) return null;
  return answerText(question.user_input);
}

function answerText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
    return items.length === 0 ? null : items.map((item) => item.trim()).join(', ');
  }
  return null;
}

/**
 * The `sample_group` rows in form order. Row keys are the form's row suffixes and may have gaps ("0", "2"),
 * so they are sorted as numbers rather than counted.
 */
function sampleAnswers(answers: Answers): SampleAnswer[] {
  const group = answers.sample_group;
  if (!isObject(group) || !isObject(group.user_input)) return [];
  const rows = Object.entries(group.user_input)
    .sort(([a], [b]) => Number(a) - Number(b) || a.localeCompare(b))
    .map(([, row]) => row)
    .filter(isObject);
  return rows.flatMap((row): SampleAnswer[] => {
    const named = answerText(row.sample_name);
    const kind = (answerText(row.sample_or_pid) ?? '').toLowerCase();
    const elements = Array.isArray(row.periodic_table)
      ? row.periodic_table.filter((item): item is string => typeof item === 'string')
      : [];
    const details = answerText(row.sample_details);
    if (named === null && details === null && elements.length === 0) return [];
    return [
      {
        name: kind === 'pid' ? null : named,
        pid: kind === 'pid' ? named : null,
        details,
        elements,
      },
    ];
  });
}

function mergeAnswers(sources: readonly { source: AnswerSource; answers: Answers }[]): ExperimentAnswers {
  const used = new Set<AnswerSource>();
  const first = (name: string): string | null => {
    for (const { source, answers } of sources) {
      const value = textAnswer(answers, name);
      if (value !== null) {
        used.add(source);
        return value;
      }
    }
    return null;
  };
  const projectId = first('project_id');
  const experimentTitle = first('experiment_title');
  const purpose = first('experiment_purpose');
  const dataConsent = first('data_consent');
  let samples: SampleAnswer[] = [];
  for (const { source, answers } of sources) {
    samples = sampleAnswers(answers);
    if (samples.length > 0) {
      used.add(source);
      break;
    }
  }
  return {
    projectId,
    experimentTitle,
    purpose,
    samples,
    dataConsent,
    sources: sources.map(({ source }) => source).filter((source) => used.has(source)),
  };
}

function consentDecision(rules: SessionRules, consent: string | null): { allowed: boolean; reason: string } {
  const refused = consent !== null && REFUSALS.has(consent.toLowerCase());
  switch (rules.consent) {
    case 'ignored':
      return { allowed: true, reason: 'consent is not asked' };
    case 'opt-out':
      return refused
        ? { allowed: false, reason: `data consent refused ("${consent}")` }
        : { allowed: true, reason: 'data consent not refused' };
    case 'opt-in':
      if (consent === null) return { allowed: false, reason: 'data consent was never given' };
      return refused
        ? { allowed: false, reason: `data consent refused ("${consent}")` }
        : { allowed: true, reason: `data consent given ("${consent}")` };
  }
}

/**
 * The session for one ended usage event, with the experiment's answers and the status to log it with.
 * Throws on an event that has not ended: only ended events are sessions.
 */
export function sessionFromUsage(
  input: UsageSessionInput,
  rules: SessionRules = NEXUSLIMS_RULES,
): HarvestedSession {
  const { event, address } = input;
  const end = event.end;
  if (end === null) throw new Error(`usage event ${event.id} has not ended and is not a session yet`);
  const ended = { ...event, end };
  const warnings: string[] = [];
  const reservation = pickReservation(ended, input.reservations);

  const sources: { source: AnswerSource; answers: Answers }[] = [];
  const runData = parseRunData(event.runData, 'run_data', event.id, warnings);
  if (runData !== null) sources.push({ source: 'run_data', answers: runData });
  const preRunData = parseRunData(event.preRunData, 'pre_run_data', event.id, warnings);
  if (preRunData !== null) sources.push({ source: 'pre_run_data', answers: preRunData });
  if (reservation?.questionData) sources.push({ source: 'reservation', answers: reservation.questionData });
  const answers = mergeAnswers(sources);

  const described = reservation !== null || runData !== null || preRunData !== null;
  let status: HarvestedStatus;
  let reason: string;
  if (!described && rules.withoutReservation === 'NO_RESERVATION') {
    status = 'NO_RESERVATION';
    reason = 'no reservation overlaps the usage event and the event has no answers of its own';
  } else {
    const consent = consentDecision(rules, answers.dataConsent);
    status = consent.allowed ? 'TO_BE_BUILT' : 'NO_CONSENT';
    reason = described ? consent.reason : `no reservation; ${consent.reason}`;
  }

  const projectId = event.project ?? reservation?.project ?? null;
  const user = input.users.get(event.user);
  const operator = event.operator === null ? undefined : input.users.get(event.operator);
  const web = webBase(address);
  return {
    identifier: usageEventIdentifier(address, event.id),
    instrument: input.instrument,
    toolId: event.tool,
    usageEventId: event.id,
    start: event.start,
    end,
    user: user?.username ?? null,
    operator: operator?.username ?? null,
    userFullName: fullName(user),
    operatorFullName: fullName(operator),
    project: projectId === null ? null : (input.projects.get(projectId) ?? null),
    reservation:
      reservation === null
        ? null
        : {
            id: reservation.id,
            start: reservation.start,
            end: reservation.end,
            url: `${web}event_details/reservation/${reservation.id}/`,
          },
    usageEventUrl: `${web}event_details/usage/${event.id}/`,
    answers,
    status,
    reason,
    warnings,
  };
}
