/**
 * Column headers of import files as people write them: `Item Type`, `item_type` and `ITEM TYPE` are one
 * header. A header names an attribute of the row (through its aliases), the row's own reference inside the
 * file (`id`, `human id`), an export-only column that imports ignore (`path`, `created at`, …), or else a
 * field of the row's type, matched by the same loose spelling (`Volume (µl)` → `volume_ul`). `fields.<name>`
 * always means that field (exports write it when a field's name would read as an attribute, e.g. `position`).
 */

/** What a row can say besides its type-specific fields. */
export type Attribute =
  | 'type'
  | 'name'
  | 'description'
  | 'barcode'
  | 'parent'
  | 'slot'
  | 'virtual'
  | 'hidden'
  | 'project'
  | 'collectionDate'
  | 'status';

export const ITEM_ATTRIBUTES: readonly Attribute[] = [
  'type',
  'name',
  'description',
  'barcode',
  'parent',
  'slot',
  'virtual',
  'hidden',
];

export const SAMPLE_ATTRIBUTES: readonly Attribute[] = [
  'project',
  'type',
  'name',
  'description',
  'barcode',
  'parent',
  'slot',
  'collectionDate',
  'status',
];

/** Loose spellings of each attribute, already normalized. */
const ALIASES: Record<Attribute, readonly string[]> = {
  type: ['type', 'itemtype', 'kind', 'sampletype'],
  name: ['name', 'label', 'itemname', 'samplename'],
  description: ['description', 'notes', 'note', 'comment', 'comments'],
  barcode: ['barcode'],
  parent: ['parent', 'location', 'container', 'box', 'in'],
  slot: ['slot', 'position', 'well'],
  virtual: ['virtual', 'instanceof', 'of'],
  hidden: ['hidden'],
  project: ['project', 'projectname', 'projectid'],
  collectionDate: ['collectiondate', 'collected', 'collectedon', 'datecollected'],
  status: ['status', 'samplestatus'],
};
/** Headers naming the row itself, so that other rows of the same file can refer to it. */
const KEY_HEADERS = ['id', 'itemid', 'humanid'];
/** Columns that exports write for people and imports skip. */
const EXPORT_ONLY_HEADERS = [
  'path',
  'depth',
  'created',
  'createdat',
  'createdby',
  'updated',
  'updatedat',
  'updatedby',
];

export type ColumnTarget =
  | { kind: 'attribute'; attribute: Attribute }
  | { kind: 'key' }
  /** A named field: the row's type must have it. */
  | { kind: 'field'; field: string }
  /** Whatever field of the row's type the header spells, if any. */
  | { kind: 'guess'; normalized: string }
  | { kind: 'ignored' };

export interface Column {
  index: number;
  header: string;
  target: ColumnTarget;
}

/** `Volume (µl)` → `volumeul`: lower case, µ as u, letters and digits only. */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[µμ]/g, 'u')
    .replace(/[^a-z0-9]/g, '');
}

const FIELD_PREFIX = /^\s*fields?\s*[.:]\s*(.+?)\s*$/i;

/** The header an export writes for a field: its name, or `fields.<name>` when the name reads as something else. */
export function fieldHeader(field: string): string {
  const normalized = normalizeHeader(field);
  const reserved =
    Object.values(ALIASES).some((aliases) => aliases.includes(normalized)) ||
    KEY_HEADERS.includes(normalized) ||
    EXPORT_ONLY_HEADERS.includes(normalized);
  return reserved ? `fields.${field}` : field;
}

function targetOfHeader(header: string, attributes: readonly Attribute[]): ColumnTarget {
  const prefixed = FIELD_PREFIX.exec(header);
  if (prefixed?.[1] !== undefined) return { kind: 'field', field: prefixed[1] };
  const normalized = normalizeHeader(header);
  for (const attribute of attributes) {
    if (ALIASES[attribute].includes(normalized)) return { kind: 'attribute', attribute };
  }
  if (KEY_HEADERS.includes(normalized)) return { kind: 'key' };
  if (EXPORT_ONLY_HEADERS.includes(normalized)) return { kind: 'ignored' };
  return { kind: 'guess', normalized };
}

function targetOfMapping(value: string, attributes: readonly Attribute[]): ColumnTarget | null {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'ignore') return { kind: 'ignored' };
  const prefixed = FIELD_PREFIX.exec(trimmed);
  if (prefixed?.[1] !== undefined) return { kind: 'field', field: prefixed[1] };
  if (['id', 'key', 'humanid'].includes(normalizeHeader(trimmed))) return { kind: 'key' };
  const attribute = attributes.find((candidate) => normalizeHeader(candidate) === normalizeHeader(trimmed));
  return attribute === undefined ? null : { kind: 'attribute', attribute };
}

export interface ColumnMapping {
  columns: Column[];
  /** Problems with the header or the mapping, which make the whole file unusable. */
  problems: string[];
  /** Mapping entries that matched no header. */
  unusedMappings: string[];
}

/**
 * Maps a header row to targets. `explicit` (header → `type`, `fields.volume_ul`, `ignore`, …) wins over the
 * aliases; a header is matched in it exactly, else by its loose spelling.
 */
export function mapColumns(
  header: readonly string[],
  attributes: readonly Attribute[],
  explicit: Readonly<Record<string, string>> = {},
): ColumnMapping {
  const problems: string[] = [];
  const explicitByNormalized = new Map(
    Object.entries(explicit).map(([key, value]) => [normalizeHeader(key), { key, value }]),
  );
  const usedMappings = new Set<string>();
  const columns = header.map((text, index): Column => {
    const mapped =
      // Own keys only: a header named "toString" or "constructor" must not find Object.prototype's.
      Object.hasOwn(explicit, text)
        ? { key: text, value: explicit[text] as string }
        : explicitByNormalized.get(normalizeHeader(text));
    if (mapped !== undefined) {
      usedMappings.add(mapped.key);
      const target = targetOfMapping(mapped.value, attributes);
      if (target !== null) return { index, header: text, target };
      problems.push(
        `the mapping of column "${text}" to "${mapped.value}" names nothing; use one of ${attributes.join(', ')}, id, fields.<name> or ignore`,
      );
      return { index, header: text, target: { kind: 'ignored' } };
    }
    if (text.trim() === '') return { index, header: text, target: { kind: 'ignored' } };
    return { index, header: text, target: targetOfHeader(text, attributes) };
  });
  const claimed = new Map<string, string>();
  for (const column of columns) {
    const { target } = column;
    const claim =
      target.kind === 'attribute'
        ? target.attribute
        : target.kind === 'field'
          ? `fields.${target.field}`
          : target.kind === 'guess'
            ? `?${target.normalized}`
            : target.kind === 'key'
              ? `key:${normalizeHeader(column.header)}`
              : null;
    if (claim === null) continue;
    const earlier = claimed.get(claim);
    if (earlier !== undefined)
      problems.push(
        `columns "${earlier}" and "${column.header}" both give the row's ${claim.replace(/^[?]|^key:/, '')}`,
      );
    else claimed.set(claim, column.header);
  }
  for (const required of ['type', 'name'] as const) {
    if (attributes.includes(required) && !claimed.has(required))
      problems.push(`there is no ${required} column (the header row must name one)`);
  }
  if (attributes.includes('project') && !claimed.has('project'))
    problems.push('there is no project column (the header row must name one)');
  return {
    columns,
    problems,
    unusedMappings: Object.keys(explicit).filter((key) => !usedMappings.has(key)),
  };
}
