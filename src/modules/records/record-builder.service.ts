/**
 * The record builder (NexusLIMS's `record_builder`): takes the oldest TO_BE_BUILT session, finds the files its
 * instrument wrote in the session's window, reads each one's metadata, groups them into acquisition activities
 * by their times, keeps what every file of an activity shares as its setup, makes previews of images, and saves
 * the record — JSON and NexusLIMS XML, checked against the schema first — ending the session COMPLETED. The
 * record is linked, in the same transaction, to the Cairn project the reservation names and to that project's
 * samples its sample groups name, each sample's history telling that it was recorded. No files
 * yet: the session is left for a later try until `noFilesDelayMs` after its end, then NO_FILES_FOUND. Anything
 * else that fails makes the session ERROR with the reason (retried from the API). A corrupt file only makes a
 * warning on its dataset.
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { newId, nowIso } from '../../db/columns.js';
import { inTransaction } from '../../db/transaction.js';
import { recordChanges } from '../audit/audit.service.js';
import { matchProject } from '../projects/projects.service.js';
import { matchProjectSamples } from '../samples/samples.service.js';
import type { FileStore } from '../../files/file-store.js';
import {
  claimNextSession,
  finishSessionBuild,
  deferSession,
  type SessionToBuild,
} from '../instruments/session-builds.service.js';
import { groupIntoActivities, splitSetup } from './activity-clustering.js';
import { findSessionFiles, type SessionFile } from './file-discovery.js';
import { extractMetadata, makePreview, type ExtractedMetadata } from './metadata/extract-metadata.js';
import type { RecordDataset, RecordDocument, RecordParameter, RecordSample } from './record-document.js';
import { ELEMENT_SYMBOLS } from './record-document.js';
import { checkRecord } from './record-schema.js';
import * as repo from './records.repository.js';

export interface BuildSettings {
  readonly db: Db;
  readonly files: FileStore;
  /** CAIRN_INSTRUMENT_DATA_DIR. */
  readonly dataRoot: string;
  /** How long after a session's end its files may still arrive (NexusLIMS: 2 days). */
  readonly noFilesDelayMs: number;
  /** How long a session waiting for its files is left before it is looked at again. */
  readonly retryWaitingMs: number;
  /** Activity clustering sensitivity; 0 puts every file in one activity. */
  readonly sensitivity: number;
  /** Extensions to take (lower case, no dot), or every file. */
  readonly extensions: readonly string[] | 'all';
  readonly ignore: readonly string[];
  readonly maxPreviewBytes: number;
  /** Who holds the sessions it builds (a worker's id). */
  readonly claimant: string;
}

export type BuildOutcome =
  | { status: 'COMPLETED'; sessionIdentifier: string; recordId: string; files: number }
  | { status: 'NO_FILES_FOUND' | 'ERROR'; sessionIdentifier: string; reason: string }
  | { status: 'WAITING_FOR_FILES'; sessionIdentifier: string };

const LEASE_MS = 30 * 60_000;

/** ISO with offset, as the record's times must be (timestamps without an offset are read as this server's). */
function recordTime(value: string | number | Date): string {
  return new Date(value).toISOString();
}

function parameterValue(value: unknown): string | number | boolean {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** A file's metadata as flat name → value pairs (what the activity's setup is split from). */
function metadataOf(metadata: ExtractedMetadata): Record<string, unknown> {
  const details = metadata.details;
  const values: Record<string, unknown> = { Format: metadata.basic.contentType };
  if (details === null) return values;
  switch (details.kind) {
    case 'image':
      return {
        ...values,
        Width: details.image.width,
        Height: details.image.height,
        Channels: details.image.channels,
      };
    case 'tiff': {
      const page = details.tiff.pages[0];
      const fei = details.tiff.fei;
      return {
        ...values,
        ...(page && {
          Width: page.width,
          Height: page.height,
          'Bits per sample': page.bitsPerSample.join(','),
        }),
        ...(fei && { FEI: fei.sections }),
      };
    }
    case 'digital-micrograph': {
      const main = details.dm.main;
      return {
        ...values,
        'DM version': details.dm.version,
        ...(main && { Dimensions: main.dimensions.join(' × '), Signal: main.signal }),
      };
    }
  }
}

function datasetType(metadata: ExtractedMetadata): RecordDataset['type'] {
  const details = metadata.details;
  if (details?.kind === 'digital-micrograph') {
    const signal = details.dm.main?.signal;
    return signal === 'spectrum' ? 'Spectrum' : signal === 'multidimensional' ? 'SpectrumImage' : 'Image';
  }
  if (details?.kind === 'tiff' || details?.kind === 'image') return 'Image';
  return 'Misc';
}

function toParameters(values: Readonly<Record<string, unknown>>): RecordParameter[] {
  return Object.entries(values).map(([name, value]) => ({ name, value: parameterValue(value), unit: null }));
}

interface Reservation {
  userFullName?: string | null;
  operatorFullName?: string | null;
  project?: { name?: string } | null;
  reservation?: { start: string; end: string; url: string } | null;
  answers?: {
    projectId?: string | null;
    experimentTitle?: string | null;
    purpose?: string | null;
    samples?: { name: string | null; pid: string | null; details: string | null; elements: string[] }[];
  };
}

function samplesOf(reservation: Reservation | null): RecordSample[] {
  const symbols = new Set<string>(ELEMENT_SYMBOLS);
  return (reservation?.answers?.samples ?? []).map((sample, index) => ({
    id: `sample-${index + 1}`,
    name: sample.name ?? sample.pid ?? `Sample ${index + 1}`,
    pid: sample.pid,
    inventoryId: null,
    description: sample.details,
    elements: [
      ...new Set(sample.elements.filter((element) => symbols.has(element))),
    ] as RecordSample['elements'],
  }));
}

/**
 * What the reservation's answers link the record to, where they exist: the project (by the project answer, else
 * the NEMO project's name; an id or an unambiguous name) and, in that project only, the samples its sample
 * groups name. Nothing matched, nothing linked: a link is never guessed. One query per kind.
 */
async function linksOf(
  db: Db,
  reservation: Reservation | null,
): Promise<{ projectId: string | null; sampleIds: string[] }> {
  const projectRefs = [reservation?.answers?.projectId, reservation?.project?.name].filter(
    (ref): ref is string => typeof ref === 'string',
  );
  const project = projectRefs.length === 0 ? null : await matchProject(db, projectRefs);
  if (project === null) return { projectId: null, sampleIds: [] };
  const sampleRefs = (reservation?.answers?.samples ?? []).flatMap((sample) =>
    [sample.name, sample.pid].filter((ref): ref is string => typeof ref === 'string'),
  );
  const matched =
    sampleRefs.length === 0
      ? new Map<string, string>()
      : await matchProjectSamples(db, project.id, sampleRefs);
  return { projectId: project.id, sampleIds: [...new Set(matched.values())] };
}

/** Builds one claimed session's record (not yet saved): its document, and its files with their previews saved. */
async function assemble(
  settings: BuildSettings,
  session: SessionToBuild,
  found: readonly SessionFile[],
  recordId: string,
): Promise<{ document: RecordDocument; files: repo.RecordFileRow[]; previews: string[] }> {
  const previews: string[] = [];
  const extracted: ExtractedMetadata[] = [];
  for (const file of found) extracted.push(await extractMetadata(file.path));
  const activities = groupIntoActivities(found, settings.sensitivity);
  const fileRows: repo.RecordFileRow[] = [];
  const reservation = session.reservation as Reservation | null;
  const samples = samplesOf(reservation);
  const documentActivities = [];
  for (const [activityIndex, activity] of activities.entries()) {
    const { setup, perFile } = splitSetup(activity.fileIndexes.map((index) => metadataOf(extracted[index]!)));
    const datasets: RecordDataset[] = [];
    for (const [position, index] of activity.fileIndexes.entries()) {
      const file = found[index]!;
      const metadata = extracted[index]!;
      const fileId = newId();
      const warnings = [...metadata.warnings];
      let preview: string | null = null;
      if (metadata.previewable) {
        const made = await makePreview(file.path, metadata);
        warnings.push(...made.warnings);
        if (made.png !== null) {
          const stored = await settings.files.save(Readable.from([made.png]), {
            originalName: `${path.basename(file.path)}.png`,
            maxBytes: settings.maxPreviewBytes,
          });
          previews.push(stored.storageName);
          preview = stored.storageName;
        }
      }
      fileRows.push({
        id: fileId,
        record_id: recordId,
        activity: activityIndex,
        path: file.relativePath,
        size: metadata.basic.size,
        sha256: metadata.basic.sha256,
        content_type: metadata.basic.contentType,
        modified_at: metadata.basic.modifiedAt,
        preview,
      });
      datasets.push({
        name: path.basename(file.path),
        location: file.relativePath,
        type: datasetType(metadata),
        role: 'Experimental',
        format: metadata.basic.contentType,
        description: null,
        preview: preview === null ? null : `/api/records/${recordId}/files/${fileId}/preview`,
        metadata: [
          ...toParameters(perFile[position] ?? {}),
          { name: 'Size', value: metadata.basic.size, unit: 'B' },
          { name: 'SHA-256', value: metadata.basic.sha256, unit: null },
          { name: 'Modified', value: metadata.basic.modifiedAt, unit: null },
        ],
        warnings: warnings.filter((warning) => warning.trim() !== ''),
      });
    }
    documentActivities.push({
      start: recordTime(activity.start),
      end: recordTime(activity.end),
      sampleId: samples.length === 1 ? samples[0]!.id : null,
      setup: toParameters(setup),
      datasets,
    });
  }
  const start = recordTime(session.start);
  const document: RecordDocument = {
    id: recordId,
    title:
      reservation?.answers?.experimentTitle ??
      `${session.instrument.schemaName} session of ${start.slice(0, 10)}`,
    session: { identifier: session.sessionIdentifier, start, end: recordTime(session.end) },
    instrument: {
      pid: session.instrument.pid,
      name: session.instrument.schemaName,
      location: session.instrument.location,
      ref: session.instrument.apiUrl,
    },
    experimenter: reservation?.userFullName ?? session.user ?? null,
    collaborators:
      reservation?.operatorFullName && reservation.operatorFullName !== reservation.userFullName
        ? [reservation.operatorFullName]
        : [],
    reservation: !reservation?.reservation
      ? null
      : {
          start: recordTime(reservation.reservation.start),
          end: recordTime(reservation.reservation.end),
          motivation: reservation.answers?.purpose ?? null,
          ref: reservation.reservation.url,
        },
    samples,
    projects:
      reservation?.project?.name === undefined
        ? []
        : [{ name: reservation.project.name, projectId: reservation.answers?.projectId ?? null, ref: null }],
    activities: documentActivities,
  };
  return { document, files: fileRows, previews };
}

/**
 * Builds the next TO_BE_BUILT session (only among `among` when given), if any: null when none waits. The session is held under a lease while it
 * is built, so two builders never build the same one.
 */
export async function buildNextSession(
  settings: BuildSettings,
  among: readonly string[] | null = null,
): Promise<BuildOutcome | null> {
  const { db } = settings;
  const session = await inTransaction(db, (trx) => claimNextSession(trx, settings.claimant, LEASE_MS, among));
  if (session === null) return null;
  let previews: string[] = [];
  try {
    const found = await findSessionFiles({
      root: settings.dataRoot,
      relativePath: session.instrument.filestorePath,
      from: new Date(session.start),
      to: new Date(session.end),
      extensions: settings.extensions,
      ignore: settings.ignore,
    });
    if (found.files.length === 0) {
      if (Date.now() - Date.parse(session.end) < settings.noFilesDelayMs) {
        await deferSession(db, session.sessionIdentifier, settings.retryWaitingMs);
        return { status: 'WAITING_FOR_FILES', sessionIdentifier: session.sessionIdentifier };
      }
      const reason = `no files under ${session.instrument.filestorePath} were written between ${session.start} and ${session.end}`;
      await inTransaction(db, (trx) => finishSessionBuild(trx, null, session, 'NO_FILES_FOUND', reason));
      return { status: 'NO_FILES_FOUND', sessionIdentifier: session.sessionIdentifier, reason };
    }
    const recordId = newId();
    const built = await assemble(settings, session, found.files, recordId);
    previews = built.previews;
    const { document, xml } = await checkRecord(built.document);
    await inTransaction(db, async (trx) => {
      const links = await linksOf(trx, session.reservation);
      await repo.insertRecord(
        trx,
        {
          id: recordId,
          session_identifier: session.sessionIdentifier,
          instrument: session.instrument.pid,
          title: document.title,
          user: session.user,
          started_at: document.session.start,
          ended_at: document.session.end,
          document: JSON.stringify(document),
          xml,
          built_at: nowIso(),
          project_id: links.projectId,
        },
        built.files,
        links.sampleIds,
      );
      // On the sample's own history, as an analysis of it is, under the project whose members read it.
      await recordChanges(
        trx,
        null,
        links.sampleIds.map((sampleId) => ({
          action: 'create',
          entityType: 'sample_record',
          entityId: sampleId,
          projectId: links.projectId,
          after: {
            recordId,
            title: document.title,
            instrument: session.instrument.pid,
            startedAt: document.session.start,
          },
        })),
      );
      await finishSessionBuild(trx, null, session, 'COMPLETED', null);
    });
    return {
      status: 'COMPLETED',
      sessionIdentifier: session.sessionIdentifier,
      recordId,
      files: built.files.length,
    };
  } catch (error) {
    await Promise.allSettled(previews.map((name) => settings.files.remove(name)));
    const reason = error instanceof Error ? error.message : String(error);
    await inTransaction(db, (trx) => finishSessionBuild(trx, null, session, 'ERROR', reason));
    return { status: 'ERROR', sessionIdentifier: session.sessionIdentifier, reason };
  }
}
