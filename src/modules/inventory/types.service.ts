/**
 * Item types (bionet's dataTypes, made user-defined as the seed plans): a class (virtual or physical),
 * typed fields, the `virtual` rule (every physical of the type is an instance of a virtual) and an optional
 * grid for containers. Admins and staff define them; everyone reads them. A change is refused when it would
 * silently make existing items invalid.
 */
import type { Db } from '../../db/database.js';
import { newId, nowIso, toFlag } from '../../db/columns.js';
import { uniqueViolation } from '../../db/constraint-errors.js';
import {
  BuiltinTypeName,
  Forbidden,
  GridInUse,
  Invalid,
  ItemsWouldBeInvalid,
  NotFound,
  TypeClassFixed,
  TypeNameTaken,
  UnknownType,
  type FieldError,
} from '../../errors/catalogue.js';
import { summarizeUsers, type UserSummary } from '../accounts/accounts.service.js';
import { isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import { recordChange } from '../audit/audit.service.js';
import {
  checkFieldDefinitions,
  fieldChangeCanInvalidate,
  validateFieldValues,
  type FieldDefinition,
  type FieldValues,
} from './field-values.js';
import { slotOnGrid, type Grid } from './grid-slots.js';
import type { CreateItemType, ItemType, UpdateItemType } from './inventory.schema.js';
import type { ItemClass } from './inventory.tables.js';
import * as itemsRepo from './items.repository.js';
import * as repo from './types.repository.js';

/** A type as the rest of the module uses it: fields parsed, flags as booleans. */
export interface TypeDefinition {
  id: string;
  name: string;
  itemClass: ItemClass;
  fields: FieldDefinition[];
  requiresVirtual: boolean;
  grid: Grid | null;
  builtin: boolean;
}

/** A type row as the rest of the module uses it. */
export function toTypeDefinition(row: repo.ItemTypeRow): TypeDefinition {
  return {
    id: row.id,
    name: row.name,
    itemClass: row.class,
    fields: JSON.parse(row.fields) as FieldDefinition[],
    requiresVirtual: row.requires_virtual === 1,
    grid:
      row.grid_rows !== null && row.grid_columns !== null
        ? { rows: row.grid_rows, columns: row.grid_columns }
        : null,
    builtin: row.builtin === 1,
  };
}

function stamp(at: string, by: string | null, users: Map<string, UserSummary>) {
  return { at, by: by === null ? null : (users.get(by) ?? { id: by, username: '(unknown)' }) };
}

async function toItemTypes(db: Db, rows: repo.ItemTypeRow[]): Promise<ItemType[]> {
  const users = await summarizeUsers(
    db,
    rows.flatMap((row) => [row.created_by, row.updated_by]).filter((id): id is string => id !== null),
  );
  return rows.map((row) => {
    const type = toTypeDefinition(row);
    return {
      id: type.id,
      name: type.name,
      class: type.itemClass,
      virtual: type.requiresVirtual,
      fields: type.fields.map((field) => ({
        name: field.name,
        kind: field.kind,
        required: field.required,
        ...(field.options !== undefined && { options: field.options }),
        ...(field.alphabet !== undefined && { alphabet: field.alphabet }),
      })),
      grid: type.grid,
      builtin: type.builtin,
      created: stamp(row.created_at, row.created_by, users),
      updated: stamp(row.updated_at, row.updated_by, users),
    };
  });
}

async function toItemType(db: Db, row: repo.ItemTypeRow): Promise<ItemType> {
  const [type] = await toItemTypes(db, [row]);
  return type as ItemType;
}

function requireTypeEditor(actor: Actor): void {
  if (!isStaffOrAdmin(actor)) throw new Forbidden('Only staff and administrators define item types');
}

function normalizeFields(fields: CreateItemType['fields']): FieldDefinition[] {
  return (fields ?? []).map((field) => ({
    name: field.name.trim(),
    kind: field.kind,
    required: field.required ?? false,
    ...(field.options !== undefined && { options: field.options.map((option) => option.trim()) }),
    ...(field.alphabet !== undefined && { alphabet: field.alphabet }),
  }));
}

function checkDefinition(input: {
  name: string;
  itemClass: ItemClass;
  fields: FieldDefinition[];
  virtual: boolean;
  grid: Grid | null;
}): void {
  const errors: FieldError[] = checkFieldDefinitions(input.fields);
  if (input.name === '') errors.push({ field: 'name', message: 'is empty' });
  if (input.itemClass === 'virtual' && input.virtual) {
    errors.push({ field: 'virtual', message: 'only physical types can require a virtual' });
  }
  if (input.itemClass === 'virtual' && input.grid !== null) {
    errors.push({ field: 'grid', message: 'only physical types can be containers with a grid' });
  }
  if (errors.length > 0)
    throw new Invalid(
      `The type definition is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      errors,
    );
}

async function requireFreeName(db: Db, name: string, exceptId: string | null): Promise<void> {
  const existing = await repo.findTypeByName(db, name);
  if (existing && existing.id !== exceptId) throw new TypeNameTaken(existing.name);
}

function translateNameConflict(error: unknown, name: string): unknown {
  return uniqueViolation(error) === null ? error : new TypeNameTaken(name);
}

/** Creates an item type (admins and staff). */
export async function createType(trx: Db, actor: Actor, input: CreateItemType): Promise<ItemType> {
  requireTypeEditor(actor);
  const definition = {
    name: input.name.trim(),
    itemClass: input.class,
    fields: normalizeFields(input.fields),
    virtual: input.virtual ?? false,
    grid: input.grid ?? null,
  };
  checkDefinition(definition);
  await requireFreeName(trx, definition.name, null);
  const now = nowIso();
  const row: repo.ItemTypeRow = {
    id: newId(),
    name: definition.name,
    class: definition.itemClass,
    fields: JSON.stringify(definition.fields),
    requires_virtual: toFlag(definition.virtual),
    grid_rows: definition.grid?.rows ?? null,
    grid_columns: definition.grid?.columns ?? null,
    builtin: 0,
    created_at: now,
    created_by: actor.id,
    updated_at: now,
    updated_by: actor.id,
  };
  try {
    await repo.insertType(trx, row);
  } catch (error) {
    throw translateNameConflict(error, row.name);
  }
  await recordChange(trx, actor, {
    action: 'create',
    entityType: 'item_type',
    entityId: row.id,
    after: auditView(row),
  });
  return toItemType(trx, row);
}

/** Every type, by name; optionally only one class. */
export async function listTypes(db: Db, filter: { class?: ItemClass | undefined }): Promise<ItemType[]> {
  return toItemTypes(db, await repo.listTypes(db, filter.class));
}

/** One type by id or name. */
export async function getType(db: Db, ref: string): Promise<ItemType> {
  const row = await repo.findTypeByRef(db, ref);
  if (!row) throw new NotFound('Item type', ref);
  return toItemType(db, row);
}

/**
 * Resolves a type named in a request (id or name) for the items service; unknown types are a 422 on
 * `field` (they are bad input, not a missing resource).
 */
export async function resolveType(db: Db, ref: string, field = 'type'): Promise<TypeDefinition> {
  const row = await repo.findTypeByRef(db, ref);
  if (!row)
    throw new UnknownType(`There is no item type ${ref}`, [{ field, message: `unknown type ${ref}` }]);
  return toTypeDefinition(row);
}

/** Resolves many type references (ids or names) at once; the map is keyed by each reference as given. */
export async function resolveTypes(db: Db, refs: readonly string[]): Promise<Map<string, TypeDefinition>> {
  const distinct = [...new Set(refs)];
  const rows = (await repo.findTypesByRefs(db, distinct)).map(toTypeDefinition);
  const result = new Map<string, TypeDefinition>();
  for (const ref of distinct) {
    const type =
      rows.find((row) => row.id === ref) ?? rows.find((row) => row.name.toLowerCase() === ref.toLowerCase());
    if (type) result.set(ref, type);
  }
  return result;
}

/** Types by id (for mapping items), in one query. */
export async function typesById(db: Db, ids: readonly string[]): Promise<Map<string, TypeDefinition>> {
  const rows = await repo.findTypesByRefs(db, ids);
  return new Map(rows.map((row) => [row.id, toTypeDefinition(row)]));
}

const MAX_LISTED = 5;

/** Re-validates the live items of a type against new fields; throws a 409 naming the first offenders. */
async function requireItemsStayValid(db: Db, type: TypeDefinition, fields: FieldDefinition[]): Promise<void> {
  const problems: FieldError[] = [];
  let invalidCount = 0;
  let afterId: string | null = null;
  for (;;) {
    const page = await itemsRepo.listLiveItemsOfType(db, type.id, afterId, 1000);
    for (const item of page) {
      const { errors } = validateFieldValues(fields, JSON.parse(item.fields) as FieldValues);
      if (errors.length > 0) {
        invalidCount++;
        if (problems.length < MAX_LISTED) {
          problems.push(
            ...errors
              .slice(0, 1)
              .map((error) => ({ field: error.field, message: `${item.human_id}: ${error.message}` })),
          );
        }
      }
    }
    const last = page.at(-1);
    if (last === undefined || page.length < 1000) break;
    afterId = last.id;
  }
  if (invalidCount > 0) {
    throw new ItemsWouldBeInvalid(
      `${invalidCount} ${type.name} item(s) would no longer be valid with these fields (e.g. ${problems.map((p) => `${p.message} at ${p.field}`).join('; ')}); change the items first or make the change optional`,
      problems,
    );
  }
}

async function requireGridFits(db: Db, type: TypeDefinition, grid: Grid | null): Promise<void> {
  const used = await itemsRepo.listSlotsUsedInType(db, type.id);
  const outside = grid === null ? used : used.filter((slot) => !slotOnGrid(slot, grid));
  if (outside.length > 0) {
    const listed = outside.slice(0, 10).join(', ');
    throw new GridInUse(
      grid === null
        ? `Containers of type ${type.name} hold items in grid slots (${listed}); empty those slots before removing the grid`
        : `Containers of type ${type.name} hold items in slots outside a ${grid.rows}×${grid.columns} grid (${listed}); move them first`,
    );
  }
}

/**
 * Changes a type (admins and staff). The class never changes; built-in types keep their names; fields,
 * the `virtual` rule and the grid change only if every existing item stays valid (else 409).
 */
export async function updateType(
  trx: Db,
  actor: Actor,
  ref: string,
  changes: UpdateItemType,
): Promise<ItemType> {
  requireTypeEditor(actor);
  const found = await repo.findTypeByRef(trx, ref);
  const current = found ? await repo.findTypeForUpdate(trx, found.id) : undefined;
  if (!current) throw new NotFound('Item type', ref);
  const type = toTypeDefinition(current);
  if (changes.class !== undefined && changes.class !== type.itemClass) {
    throw new TypeClassFixed(
      `The class of a type never changes (${type.name} is ${type.itemClass}); create a new type instead`,
    );
  }
  const name = changes.name?.trim() ?? type.name;
  if (type.builtin && name !== type.name) {
    throw new BuiltinTypeName(`${type.name} is a built-in type; its name is fixed`);
  }
  const fields = changes.fields === undefined ? type.fields : normalizeFields(changes.fields);
  const virtual = changes.virtual ?? type.requiresVirtual;
  const grid = changes.grid === undefined ? type.grid : changes.grid;
  checkDefinition({ name, itemClass: type.itemClass, fields, virtual, grid });
  if (name.toLowerCase() !== type.name.toLowerCase()) await requireFreeName(trx, name, type.id);
  if (changes.fields !== undefined && fieldChangeCanInvalidate(type.fields, fields)) {
    await requireItemsStayValid(trx, type, fields);
  }
  if (virtual && !type.requiresVirtual) {
    const orphans = await itemsRepo.listLiveItemsOfTypeWithoutVirtual(trx, type.id, MAX_LISTED);
    if (orphans.length > 0) {
      throw new ItemsWouldBeInvalid(
        `Some ${type.name} items are not instances of a virtual (${orphans.map((o) => o.human_id).join(', ')}); link them to a virtual first`,
        [{ field: 'virtual', message: 'items without a virtual' }],
      );
    }
  }
  const gridShrinks =
    type.grid !== null && (grid === null || grid.rows < type.grid.rows || grid.columns < type.grid.columns);
  if (gridShrinks) await requireGridFits(trx, type, grid);

  const update = {
    name,
    fields: JSON.stringify(fields),
    requires_virtual: toFlag(virtual),
    grid_rows: grid?.rows ?? null,
    grid_columns: grid?.columns ?? null,
    updated_at: nowIso(),
    updated_by: actor.id,
  };
  try {
    await repo.updateType(trx, current.id, update);
  } catch (error) {
    throw translateNameConflict(error, name);
  }
  const after = { ...current, ...update };
  await recordChange(trx, actor, {
    action: 'update',
    entityType: 'item_type',
    entityId: current.id,
    before: auditView(current),
    after: auditView(after),
  });
  return toItemType(trx, after);
}

function auditView(row: repo.ItemTypeRow) {
  return { ...row, fields: JSON.parse(row.fields) as unknown };
}
