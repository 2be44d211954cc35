/**
 * Inventory (bionet bioDB, indexDB, miscDB): item types with typed fields and optional grids, items (virtuals
 * and physicals), the hierarchy closure table, the counters of human-readable ids, and the built-in types.
 *
 * The built-in type definitions are written out here, not imported from the module: a released migration
 * must keep seeding the same rows whatever later code says.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migrate.js';

interface SeedField {
  name: string;
  kind: 'text' | 'number' | 'date' | 'boolean' | 'choice';
  required: boolean;
  options?: string[];
}

interface SeedType {
  name: string;
  class: 'virtual' | 'physical';
  fields: SeedField[];
  grid?: [rows: number, columns: number];
}

const text = (name: string, required = false): SeedField => ({ name, kind: 'text', required });
const number = (name: string): SeedField => ({ name, kind: 'number', required: false });
const date = (name: string): SeedField => ({ name, kind: 'date', required: false });
const boolean = (name: string): SeedField => ({ name, kind: 'boolean', required: false });
const choice = (name: string, options: string[]): SeedField => ({
  name,
  kind: 'choice',
  required: false,
  options,
});

const builtinTypes: SeedType[] = [
  { name: 'room', class: 'physical', fields: [text('building'), text('floor')] },
  { name: '-80 freezer', class: 'physical', fields: [text('shelf'), text('rack'), text('box')] },
  { name: 'fridge', class: 'physical', fields: [number('temperature_c'), text('model')] },
  { name: 'shelf', class: 'physical', fields: [text('position')] },
  { name: 'rack', class: 'physical', fields: [text('position')] },
  { name: 'box 9x9', class: 'physical', fields: [text('color')], grid: [9, 9] },
  { name: 'box 10x10', class: 'physical', fields: [text('color')], grid: [10, 10] },
  {
    name: '96-well plate',
    class: 'physical',
    fields: [choice('plate_type', ['flat', 'u-bottom', 'v-bottom', 'deep-well']), boolean('sealed')],
    grid: [8, 12],
  },
  {
    name: 'tube',
    class: 'physical',
    fields: [
      number('volume_ul'),
      number('concentration'),
      choice('concentration_unit', ['ng/ul', 'ug/ml', 'nM', 'uM', 'mM', 'cells/ml']),
      date('frozen_on'),
    ],
  },
  { name: 'plasmid', class: 'virtual', fields: [text('sequence'), text('backbone'), text('resistance')] },
  {
    name: 'strain',
    class: 'virtual',
    fields: [
      text('organism', true),
      text('genotype'),
      choice('biosafety_level', ['BSL-1', 'BSL-2', 'BSL-3']),
    ],
  },
  {
    name: 'primer',
    class: 'virtual',
    fields: [text('sequence', true), choice('direction', ['forward', 'reverse']), number('tm_c')],
  },
  {
    name: 'antibody',
    class: 'virtual',
    fields: [
      text('host'),
      text('target'),
      choice('clonality', ['monoclonal', 'polyclonal']),
      text('conjugate'),
    ],
  },
];

export const inventory: Migration = {
  name: '0002-inventory',
  async up(db, dialect) {
    await db.schema
      .createTable('item_types')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('class', 'text', (c) => c.notNull().check(sql`class in ('virtual', 'physical')`))
      .addColumn('fields', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('requires_virtual', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('grid_rows', 'integer')
      .addColumn('grid_columns', 'integer')
      .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.references('users.id'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.references('users.id'))
      .addCheckConstraint(
        'item_types_grid_check',
        sql`(grid_rows is null and grid_columns is null) or (grid_rows > 0 and grid_columns > 0)`,
      )
      .execute();
    await db.schema
      .createIndex('item_types_name_unique')
      .on('item_types')
      .unique()
      .expression(sql`lower(name)`)
      .execute();

    await db.schema
      .createTable('items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('class', 'text', (c) => c.notNull().check(sql`class in ('virtual', 'physical')`))
      .addColumn('human_id', 'text', (c) => c.notNull())
      .addColumn('type_id', 'text', (c) => c.notNull().references('item_types.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('fields', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('virtual_id', 'text', (c) => c.references('items.id'))
      .addColumn('barcode', 'text')
      .addColumn('parent_id', 'text', (c) => c.references('items.id'))
      .addColumn('slot', 'text')
      .addColumn('project_id', 'text', (c) => c.references('projects.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.references('users.id'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.references('users.id'))
      .addColumn('deleted_at', 'text')
      .addColumn('deleted_by', 'text', (c) => c.references('users.id'))
      .addCheckConstraint('items_slot_needs_parent', sql`slot is null or parent_id is not null`)
      .execute();
    await db.schema.createIndex('items_human_id_unique').on('items').unique().column('human_id').execute();
    await db.schema.createIndex('items_parent_idx').on('items').column('parent_id').execute();
    await db.schema.createIndex('items_type_idx').on('items').column('type_id').execute();
    await db.schema.createIndex('items_name_idx').on('items').columns(['name', 'id']).execute();
    // One live item per slot, one live item per barcode; deleted items give theirs up (restore re-checks).
    await db.schema
      .createIndex('items_slot_unique')
      .on('items')
      .unique()
      .columns(['parent_id', 'slot'])
      .where(sql<boolean>`slot is not null and deleted_at is null`)
      .execute();
    await db.schema
      .createIndex('items_barcode_unique')
      .on('items')
      .unique()
      .column('barcode')
      .where(sql<boolean>`barcode is not null and deleted_at is null`)
      .execute();
    await db.schema
      .createIndex('items_virtual_idx')
      .on('items')
      .column('virtual_id')
      .where(sql<boolean>`virtual_id is not null`)
      .execute();

    // A derived index maintained by the service in the same transaction (no foreign keys: it is rebuilt
    // from items.parent_id if ever in doubt, and foreign-key checks would double the cost of an import).
    await db.schema
      .createTable('item_ancestors')
      .addColumn('item_id', 'text', (c) => c.notNull())
      .addColumn('ancestor_id', 'text', (c) => c.notNull())
      .addColumn('depth', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('item_ancestors_pk', ['item_id', 'ancestor_id'])
      .$call((b) => (dialect === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
      .execute();
    await db.schema
      .createIndex('item_ancestors_ancestor_idx')
      .on('item_ancestors')
      .columns(['ancestor_id', 'depth', 'item_id'])
      .execute();

    await db.schema
      .createTable('counters')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`insert into counters (name, value) values ('items.physical', 0), ('items.virtual', 0)`.execute(
      db,
    );

    await seedBuiltinTypes(db);
  },
};

async function seedBuiltinTypes(db: Kysely<unknown>): Promise<void> {
  const now = new Date().toISOString();
  for (const type of builtinTypes) {
    const [rows, columns] = type.grid ?? [null, null];
    await sql`insert into item_types
      (id, name, class, fields, requires_virtual, grid_rows, grid_columns, builtin, created_at, created_by, updated_at, updated_by)
      values (${randomUUID()}, ${type.name}, ${type.class}, ${JSON.stringify(type.fields)}, 0, ${rows}, ${columns}, 1,
              ${now}, null, ${now}, null)`.execute(db);
  }
}
