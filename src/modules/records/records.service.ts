/**
 * Records as people read them: who may see a record (the session's user, members of the record's project,
 * staff and admins — `audienceOf`, the one rule every read here applies), the list with its filters, a
 * sample's records, a record's document with its project and samples, its XML, its previews and the zip of it
 * all.
 */
import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { decodeCursor, encodeCursor, fetchPage, type Page } from '../../db/paging.js';
import { NotFound } from '../../errors/catalogue.js';
import type { FileStore } from '../../files/file-store.js';
import { isAdmin, isStaffOrAdmin, type Actor } from '../accounts/actor.js';
import { listProjectIdsOfMember, namesOfProjects } from '../projects/projects.service.js';
import { assertSampleVisible, describeVisibleSamples } from '../samples/samples.service.js';
import type { RecordDocument } from './record-document.js';
import { zipRecord } from './record-zip.js';
import * as repo from './records.repository.js';
import type {
  ExperimentRecord,
  ListRecordsQuery,
  ListSampleRecordsQuery,
  RecordSummary,
} from './records.schema.js';

/**
 * Who the actor sees records of: everyone's for staff and admins (null), else those of their own sessions and
 * of the live projects they belong to (read afresh, so a membership change applies at once). The search
 * index states the same rule for record documents (owner, project, audience staff).
 */
async function audienceOf(db: Db, actor: Actor): Promise<repo.RecordAudience> {
  if (isStaffOrAdmin(actor)) return null;
  return { username: actor.username, projectIds: await listProjectIdsOfMember(db, actor.id) };
}

/** The projects whose name the actor may read on a record: all for admins, else their own (staff included). */
async function readableProjectsOf(
  db: Db,
  actor: Actor,
  audience: repo.RecordAudience,
): Promise<readonly string[] | null> {
  if (isAdmin(actor)) return null;
  return audience?.projectIds ?? listProjectIdsOfMember(db, actor.id);
}

/** Rows as summaries, each naming its project only to those who may read that project. */
async function toSummaries(
  db: Db,
  actor: Actor,
  audience: repo.RecordAudience,
  rows: readonly repo.RecordSummaryRow[],
): Promise<RecordSummary[]> {
  const linked = rows.some((row) => row.project_id !== null);
  const readable = linked ? await readableProjectsOf(db, actor, audience) : [];
  const shown = (projectId: string | null): projectId is string =>
    projectId !== null && (readable === null || readable.includes(projectId));
  const names = await namesOfProjects(db, [...new Set(rows.map((row) => row.project_id))].filter(shown));
  return rows.map((row) => {
    const name = shown(row.project_id) ? names.get(row.project_id) : undefined;
    return {
      ...toSummary(row),
      project: name === undefined || row.project_id === null ? null : { id: row.project_id, name },
    };
  });
}

function toSummary(row: repo.RecordSummaryRow): Omit<RecordSummary, 'project'> {
  return {
    id: row.id,
    sessionIdentifier: row.session_identifier,
    instrument: row.instrument,
    title: row.title,
    user: row.user,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    builtAt: row.built_at,
  };
}

async function requireRecord(
  db: Db,
  actor: Actor,
  id: string,
): Promise<{ row: repo.RecordRow; audience: repo.RecordAudience }> {
  const audience = await audienceOf(db, actor);
  const row = await repo.findRecord(db, id, audience);
  if (!row) throw new NotFound('Record', id);
  return { row, audience };
}

/** A page of the records the audience sees, filtered, newest session first. */
async function pageOfRecords(
  db: Db,
  actor: Actor,
  audience: repo.RecordAudience,
  filter: repo.RecordFilter,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<RecordSummary>> {
  const after = decodeCursor(query.cursor);
  const page = await fetchPage(
    query.limit,
    (limit) => repo.listRecords(db, audience, filter, after, limit),
    (row) => encodeCursor({ value: row.started_at, id: row.id }),
  );
  return { items: await toSummaries(db, actor, audience, page.items), nextCursor: page.nextCursor };
}

/**
 * Records the actor may see, newest session first, filtered, cursor-paged. A project filter naming a project
 * the actor may not read finds nothing, so the filter does not tell which records are linked to it.
 */
export async function listRecords(
  db: Db,
  actor: Actor,
  query: ListRecordsQuery & { limit: number },
): Promise<Page<RecordSummary>> {
  const audience = await audienceOf(db, actor);
  if (query.project !== undefined) {
    const readable = await readableProjectsOf(db, actor, audience);
    if (readable !== null && !readable.includes(query.project)) return { items: [], nextCursor: null };
  }
  return pageOfRecords(
    db,
    actor,
    audience,
    {
      instrument: query.instrument,
      user: query.user,
      from: query.from === undefined ? undefined : new Date(query.from).toISOString(),
      to: query.to === undefined ? undefined : new Date(query.to).toISOString(),
      text: query.text,
      project: query.project,
    },
    query,
  );
}

/** The records made with a sample that the actor may see (the sample too, else 404), newest session first. */
export async function listSampleRecords(
  db: Db,
  actor: Actor,
  sampleId: string,
  query: ListSampleRecordsQuery & { limit: number },
): Promise<Page<RecordSummary>> {
  await assertSampleVisible(db, actor, sampleId);
  return pageOfRecords(db, actor, await audienceOf(db, actor), { sample: sampleId }, query);
}

/** One record with its document, its project and the samples it was made with, as far as the actor may see them. */
export async function getRecord(db: Db, actor: Actor, id: string): Promise<ExperimentRecord> {
  const { row, audience } = await requireRecord(db, actor, id);
  return toRecord(db, actor, audience, row);
}

async function toRecord(
  db: Db,
  actor: Actor,
  audience: repo.RecordAudience,
  row: repo.RecordRow,
): Promise<ExperimentRecord> {
  const [summary] = await toSummaries(db, actor, audience, [row]);
  const sampleIds = (await repo.findSampleIdsOfRecords(db, [row.id])).get(row.id) ?? [];
  return {
    ...summary!,
    samples: await describeVisibleSamples(db, actor, sampleIds),
    document: JSON.parse(row.document) as RecordDocument,
  };
}

/** The record as NexusLIMS XML (valid against its schema: it was checked before it was saved). */
export async function getRecordXml(db: Db, actor: Actor, id: string): Promise<string> {
  return (await requireRecord(db, actor, id)).row.xml;
}

/** A dataset's PNG preview. */
export async function openRecordPreview(
  db: Db,
  actor: Actor,
  files: FileStore,
  id: string,
  fileId: string,
): Promise<Readable> {
  await requireRecord(db, actor, id);
  const file = await repo.findRecordFile(db, fileId);
  if (!file || file.record_id !== id || file.preview === null) throw new NotFound('Preview', fileId);
  return files.open(file.preview);
}

/** Which of these sessions have a record, and its id: what the sessions list links to (passed down as data). */
export function recordsOfSessions(
  db: Db,
  sessionIdentifiers: readonly string[],
): Promise<Map<string, string>> {
  return repo.findRecordIdsOfSessions(db, sessionIdentifiers);
}

/**
 * The record's files, document, XML and previews as a zip stream. Nothing is read whole: each file is piped
 * through as the zip reaches it, so a record of hundreds of gigabytes downloads with the memory of a small one.
 */
export async function openRecordZip(
  db: Db,
  actor: Actor,
  files: FileStore,
  dataRoot: string,
  id: string,
): Promise<Readable> {
  const { row, audience } = await requireRecord(db, actor, id);
  return zipRecord({
    json: await toRecord(db, actor, audience, row),
    xml: row.xml,
    files: await repo.listRecordFiles(db, id),
    dataRoot,
    previews: files,
  });
}
