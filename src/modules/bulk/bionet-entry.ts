/**
 * The bionet bioDB entry (seed: bionet's bioDB), as Cairn exports and imports it: `{key, value}` where `value`
 * has `id`, `type` (the type's name), `name`, `description`, `files`, `created` and `updated` (`{at: <seconds
 * since the epoch>, by: <user id>}`; milliseconds are kept as the fraction); a virtual adds `canHavePhysicals`
 * (always true in Cairn); a physical adds `hidden`, `virtual_id`, `barcode`, `parent_id` and `locationInParent`
 * (`{slot: 'B7'}` when it sits in a grid slot, else `{}`). The type's fields are further top-level keys; a field
 * whose name is one of those keys goes under `value.fields`.
 */

export interface BionetStamp {
  at: number;
  by: string | null;
}

export interface BionetFile {
  fileName: string;
  fileType: string;
  name: string;
}

export interface BionetEntry {
  key: string;
  value: Record<string, unknown> & {
    id: string;
    type: string;
    name: string;
    description: string;
    files: BionetFile[];
    created: BionetStamp;
    updated: BionetStamp;
  };
}

/** Keys of `value` that are not type-specific fields. */
export const RESERVED_KEYS = new Set([
  'id',
  'type',
  'name',
  'description',
  'files',
  'created',
  'updated',
  'canHavePhysicals',
  'hidden',
  'virtual_id',
  'barcode',
  'parent_id',
  'locationInParent',
  'fields',
]);
