/** Which keys an audit event changed, and how a before/after value reads. */

export interface ChangedKey {
  readonly key: string;
  readonly before: unknown;
  readonly after: unknown;
}

const ABSENT = Symbol('absent');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The keys whose value differs between `before` and `after` (absent and null are different). */
export function changedKeys(before: unknown, after: unknown): ChangedKey[] {
  if (!isRecord(before) && !isRecord(after)) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ key: 'value', before, after }];
  }
  const from = isRecord(before) ? before : {};
  const to = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return keys
    .map((key) => ({
      key,
      before: key in from ? from[key] : ABSENT,
      after: key in to ? to[key] : ABSENT,
    }))
    .filter((change) => JSON.stringify(change.before) !== JSON.stringify(change.after))
    .map((change) => ({
      key: change.key,
      before: change.before === ABSENT ? undefined : change.before,
      after: change.after === ABSENT ? undefined : change.after,
    }));
}

/** A value as text for the diff table; `undefined` means the key was absent on that side. */
export function formatAuditValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
