/** Kysely table types of the samples module (seed: Samples). */
import type { SampleStatus } from './sample-lifecycle.js';

/** A sample: the physical item `item_id` (its name, type, location, barcode and files) owned by a project. */
export interface SamplesTable {
  item_id: string;
  project_id: string;
  /** YYYY-MM-DD or null. */
  collection_date: string | null;
  status: SampleStatus;
  created_at: string;
  updated_at: string;
}

export type { SampleStatus };

export interface SamplesTables {
  samples: SamplesTable;
}
