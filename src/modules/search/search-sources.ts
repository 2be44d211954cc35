/**
 * What the index holds for each kind of thing, and where it reads it: one source per module entity, each
 * reading through that module's search view (the search module sits above every module and reaches their data
 * only through their services), and which audit changes touch which documents.
 */
import type { Db } from '../../db/database.js';
import type { Change } from '../audit/audit.service.js';
import { readSearchableAnalyses, type SearchableAnalysis } from '../compute/analysis-search-views.js';
import {
  listSessionIdentifiers,
  readSearchableInstruments,
  readSearchableSessions,
  type SearchableInstrument,
  type SearchableSession,
} from '../instruments/session-search-views.js';
import {
  listLiveItemIdsOfType,
  readSearchableItems,
  readSearchableItemsInIdOrder,
  type SearchableItem,
} from '../inventory/item-search-views.js';
import { readSearchableProjects, type SearchableProject } from '../projects/projects.service.js';
import {
  readSearchableRecords,
  recordIdsOfSessions,
  type SearchableRecord,
} from '../records/record-search-views.js';
import { sampleStatesOf } from '../samples/samples.service.js';
import type { SearchAudience, SearchKind, SearchSource } from './search.tables.js';

/** One document of the index, as the upkeep writes it. */
export interface SearchDocument {
  source: SearchSource;
  entityId: string;
  kind: SearchKind;
  humanId: string | null;
  /** Name, human id and barcode: what suggestions complete and what ranks highest. */
  title: string;
  /** Everything else it is found by. */
  body: string;
  typeId: string | null;
  typeName: string | null;
  projectId: string | null;
  owner: string | null;
  audience: SearchAudience;
  hidden: boolean;
  status: string | null;
  barcode: string | null;
  path: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The field kinds whose values are words (a sequence or a yes/no is not text anyone searches for). */
const TEXTUAL_FIELD_KINDS = new Set(['text', 'choice', 'number', 'date']);

function lines(...texts: (string | null | undefined)[]): string {
  return texts
    .filter((text): text is string => text !== null && text !== undefined && text !== '')
    .join('\n');
}

async function itemDocuments(db: Db, items: SearchableItem[]): Promise<SearchDocument[]> {
  const samples = await sampleStatesOf(
    db,
    items.filter((item) => item.projectId !== null).map((item) => item.id),
  );
  return items.map((item) => {
    const sample = samples.get(item.id);
    return {
      source: 'item',
      entityId: item.id,
      kind: sample === undefined ? 'item' : 'sample',
      humanId: item.humanId,
      title: lines(item.name, item.humanId, item.barcode),
      body: lines(
        item.typeName,
        item.description,
        ...item.fields
          .filter((field) => TEXTUAL_FIELD_KINDS.has(field.kind))
          .map((field) => String(field.value)),
        sample?.status,
      ),
      typeId: item.typeId,
      typeName: item.typeName,
      projectId: item.projectId,
      owner: null,
      audience: item.projectId === null ? 'everyone' : 'members',
      hidden: item.hidden,
      status: sample?.status ?? null,
      barcode: item.barcode,
      path: item.path,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
    };
  });
}

function projectDocument(project: SearchableProject): SearchDocument {
  return {
    source: 'project',
    entityId: project.id,
    kind: 'project',
    humanId: null,
    title: project.name,
    body: lines(project.description, project.status),
    typeId: null,
    typeName: null,
    projectId: project.id,
    owner: null,
    audience: 'members',
    hidden: false,
    status: project.status,
    barcode: null,
    path: null,
    createdAt: project.createdAt,
    updatedAt: project.updatedAt,
  };
}

function analysisDocument(analysis: SearchableAnalysis): SearchDocument {
  return {
    source: 'analysis',
    entityId: analysis.id,
    kind: 'analysis',
    humanId: null,
    title: `${analysis.typeName} of ${analysis.sampleName ?? analysis.sampleId}`,
    body: lines(
      analysis.typeName,
      analysis.typeVersion,
      analysis.status,
      ...Object.entries(analysis.params).map(([name, value]) => `${name} ${JSON.stringify(value)}`),
    ),
    typeId: analysis.typeName,
    typeName: analysis.typeName,
    projectId: analysis.projectId,
    owner: null,
    audience: 'members',
    hidden: false,
    status: analysis.status,
    barcode: null,
    path: null,
    createdAt: analysis.createdAt,
    updatedAt: analysis.updatedAt,
  };
}

function instrumentDocument(instrument: SearchableInstrument): SearchDocument {
  return {
    source: 'instrument',
    entityId: instrument.pid,
    kind: 'instrument',
    humanId: instrument.pid,
    title: lines(instrument.name, instrument.pid),
    body: lines(...instrument.text),
    typeId: null,
    typeName: null,
    projectId: null,
    owner: null,
    audience: 'everyone',
    hidden: false,
    status: null,
    barcode: null,
    path: null,
    createdAt: '',
    updatedAt: '',
  };
}

function sessionDocument(session: SearchableSession): SearchDocument {
  return {
    source: 'session',
    entityId: session.identifier,
    kind: 'session',
    humanId: null,
    title: `Session on ${session.instrument}, ${session.startedAt.slice(0, 10)}`,
    body: lines(session.instrument, session.user, session.status, ...session.reservationText),
    typeId: null,
    typeName: null,
    projectId: null,
    owner: session.user,
    audience: 'staff',
    hidden: false,
    status: session.status,
    barcode: null,
    path: null,
    createdAt: session.startedAt,
    updatedAt: session.endedAt ?? session.startedAt,
  };
}

function recordDocument(record: SearchableRecord): SearchDocument {
  return {
    source: 'record',
    entityId: record.id,
    kind: 'record',
    humanId: null,
    title: record.title,
    body: lines(record.instrument, record.user, ...record.text),
    typeId: null,
    typeName: null,
    // Seen, as the records service says, by its session's user (owner), its project's members and staff.
    projectId: record.projectId,
    owner: record.user,
    audience: 'staff',
    hidden: false,
    status: null,
    barcode: null,
    path: null,
    createdAt: record.startedAt,
    updatedAt: record.builtAt,
  };
}

/** How a source reads its documents: by entity id (ids it does not return are removed from the index). */
type DocumentReader = (db: Db, ids: readonly string[]) => Promise<SearchDocument[]>;

export const readDocuments: Record<SearchSource, DocumentReader> = {
  item: async (db, ids) => itemDocuments(db, await readSearchableItems(db, ids)),
  project: async (db, ids) => (await readSearchableProjects(db, { ids })).map(projectDocument),
  analysis: async (db, ids) => (await readSearchableAnalyses(db, { ids })).map(analysisDocument),
  instrument: async (db, ids) => (await readSearchableInstruments(db, ids)).map(instrumentDocument),
  session: async (db, ids) => (await readSearchableSessions(db, ids)).map(sessionDocument),
  record: async (db, ids) => (await readSearchableRecords(db, { ids })).map(recordDocument),
};

const PAGE = 1000;

/** Every document of the index, a page at a time, source by source (for a rebuild). */
export async function* everyDocument(db: Db): AsyncGenerator<SearchDocument[]> {
  for (let afterId: string | null = null; ;) {
    const items = await readSearchableItemsInIdOrder(db, afterId, PAGE);
    if (items.length === 0) break;
    yield await itemDocuments(db, items);
    afterId = items[items.length - 1]?.id ?? null;
  }
  for (let afterId: string | null = null; ;) {
    const projects = await readSearchableProjects(db, { afterId, limit: PAGE });
    if (projects.length === 0) break;
    yield projects.map(projectDocument);
    afterId = projects[projects.length - 1]?.id ?? null;
  }
  for (let afterId: string | null = null; ;) {
    const analyses = await readSearchableAnalyses(db, { afterId, limit: PAGE });
    if (analyses.length === 0) break;
    yield analyses.map(analysisDocument);
    afterId = analyses[analyses.length - 1]?.id ?? null;
  }
  yield (await readSearchableInstruments(db, null)).map(instrumentDocument);
  for (let after: { startedAt: string; rowId: number } | null = null; ;) {
    const page = await listSessionIdentifiers(db, after, PAGE);
    if (page.length === 0) break;
    yield (
      await readSearchableSessions(
        db,
        page.map((session) => session.identifier),
      )
    ).map(sessionDocument);
    const last = page[page.length - 1];
    after = last === undefined ? null : { startedAt: last.startedAt, rowId: last.rowId };
  }
  for (let afterId: string | null = null; ;) {
    const records = await readSearchableRecords(db, { afterId, limit: PAGE });
    if (records.length === 0) break;
    yield records.map(recordDocument);
    afterId = records[records.length - 1]?.id ?? null;
  }
}

/** The documents a batch of audit changes touches, by source: what the upkeep reads again. */
export async function touchedBy(db: Db, changes: readonly Change[]): Promise<Map<SearchSource, Set<string>>> {
  const touched = new Map<SearchSource, Set<string>>();
  const touch = (source: SearchSource, id: string) => {
    let ids = touched.get(source);
    if (ids === undefined) touched.set(source, (ids = new Set()));
    ids.add(id);
  };
  const sessions: string[] = [];
  for (const change of changes) {
    switch (change.entityType) {
      case 'item':
      case 'sample':
        touch('item', change.entityId);
        break;
      case 'project':
        touch('project', change.entityId);
        break;
      case 'analysis':
        touch('analysis', change.entityId);
        break;
      case 'instrument':
        touch('instrument', change.entityId);
        break;
      case 'session':
        touch('session', change.entityId);
        sessions.push(change.entityId);
        break;
      case 'record':
        touch('record', change.entityId);
        break;
      case 'item_type':
        if (change.action === 'update') {
          for (let afterId: string | null = null; ;) {
            const ids = await listLiveItemIdsOfType(db, change.entityId, afterId, PAGE);
            if (ids.length === 0) break;
            for (const id of ids) touch('item', id);
            afterId = ids[ids.length - 1] ?? null;
          }
        }
        break;
      default:
        break;
    }
  }
  for (const id of await recordIdsOfSessions(db, sessions)) touch('record', id);
  return touched;
}
