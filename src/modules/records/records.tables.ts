/** Kysely table types of the records module: built experiment records and the files they describe. */

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

export interface RecordsTables {
  records: RecordsTable;
  record_files: RecordFilesTable;
}
