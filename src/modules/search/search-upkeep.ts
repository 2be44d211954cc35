/**
 * Keeps the text index right: every audited change (create, update, move, delete, restore, bulk import)
 * reaches `indexChanges` in its own transaction (audit's change observers), which reads the touched things
 * again through their modules and rewrites their documents and the vocabulary — so the index commits or
 * rolls back with the change and is never written by anything else. `rebuildIndex` is `cairn search reindex`.
 */
import type { Db } from '../../db/database.js';
import type { Change } from '../audit/audit.service.js';
import { observeChanges } from '../audit/change-observers.js';
import { queueSequenceChanges } from './blast-upkeep.js';
import * as repo from './search-index.repository.js';
import { everyDocument, readDocuments, touchedBy, type SearchDocument } from './search-sources.js';
import type { SearchSource } from './search.tables.js';
import { vocabularyOf } from './search-words.js';

function count(deltas: Map<string, number>, words: Iterable<string>, by: number): void {
  for (const word of words) deltas.set(word, (deltas.get(word) ?? 0) + by);
}

/** Reads these entities of one source again and makes their documents say what they say now. */
async function indexEntities(trx: Db, source: SearchSource, entityIds: readonly string[]): Promise<void> {
  const current = await repo.findDocuments(trx, source, entityIds);
  const fresh = await readDocuments[source](trx, entityIds);
  const currentByEntity = new Map(current.map((row) => [row.entity_id, row]));
  const freshEntities = new Set(fresh.map((document) => document.entityId));
  const vocabulary = new Map<string, number>();
  const inserts: SearchDocument[] = [];
  for (const row of current) count(vocabulary, vocabularyOf([row.title, row.body]), -1);
  for (const document of fresh) {
    count(vocabulary, vocabularyOf([document.title, document.body]), 1);
    const existing = currentByEntity.get(document.entityId);
    if (existing === undefined) {
      inserts.push(document);
      continue;
    }
    await repo.updateDocument(trx, existing.id, document);
    if (existing.path !== null && document.path !== null && existing.path !== document.path) {
      await repo.movePaths(trx, existing.path, document.path);
    }
  }
  await repo.insertDocuments(trx, inserts);
  await repo.deleteDocuments(
    trx,
    current.filter((row) => !freshEntities.has(row.entity_id)).map((row) => row.id),
  );
  await repo.adjustVocabulary(trx, vocabulary);
}

/** The change observer: the documents these changes touch, written in the changing transaction. */
export async function indexChanges(trx: Db, changes: readonly Change[]): Promise<void> {
  for (const [source, ids] of await touchedBy(trx, changes)) await indexEntities(trx, source, [...ids]);
}

/**
 * Registers the index upkeep for this process (composing twice is harmless): the text index, and the queue
 * of items whose sequences the BLAST databases must catch up with.
 */
export function keepSearchIndexCurrent(): void {
  observeChanges('search-index', indexChanges);
  observeChanges('blast-sequences', queueSequenceChanges);
}

/**
 * Rebuilds the whole index from the modules' data, in the caller's transaction: readers keep the old index
 * until it commits. `onProgress` hears how many documents are written so far.
 */
export async function rebuildIndex(
  trx: Db,
  onProgress: (written: number) => void = () => {},
): Promise<number> {
  await repo.clearIndex(trx);
  const vocabulary = new Map<string, number>();
  let written = 0;
  for await (const documents of everyDocument(trx)) {
    await repo.insertDocuments(trx, documents);
    for (const document of documents) count(vocabulary, vocabularyOf([document.title, document.body]), 1);
    written += documents.length;
    onProgress(written);
  }
  await repo.adjustVocabulary(trx, vocabulary);
  return written;
}

/** How many documents the index holds now (what a rebuild expects to write again). */
export function countIndexedDocuments(db: Db): Promise<number> {
  return repo.countDocuments(db);
}
