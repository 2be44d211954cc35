/**
 * bionet JSON import (seed: bionet bioDB entries): `{key, value}` entries (bionet-entry.ts) keeping their ids,
 * created/updated stamps (administrators' imports), parents, slots, barcodes, fields and files.
 *
 * An import goes through the CSV import's checks (entries become rows: `row` in a report is the entry's
 * position from 1). Unknown types are errors, unless `createTypes` (admins and staff) creates them with a
 * text field for every key their entries use. Stamps are kept in administrators' imports only (others' are
 * recorded as made by the importing user at the time of the import, with a warning); stamps by users this
 * database does not know are recorded as the importing administrator's, with a warning. Files are attached
 * when their bytes are in this server's file store under the entry's `fileName` (a dump restored next to its
 * files); others are a warning. Not carried by the bionet shape: human ids (new ones are given), and the
 * project and sample record of project-owned items (they import as lab-wide items).
 */
import { nowIso } from '../../db/columns.js';
import type { Db } from '../../db/database.js';
import type { FileStore } from '../../files/file-store.js';
import { Forbidden, Invalid } from '../../errors/catalogue.js';
import { describeUsers } from '../accounts/accounts.service.js';
import { isAdmin, isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import type { ItemClass } from '../inventory/inventory.schema.js';
import { findExistingItemIds } from '../inventory/items.service.js';
import type { ItemOrigin } from '../inventory/item-creation.service.js';
import { attachStoredFiles } from '../inventory/item-files.service.js';
import { createType } from '../inventory/types.service.js';
import { RESERVED_KEYS, type BionetFile } from './bionet-entry.js';
import { formatCell } from './cell-values.js';
import type { CsvFile } from './csv-reader.js';
import { commitPlan } from './csv-import.service.js';
import { planImport } from './import-plan.js';
import { ImportRejected, problemReport, type ImportReport } from './import-report.js';
import { TypeCatalog, type CatalogType } from './type-catalog.js';

const ID = /^([vp])-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELD_NAME = /^[a-z][a-z0-9_]{0,63}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `xUnits` → `x_units`: a key as a Cairn field name, or null if it cannot be one. */
function fieldNameOf(key: string): string | null {
  const name = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^[^a-z]+/, '');
  return FIELD_NAME.test(name) ? name : null;
}

interface ParsedEntry {
  row: number;
  id: string;
  itemClass: ItemClass;
  typeText: string;
  cells: Map<string, string>;
  fieldKeys: string[];
  files: BionetFile[];
  created: { at: string; by: string | null };
  updated: { at: string; by: string | null };
}

type EntryProblem = { row: number; field: string; message: string };

function parseStamp(value: unknown): { at: string; by: string | null } | null {
  if (!isRecord(value) || typeof value.at !== 'number' || !Number.isFinite(value.at)) return null;
  const date = new Date(Math.round(value.at * 1000));
  if (Number.isNaN(date.getTime())) return null;
  if (value.by !== undefined && value.by !== null && typeof value.by !== 'string') return null;
  return { at: date.toISOString(), by: typeof value.by === 'string' ? value.by : null };
}

/** Reads one entry into cells of the CSV import's columns, or says why it cannot. */
function parseEntry(entry: unknown, row: number, problems: EntryProblem[], warn: (message: string) => void) {
  const problem = (field: string, message: string) => problems.push({ row, field, message });
  if (!isRecord(entry) || typeof entry.key !== 'string' || !isRecord(entry.value)) {
    problem('entry', 'must be an object {key, value}');
    return null;
  }
  const { key, value } = entry;
  const match = ID.exec(key);
  if (match === null) {
    problem('key', `${key} is not an item id (v-<uuid> or p-<uuid>)`);
    return null;
  }
  if (value.id !== undefined && value.id !== key)
    problem('id', `value.id ${JSON.stringify(value.id)} differs from the key ${key}`);
  const created = parseStamp(value.created);
  if (created === null) problem('created', 'must be {at: <seconds since the epoch>, by: <user id>}');
  const updated = value.updated === undefined ? created : parseStamp(value.updated);
  if (updated === null && value.updated !== undefined)
    problem('updated', 'must be {at: <seconds since the epoch>, by: <user id>}');
  const itemClass: ItemClass = match[1]?.toLowerCase() === 'v' ? 'virtual' : 'physical';
  const cells = new Map<string, string>();
  const text = (name: string, field: string, required: boolean) => {
    const given = value[name];
    if (given === undefined || given === null) {
      if (required) problem(field, 'is missing');
    } else if (typeof given !== 'string') problem(field, 'must be text');
    else cells.set(field, given);
  };
  text('type', 'type', true);
  text('name', 'name', true);
  text('description', 'description', false);
  text('barcode', 'barcode', false);
  text('parent_id', 'parent_id', false);
  text('virtual_id', 'virtual_id', false);
  if (value.hidden !== undefined && value.hidden !== null) {
    if (typeof value.hidden !== 'boolean') problem('hidden', 'must be true or false');
    else cells.set('hidden', String(value.hidden));
  }
  const location = value.locationInParent;
  if (isRecord(location)) {
    if (location.slot !== undefined && location.slot !== null) {
      if (typeof location.slot !== 'string') problem('locationInParent.slot', 'must be text');
      else cells.set('locationInParent.slot', location.slot);
    }
    for (const other of Object.keys(location).filter((name) => name !== 'slot'))
      warn(`locationInParent.${other} is not kept: Cairn keeps a physical's grid slot only`);
  } else if (location !== undefined && location !== null) problem('locationInParent', 'must be an object');
  if (value.canHavePhysicals === false)
    warn('canHavePhysicals: false is not kept: every virtual in Cairn can have physical instances');
  const files: BionetFile[] = [];
  if (Array.isArray(value.files)) {
    value.files.forEach((file: unknown, index) => {
      if (!isRecord(file) || typeof file.fileName !== 'string' || file.fileName === '')
        problem(`files.${index}`, 'must be {fileName, fileType, name}');
      else
        files.push({
          fileName: file.fileName,
          fileType: typeof file.fileType === 'string' ? file.fileType : 'application/octet-stream',
          name: typeof file.name === 'string' ? file.name : file.fileName,
        });
    });
  } else if (value.files !== undefined && value.files !== null) problem('files', 'must be a list');

  const fieldEntries = Object.entries(value).filter(([name]) => !RESERVED_KEYS.has(name));
  if (isRecord(value.fields)) fieldEntries.push(...Object.entries(value.fields));
  const fieldKeys: string[] = [];
  for (const [name, given] of fieldEntries) {
    if (given === null || given === undefined) continue;
    if (typeof given === 'string' || typeof given === 'number' || typeof given === 'boolean') {
      cells.set(`fields.${name}`, formatCell(given));
      fieldKeys.push(name);
    } else problem(`fields.${name}`, 'holds a list or an object; fields hold text, numbers and booleans');
  }
  if (created === null || updated === null || typeof value.type !== 'string') return null;
  const parsed: ParsedEntry = {
    row,
    id: key,
    itemClass,
    typeText: value.type,
    cells,
    fieldKeys,
    files,
    created,
    updated,
  };
  return parsed;
}

/** The types that `createTypes` would create: one per unknown type name, a text field per key used. */
function plannedTypes(
  entries: readonly ParsedEntry[],
  catalog: TypeCatalog,
  problems: EntryProblem[],
): Map<string, { name: string; itemClass: ItemClass; fields: string[] }> {
  const planned = new Map<string, { name: string; itemClass: ItemClass; fields: string[] }>();
  for (const entry of entries) {
    if (catalog.resolve(entry.typeText).type !== null) continue;
    const name = entry.typeText.trim().replace(/\s+/g, ' ');
    const key = name.toLowerCase();
    const type = planned.get(key) ?? { name, itemClass: entry.itemClass, fields: [] };
    planned.set(key, type);
    if (type.itemClass !== entry.itemClass)
      problems.push({
        row: entry.row,
        field: 'type',
        message: `new type ${name} is used by virtuals and physicals`,
      });
    for (const fieldKey of entry.fieldKeys) {
      const fieldName = fieldNameOf(fieldKey);
      if (fieldName === null)
        problems.push({
          row: entry.row,
          field: `fields.${fieldKey}`,
          message: `${fieldKey} cannot be made a field name`,
        });
      else if (!type.fields.includes(fieldName)) type.fields.push(fieldName);
    }
  }
  return planned;
}

/**
 * The ids and stamps the imported items get, by entry row. Stamps say who made a thing and when, so only an
 * administrator's import (moving a lab's records over) keeps the entries' own; anyone else's is recorded as
 * made by them at the time of the import, as anything else they create is.
 */
async function originsOf(
  trx: Db,
  actor: Actor,
  entries: readonly ParsedEntry[],
  warn: (message: string) => void,
): Promise<Map<number, ItemOrigin>> {
  if (!isAdmin(actor)) {
    if (entries.length > 0)
      warn(
        `created and updated stamps are kept only in administrators' imports: these items are recorded as created and updated by ${actor.username}, now`,
      );
    const now = nowIso();
    return new Map(
      entries.map((entry) => [
        entry.row,
        { id: entry.id, createdAt: now, createdBy: actor.id, updatedAt: now, updatedBy: actor.id },
      ]),
    );
  }
  // Uncached: a stamp must name a user of this very database (its foreign key says so).
  const users = await describeUsers(
    trx,
    entries
      .flatMap((entry) => [entry.created.by, entry.updated.by])
      .filter((id): id is string => id !== null),
  );
  const userOf = (id: string | null) => {
    if (id === null || users.has(id)) return id;
    warn(`user ${id} is not known here; what it created or changed is recorded as ${actor.username}'s`);
    return actor.id;
  };
  return new Map(
    entries.map((entry) => [
      entry.row,
      {
        id: entry.id,
        createdAt: entry.created.at,
        createdBy: userOf(entry.created.by),
        updatedAt: entry.updated.at,
        updatedBy: userOf(entry.updated.by),
      },
    ]),
  );
}

/**
 * Imports bionet bioDB entries (any signed-in user; `createTypes` needs admin or staff): checks every entry as
 * the CSV import checks rows, then creates all in the caller's transaction keeping ids (and, for
 * administrators, stamps), or nothing (422 with every bad entry). A dry run creates nothing, not even types.
 */
export async function importBionet(
  trx: Db,
  store: FileStore,
  actor: Actor,
  body: unknown,
  options: { dryRun: boolean; createTypes: boolean },
): Promise<ImportReport> {
  if (!Array.isArray(body))
    throw new Invalid('The body must be a JSON array of bionet entries', [
      { field: 'body', message: 'not an array' },
    ]);
  if (options.createTypes && !isStaffOrAdmin(actor))
    throw new Forbidden('Only staff and administrators create types; import without createTypes');
  const problems: EntryProblem[] = [];
  const warnings = new Set<string>();
  const entries = body.flatMap(
    (entry, index) => parseEntry(entry, index + 1, problems, (m) => warnings.add(m)) ?? [],
  );

  let catalog = await TypeCatalog.load(trx);
  const newTypes = options.createTypes
    ? plannedTypes(entries, catalog, problems)
    : new Map<string, { name: string; itemClass: ItemClass; fields: string[] }>();
  if (newTypes.size > 0) {
    if (options.dryRun) {
      const synthetic: CatalogType[] = [...newTypes.values()].map((type) => ({
        id: `new type ${type.name}`,
        name: type.name,
        itemClass: type.itemClass,
        fields: type.fields.map((name) => ({ name, kind: 'text', required: false })),
        requiresVirtual: false,
        grid: null,
      }));
      catalog = new TypeCatalog([...catalog.types, ...synthetic]);
    } else {
      for (const type of newTypes.values()) {
        await createType(trx, actor, {
          name: type.name,
          class: type.itemClass,
          fields: type.fields.map((name) => ({ name, kind: 'text' as const })),
        });
      }
      catalog = await TypeCatalog.load(trx);
    }
  } else if (!options.createTypes) {
    const unknown = [
      ...new Set(entries.filter((e) => catalog.resolve(e.typeText).type === null).map((e) => e.typeText)),
    ];
    if (unknown.length > 0)
      warnings.add(
        `types ${unknown.join(', ')} are not defined here; import with createTypes=true (admins and staff) to create them`,
      );
  }
  for (const entry of entries) {
    const type = catalog.resolve(entry.typeText).type;
    if (type !== null && type.itemClass !== entry.itemClass)
      problems.push({
        row: entry.row,
        field: 'key',
        message: `${entry.id} is a ${entry.itemClass} id but ${type.name} is a ${type.itemClass} type`,
      });
  }
  for (const id of await findExistingItemIds(
    trx,
    entries.map((entry) => entry.id),
  )) {
    for (const entry of entries.filter((e) => e.id === id))
      problems.push({ row: entry.row, field: 'key', message: `an item with id ${id} already exists here` });
  }

  const origins = await originsOf(trx, actor, entries, (message) => warnings.add(message));

  const fieldHeaders = [
    ...new Set(entries.flatMap((entry) => entry.fieldKeys.map((key) => `fields.${key}`))),
  ];
  const header = [
    'id',
    'type',
    'name',
    'description',
    'barcode',
    'parent_id',
    'locationInParent.slot',
    'virtual_id',
    'hidden',
    ...fieldHeaders,
  ];
  const file: CsvFile = {
    header,
    rows: entries.map((entry) => ({
      row: entry.row,
      cells: header.map((column) =>
        column === 'id' ? entry.id : column === 'type' ? entry.typeText : (entry.cells.get(column) ?? ''),
      ),
    })),
    problem: null,
    // The body's text was checked as a request's (http/storable-input.ts).
    unstorable: [],
  };
  const plan = await planImport(trx, actor, 'items', file, {
    catalog,
    map: { parent_id: 'parent', virtual_id: 'virtual', 'locationInParent.slot': 'slot' },
  });
  plan.rows = body.length;
  for (const problem of problems) plan.problems.add(problem);
  for (const message of warnings) plan.warnings.add({ message });
  const attachments = entries.flatMap((entry) =>
    entry.files.map((file) => ({
      itemId: entry.id,
      projectId: null,
      storageName: file.fileName,
      contentType: file.fileType,
      name: file.name,
    })),
  );
  const missingFile = (storageName: string) => ({
    message: `file ${storageName} is not in this server's file store, so it was not attached`,
  });
  if (options.dryRun) {
    for (const attachment of attachments) {
      const found = await store.stat(attachment.storageName).then(
        () => true,
        () => false,
      );
      if (!found) plan.warnings.add(missingFile(attachment.storageName));
    }
  }
  const checked = problemReport(options.dryRun, plan.rows, plan.problems, plan.warnings);
  if (options.dryRun) return checked;
  if (!checked.valid) throw new ImportRejected(checked);
  const report = await commitPlan(trx, actor, plan, {}, origins);
  for (const storageName of await attachStoredFiles(trx, store, actor, attachments))
    report.warnings.push(missingFile(storageName));
  return report;
}
