/**
 * Records as the search index reads them: title, instrument, experimenter, motivation, samples, projects and
 * the activities' setup values. Who may see one is decided by the records service's rule (its session's user,
 * its project's members, staff), which the index keeps as the record's owner, project and audience.
 */
import type { Db } from '../../db/database.js';
import type { RecordDocument } from './record-document.js';
import * as repo from './records.repository.js';

export interface SearchableRecord {
  id: string;
  sessionIdentifier: string;
  title: string;
  instrument: string;
  user: string | null;
  /** The Cairn project it is linked to, whose members see it. */
  projectId: string | null;
  /** Summary, samples, projects and setup values: what else the record is found by. */
  text: string[];
  startedAt: string;
  builtAt: string;
}

function toSearchable(row: repo.RecordRow): SearchableRecord {
  const document = JSON.parse(row.document) as RecordDocument;
  return {
    id: row.id,
    sessionIdentifier: row.session_identifier,
    title: row.title,
    instrument: row.instrument,
    user: row.user,
    projectId: row.project_id,
    text: [
      document.instrument.name,
      document.experimenter ?? '',
      ...document.collaborators,
      document.reservation?.motivation ?? '',
      ...document.samples.map((sample) => sample.name),
      ...document.projects.map((project) => project.name),
      ...document.activities.flatMap((activity) =>
        activity.setup.map((parameter) => String(parameter.value)),
      ),
    ].filter((text) => text !== ''),
    startedAt: row.started_at,
    builtAt: row.built_at,
  };
}

/** Records by id, or a page in id order (unknown ids are left out). */
export async function readSearchableRecords(
  db: Db,
  selection: { ids: readonly string[] } | { afterId: string | null; limit: number },
): Promise<SearchableRecord[]> {
  return (await repo.findRecordsForSearch(db, selection)).map(toSearchable);
}

/** The records of these sessions (a session's change can be its record's: it is built in the same step). */
export async function recordIdsOfSessions(db: Db, identifiers: readonly string[]): Promise<string[]> {
  return [...(await repo.findRecordIdsOfSessions(db, identifiers)).values()];
}
