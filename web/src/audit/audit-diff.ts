/**
 * How an audit event's before/after reads for a lab user: which keys changed, each under a human label
 * ("Type", "Location", "Volume (µl)"), the noise left out, ids of other things marked for the panel to resolve.
 * Pure functions without imports, so the tests (type-checked as Node code) can load them.
 */

export interface ChangedKey {
  readonly key: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** What an id in an audit value names: the panel shows it by name (and links items) when it can. */
export type AuditReference = 'item' | 'type' | 'project' | 'user';

/** How a plain value reads: as recorded, as Yes/No, or as a choice (`in_analysis` → "In analysis"). */
export type AuditValueKind = 'text' | 'yes-no' | 'choice';

/** One line of an event's diff table. `before`/`after` are `undefined` where the key was absent. */
export interface AuditRow {
  /** The recorded key (`fields.<name>` for a field value), unique within an event. */
  readonly key: string;
  /** What the user reads; an unknown key is shown as it was recorded, so nothing recorded is hidden. */
  readonly label: string;
  readonly kind: AuditValueKind;
  /** Set when the values are ids of other things. */
  readonly reference?: AuditReference;
  readonly before: unknown;
  readonly after: unknown;
}

export interface AuditRowOptions {
  /** The label of a type field by its name (the inventory's `humanizeFieldName`). */
  readonly fieldLabel: (name: string) => string;
}

/** Where a physical was or went: a parent item (null: the top level) and a slot in it. */
export interface Place {
  readonly parentId: string | null;
  readonly slot: string | null;
}

interface KnownKey {
  readonly label: string;
  readonly kind?: AuditValueKind;
  readonly reference?: AuditReference;
}

/**
 * Keys the event header already says (who, when, which entity) or that never change in a way a user acts on.
 * Item audit views omit the stamps; project, sample and member rows carry them.
 */
const NOISE = new Set([
  'id',
  'class',
  'created_at',
  'updated_at',
  'created_by',
  'updated_by',
  'deleted_at',
  'deleted_by',
  'item_id',
]);

/**
 * Labels by snake_case key, in the order rows are shown (an item's keys as its audit view writes them);
 * camelCase spellings (`parentId`, from a move) are looked up as snake_case.
 */
const KNOWN_KEYS: Record<string, KnownKey> = {
  human_id: { label: 'ID' },
  type_id: { label: 'Type', reference: 'type' },
  name: { label: 'Name' },
  description: { label: 'Description' },
  hidden: { label: 'Hidden', kind: 'yes-no' },
  virtual_id: { label: 'Instance of', reference: 'item' },
  barcode: { label: 'Barcode' },
  parent_id: { label: 'Location', reference: 'item' },
  slot: { label: 'Slot' },
  project_id: { label: 'Project', reference: 'project' },
  // An item's type field values (an object of field name → value) get a row each; other `fields` (a type's
  // field definitions) one row.
  fields: { label: 'Fields' },
  collection_date: { label: 'Collection date' },
  status: { label: 'Status', kind: 'choice' },
  start_date: { label: 'Start date' },
  end_date: { label: 'End date' },
  manager_id: { label: 'Manager', reference: 'user' },
  user_id: { label: 'User', reference: 'user' },
  role: { label: 'Role', kind: 'choice' },
  added_at: { label: 'Added' },
};

const KEY_ORDER = Object.keys(KNOWN_KEYS);

/** Where a recorded key's rows go: known keys in their order, unknown ones after them as recorded. */
function rankOf(key: string): number {
  const rank = KEY_ORDER.indexOf(snakeCase(key));
  return rank === -1 ? KEY_ORDER.length : rank;
}

const ABSENT = Symbol('absent');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
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

/**
 * The rows of an event's diff table: noise left out, `fields` expanded into one row per changed field, known
 * keys labelled and in a fixed order, unknown keys after them under their own name.
 */
export function auditRows(before: unknown, after: unknown, options: AuditRowOptions): AuditRow[] {
  const rows: AuditRow[] = [];
  // A key only "after" has comes last in changedKeys; the rows keep one order whatever changed (stable sort).
  const changes = changedKeys(before, after).sort((a, b) => rankOf(a.key) - rankOf(b.key));
  for (const change of changes) {
    const key = snakeCase(change.key);
    if (NOISE.has(key)) continue;
    if (key === 'fields' && (isRecord(change.before) || isRecord(change.after))) {
      rows.push(...fieldRows(change, options));
      continue;
    }
    const known = KNOWN_KEYS[key];
    if (known === undefined) {
      rows.push({
        key: change.key,
        label: change.key,
        kind: 'text',
        before: change.before,
        after: change.after,
      });
    } else if (known.kind === 'yes-no') {
      // Item audit views leave a false flag out, so an absent flag on a recorded side means No.
      rows.push({
        key: change.key,
        label: known.label,
        kind: 'yes-no',
        before: isRecord(before) ? (change.before ?? false) : change.before,
        after: isRecord(after) ? (change.after ?? false) : change.after,
      });
    } else {
      rows.push({
        key: change.key,
        label: known.label,
        kind: known.kind ?? 'text',
        ...(known.reference !== undefined && { reference: known.reference }),
        before: change.before,
        after: change.after,
      });
    }
  }
  return rows;
}

/** One row per changed type field; a side without fields (a create's "before") has every field absent. */
function fieldRows(change: ChangedKey, options: AuditRowOptions): AuditRow[] {
  const from = isRecord(change.before) ? change.before : {};
  const to = isRecord(change.after) ? change.after : {};
  return changedKeys(from, to).map((field) => ({
    key: `${change.key}.${field.key}`,
    label: options.fieldLabel(field.key),
    kind: typeof field.before === 'boolean' || typeof field.after === 'boolean' ? 'yes-no' : 'text',
    before: field.before,
    after: field.after,
  }));
}

function placeOf(value: unknown): Place | null {
  if (!isRecord(value) || !('parentId' in value)) return null;
  const { parentId, slot } = value;
  if (parentId !== null && typeof parentId !== 'string') return null;
  if (slot !== undefined && slot !== null && typeof slot !== 'string') return null;
  return { parentId, slot: slot ?? null };
}

/** Where a move event took a physical from and to; null when before/after are not places. */
export function movedPlaces(before: unknown, after: unknown): { from: Place; to: Place } | null {
  const from = placeOf(before);
  const to = placeOf(after);
  return from === null || to === null ? null : { from, to };
}

/** A value as text for the diff table: '' for `undefined` (absent on that side), "none" for null and ''. */
export function formatAuditValue(value: unknown, kind: AuditValueKind = 'text'): string {
  if (value === undefined) return '';
  if (kind === 'yes-no' && (typeof value === 'boolean' || value === 0 || value === 1)) {
    return value === true || value === 1 ? 'Yes' : 'No';
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value === null || value === '') return 'none';
  if (kind === 'choice' && typeof value === 'string') {
    const words = value.replaceAll('_', ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** A file attached to an item, as its `item_file` creation event recorded it. */
export interface AttachedFile {
  readonly id: string;
  readonly name: string;
  /** Bytes; null if the event did not record a size. */
  readonly size: number | null;
}

/** The file an event attached ("Attached file foo.fasta (12 kB)"), or null for any other event. */
export function attachedFile(event: {
  readonly entityType: string;
  readonly entityId: string;
  readonly action: string;
  readonly after: unknown;
}): AttachedFile | null {
  if (event.entityType !== 'item_file' || event.action !== 'create' || !isRecord(event.after)) return null;
  const { name, size } = event.after;
  if (typeof name !== 'string') return null;
  const bytes = typeof size === 'number' ? size : typeof size === 'string' ? Number(size) : Number.NaN;
  return { id: event.entityId, name, size: Number.isFinite(bytes) ? bytes : null };
}

/**
 * An entity's own events (newest first, paged) with related events fetched whole (its files'), newest first
 * by id, the trail's order. While older pages of the entity's own events are still to come, related events
 * older than the last one loaded wait for them, so that nothing is shown out of order.
 */
export function mergeHistories<E extends { readonly id: number }>(
  own: readonly E[],
  related: readonly E[],
  complete: boolean,
): E[] {
  const oldestLoaded = own.at(-1)?.id;
  const shown =
    complete || oldestLoaded === undefined ? related : related.filter((event) => event.id > oldestLoaded);
  const seen = new Set(own.map((event) => event.id));
  return [...own, ...shown.filter((event) => !seen.has(event.id))].sort((a, b) => b.id - a.id);
}
