/**
 * Kysely table types of the inventory (seed: bionet bioDB, indexDB and miscDB): item types, items (virtuals
 * and physicals in one table, the hierarchy index as a materialized path on each physical), and the counters
 * of human-readable ids.
 */

export type ItemClass = 'virtual' | 'physical';

export interface ItemTypesTable {
  id: string;
  /** Unique, compared case-insensitively. */
  name: string;
  class: ItemClass;
  /** JSON text: FieldDefinition[] (see field-values.ts). */
  fields: string;
  /** 1: every physical of this type must be an instance of a virtual (bionet's `virtual: true`). */
  requires_virtual: number;
  /** Grid of a container type (slots A1…); both null when the type has no grid. */
  grid_rows: number | null;
  grid_columns: number | null;
  /** 1 for the types a fresh install seeds; their names are fixed. */
  builtin: number;
  created_at: string;
  /** null: the system (the seeding migration). */
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

export interface ItemsTable {
  /** `v-<uuid>` or `p-<uuid>`. */
  id: string;
  class: ItemClass;
  /** `P-000123` / `V-000045`, from the counters; unique and never reused. */
  human_id: string;
  type_id: string;
  name: string;
  description: string;
  /** JSON text: the type-specific field values, validated against the type on every write. */
  fields: string;
  /** Physicals only: 1 keeps the item out of lists unless asked for. */
  hidden: number;
  /** Physicals only: the virtual this is an instance of. */
  virtual_id: string | null;
  /** Physicals only: unique among live items. */
  barcode: string | null;
  /** Physicals only: the container; null at the top level. */
  parent_id: string | null;
  /** Physicals only: the grid slot in the parent (bionet's locationInParent), e.g. `B7`. */
  slot: string | null;
  /** Physicals only: the materialized path, top-level ancestor's key down to this item's (item-paths.ts). */
  path: string | null;
  /** The owning project (samples); null for lab-wide inventory. */
  project_id: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
  /** Soft deletion: set when deleted, null while the item exists. */
  deleted_at: string | null;
  deleted_by: string | null;
}

/** Named counters (bionet miscDB): the human-readable id generator. */
export interface CountersTable {
  name: string;
  value: number;
}

/** A file attached to an item: the bytes live in the file store under `storage_name`; `name` is only a label. */
export interface ItemFilesTable {
  id: string;
  item_id: string;
  storage_name: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  created_at: string;
  created_by: string | null;
}

export interface InventoryTables {
  item_files: ItemFilesTable;
  item_types: ItemTypesTable;
  items: ItemsTable;
  counters: CountersTable;
}
