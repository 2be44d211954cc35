/**
 * Kysely table types of the records module: built experiment records, the files they describe and the samples
 * they were made with.
 */

export interface RecordsTable {
  id: string;
  session_identifier: string;
  instrument: string;
  title: string;
  user: string | null;
  started_at: string;
  ended_at: string;
  /** JSON text: the record document (record-document.ts). */
  document: string;
  /** The record as NexusLIMS's Nexus Experiment XML, checked against its schema before it was saved. */
  xml: string;
  built_at: string;
  /** The Cairn project the reservation named, when one matched (projects module's id). */
  project_id: string | null;
}

export interface RecordFilesTable {
  id: string;
  record_id: string;
  /** Index of its activity in the record. */
  activity: number;
  /** Relative to the instrument data root. */
  path: string;
  size: number;
  sha256: string;
  content_type: string;
  modified_at: string;
  /** The PNG preview's storage name in the file store, when one was made. */
  preview: string | null;
}

/** The project's inventory samples the reservation named (samples module's ids), found when it was built. */
export interface RecordSamplesTable {
  record_id: string;
  sample_id: string;
}

export interface RecordsTables {
  records: RecordsTable;
  record_files: RecordFilesTable;
  record_samples: RecordSamplesTable;
}
