/**
 * Keeps the BLAST databases in step with the items' sequences (bionet's blast-level, without its stale
 * hits). Every change of an item with sequence fields queues the item (`blast_pending`) in the changing
 * transaction, through audit's change observers, and enqueues the apply task. The task — one worker at a time,
 * under the upkeep's lease — compares each queued item's sequences now with what the databases hold
 * (`blast_entries`): a new or changed sequence goes into the small `recent` volume, which is rewritten whole
 * (a few thousand sequences at most: well under a second), a gone one is marked dead where it is. When the
 * recent volume or the dead entries grow, a merge writes a new `main` volume of every live sequence and points
 * the alias at it alone. A search opens the alias, so it always sees a complete database; its hits are still
 * checked against the items (sequence-search.service.ts), which is what makes dead entries harmless.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { enqueueTask } from '../../tasks/task-queue.js';
import type { Change } from '../audit/audit.service.js';
import { listLiveItemIdsOfType } from '../inventory/item-search-views.js';
import {
  everyItemSequence,
  itemsOfSequenceTypes,
  readItemSequences,
  type SequenceBearingItem,
} from '../inventory/item-sequences.js';
import type { SequenceAlphabet } from '../inventory/sequence-alphabets.js';
import {
  openVolume,
  pointAlias,
  removeUnusedVolumes,
  writeJobExclusions,
  writeVolume,
  type BlastFiles,
  type VolumeSequence,
  type VolumeWriter,
} from './blast-files.js';
import * as repo from './blast.repository.js';
import type { BlastDbType } from './search.tables.js';

export const BLAST_APPLY_TASK = 'search.blast-apply';
export const BLAST_MERGE_TASK = 'search.blast-merge';

export const DB_TYPES: readonly BlastDbType[] = ['nucl', 'prot'];

/** Queued items applied in one transaction. */
const BATCH = 2000;
/** The recent volume is merged into main once it holds this many sequences, or a tenth of main. */
const RECENT_MERGE_AT = 2000;
/** Dead entries left in main make every search ask BLAST for more hits; past this many, merge. */
const DEAD_MERGE_AT = 2000;
const LEASE_MS = 15 * 60_000;

export function blastFilesOf(config: Config): BlastFiles {
  return { dir: config.blastDir, binDir: config.blastBinDir };
}

export function dbTypeOf(alphabet: SequenceAlphabet): BlastDbType {
  return alphabet === 'protein' ? 'prot' : 'nucl';
}

/** What an entry records of a sequence: equal sequences have equal hashes. */
export function sequenceHash(sequence: string): string {
  return createHash('sha256').update(sequence).digest('hex');
}

/** The BLAST id of an entry, and back; null for an id Cairn did not write. */
export function blastIdOf(entryId: number): string {
  return `e${entryId}`;
}
export function entryIdOf(blastId: string): number | null {
  const match = /^(?:lcl\|)?e(\d+)$/.exec(blastId);
  return match ? Number(match[1]) : null;
}

function fieldsMentionSequences(value: unknown): boolean {
  const fields = (value as { fields?: unknown } | null | undefined)?.fields;
  return Array.isArray(fields) && fields.some((field) => (field as { kind?: unknown }).kind === 'sequence');
}

/**
 * The change observer: queues the items whose sequences these changes may have changed (items of types with
 * sequence fields, items already in a BLAST database, every item of a type whose sequence fields changed) and
 * enqueues the apply task, all in the changing transaction — so a committed change is never missed and a
 * rolled-back one never queued.
 */
export async function queueSequenceChanges(trx: Db, changes: readonly Change[]): Promise<void> {
  const touched = new Set<string>();
  // Only an item that existed before the change can have entries to look for.
  const mayHaveEntries = new Set<string>();
  for (const change of changes) {
    if (change.entityType === 'item' || change.entityType === 'sample') {
      touched.add(change.entityId);
      if (change.action !== 'create') mayHaveEntries.add(change.entityId);
    } else if (
      change.entityType === 'item_type' &&
      change.action === 'update' &&
      (fieldsMentionSequences(change.before) || fieldsMentionSequences(change.after))
    ) {
      for (let afterId: string | null = null; ;) {
        const ids: string[] = await listLiveItemIdsOfType(trx, change.entityId, afterId, 1000);
        if (ids.length === 0) break;
        for (const id of ids) {
          touched.add(id);
          mayHaveEntries.add(id);
        }
        afterId = ids[ids.length - 1] ?? null;
      }
    }
  }
  if (touched.size === 0) return;
  const queued = new Set(await itemsOfSequenceTypes(trx, [...touched]));
  const unqueued = [...mayHaveEntries].filter((id) => !queued.has(id));
  for (const id of await repo.itemsWithEntries(trx, unqueued)) queued.add(id);
  if (queued.size === 0) return;
  await repo.insertPending(trx, [...queued]);
  // One task per changing transaction: a task that had already read the queue could otherwise miss this one.
  await enqueueTask(trx, BLAST_APPLY_TASK, null, { maxAttempts: 10 });
}

interface WantedEntry {
  item_id: string;
  field: string;
  db_type: BlastDbType;
  sequence_hash: string;
  project_id: string | null;
}

/** An entry's identity: the same sequence moves to the other database when its field's alphabet changes. */
const keyOf = (entry: { item_id: string; field: string; db_type: BlastDbType; sequence_hash: string }) =>
  `${entry.item_id}\u0000${entry.field}\u0000${entry.db_type}\u0000${entry.sequence_hash}`;

function wantedEntries(
  items: readonly SequenceBearingItem[],
): Map<string, WantedEntry & { sequence: string }> {
  const wanted = new Map<string, WantedEntry & { sequence: string }>();
  for (const item of items) {
    for (const { field, alphabet, sequence } of item.sequences) {
      const entry = {
        item_id: item.id,
        field,
        db_type: dbTypeOf(alphabet),
        sequence_hash: sequenceHash(sequence),
        project_id: item.projectId,
        sequence,
      };
      wanted.set(keyOf(entry), entry);
    }
  }
  return wanted;
}

/**
 * Brings the entries of these items in line with their sequences now; returns the database types whose
 * recent volume must be written again (every type the items have or had entries in: a run that stopped
 * after committing its entries but before writing the files is repaired by the next).
 */
async function applyItems(trx: Db, itemIds: readonly string[]): Promise<Set<BlastDbType>> {
  const wanted = wantedEntries(await readItemSequences(trx, itemIds));
  const touched = new Set<BlastDbType>([...wanted.values()].map((entry) => entry.db_type));
  const revive: number[] = [];
  const kill: number[] = [];
  const drop: number[] = [];
  for (const entry of await repo.findEntriesOfItems(trx, itemIds)) {
    touched.add(entry.db_type);
    const key = keyOf(entry);
    if (wanted.has(key)) {
      if (entry.live === 0) revive.push(entry.id);
      wanted.delete(key);
    } else if (entry.live === 1) {
      // The recent volume is written from the live recent entries, so a gone one simply leaves it.
      if (entry.volume === 'recent') drop.push(entry.id);
      else kill.push(entry.id);
    }
  }
  await repo.setEntriesLive(trx, revive, true);
  await repo.setEntriesLive(trx, kill, false);
  await repo.deleteEntries(trx, drop);
  await repo.insertEntries(
    trx,
    [...wanted.values()].map(({ sequence: _sequence, ...entry }) => ({
      ...entry,
      volume: 'recent',
      live: 1,
    })),
  );
  return touched;
}

/** The sequences of these entries as the items hold them now (an entry whose item moved on is left out). */
async function sequencesOfEntries(db: Db, entries: readonly repo.BlastEntryRow[]): Promise<VolumeSequence[]> {
  const items = new Map(
    (
      await readItemSequences(
        db,
        entries.map((entry) => entry.item_id),
      )
    ).map((item) => [item.id, item]),
  );
  const sequences: VolumeSequence[] = [];
  for (const entry of entries) {
    const held = items.get(entry.item_id)?.sequences.find((sequence) => sequence.field === entry.field);
    if (held !== undefined && sequenceHash(held.sequence) === entry.sequence_hash) {
      sequences.push({ id: blastIdOf(entry.id), title: entry.item_id, sequence: held.sequence });
    }
  }
  return sequences;
}

/** Writes what jobs leave out of a database type now (its dead entries and samples' sequences). */
async function writeExclusionsOf(db: Db, files: BlastFiles, dbType: BlastDbType): Promise<void> {
  await writeJobExclusions(files, dbType, (await repo.listEntryIdsJobsLeaveOut(db, dbType)).map(blastIdOf));
}

/** Writes the recent volume of a database type again from its live entries and points the alias at it. */
async function writeRecentVolume(db: Db, files: BlastFiles, dbType: BlastDbType): Promise<void> {
  const sequences = await sequencesOfEntries(db, await repo.listLiveEntriesOf(db, dbType, 'recent'));
  const generation = await repo.nextGeneration(db);
  const name = `recent-${generation}`;
  const written = await writeVolume(files, dbType, name, sequences);
  const main = (await repo.findDatabases(db)).find((row) => row.db_type === dbType)?.main_volume ?? null;
  const recent = written > 0 ? name : null;
  await pointAlias(files, dbType, [main, recent], generation);
  await writeExclusionsOf(db, files, dbType);
  await repo.setVolumes(db, dbType, { recent_volume: recent });
  await removeUnusedVolumes(files, dbType, [main, recent]);
}

/** Whether the recent volume or the dead entries have grown enough to merge. */
async function mergeIsDue(db: Db): Promise<boolean> {
  for (const dbType of DB_TYPES) {
    const main = await repo.countEntries(db, dbType, 'main', true);
    const recent = await repo.countEntries(db, dbType, 'recent', true);
    const dead = await repo.countEntries(db, dbType, 'main', false);
    if (recent >= Math.max(RECENT_MERGE_AT, main / 10) || dead >= Math.max(DEAD_MERGE_AT, main / 5))
      return true;
  }
  return false;
}

/** Runs `work` holding the upkeep's lease; null when another holds it (after trying for up to `waitMs`). */
async function withLease<T>(db: Db, holder: string, work: () => Promise<T>, waitMs = 0): Promise<T | null> {
  const deadline = Date.now() + waitMs;
  while (!(await repo.takeLease(db, holder, new Date(Date.now() + LEASE_MS).toISOString()))) {
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  try {
    return await work();
  } finally {
    await repo.releaseLease(db, holder);
  }
}

async function applyQueued(db: Db, files: BlastFiles): Promise<number> {
  let applied = 0;
  for (;;) {
    const queued = await repo.listPending(db, BATCH);
    if (queued.length === 0) return applied;
    const touched = await inTransaction(db, (trx) =>
      applyItems(
        trx,
        queued.map((row) => row.item_id),
      ),
    );
    for (const dbType of touched) await writeRecentVolume(db, files, dbType);
    await repo.deletePending(
      db,
      queued.map((row) => row.id),
    );
    applied += queued.length;
  }
}

/**
 * Applies the queued changes to the BLAST databases (the apply task). Returns how many queued items it
 * applied, 0 also when another worker holds the lease: that worker looks at the queue again after
 * releasing it, so what was queued meanwhile is not left behind. Enqueues a merge when one is due.
 */
export async function applyPendingSequenceChanges(
  db: Db,
  files: BlastFiles,
  holder: string,
): Promise<number> {
  let applied = 0;
  for (;;) {
    const done = await withLease(db, holder, () => applyQueued(db, files));
    if (done === null) return applied;
    applied += done;
    if ((await repo.countPending(db)) === 0) break;
  }
  if (applied > 0 && (await mergeIsDue(db))) {
    await enqueueTask(db, BLAST_MERGE_TASK, null, {
      uniqueKey: `${BLAST_MERGE_TASK}:${Math.floor(Date.now() / 60_000)}`,
      maxAttempts: 5,
    });
  }
  return applied;
}

export class BlastBusy extends Error {
  constructor() {
    super('another worker is updating the BLAST databases');
  }
}

/**
 * Writes new main volumes of every live sequence (their entries keep their ids), points the aliases at them
 * alone, and forgets dead entries: the merge task and `cairn blast rebuild`. Throws BlastBusy when another
 * worker still holds the lease after `waitMs`. Changes made while it runs are queued as always and applied
 * right after it. `onProgress` hears how many items have been read.
 */
export async function rebuildBlastDatabases(
  db: Db,
  files: BlastFiles,
  holder: string,
  options: { onProgress?: (items: number) => void; waitMs?: number } = {},
): Promise<{ sequences: number }> {
  const onProgress = options.onProgress ?? (() => {});
  const result = await withLease(
    db,
    holder,
    async () => {
      const generation = await repo.nextGeneration(db);
      const names = { nucl: `main-${generation}`, prot: `main-${generation}` };
      const writers = new Map<BlastDbType, VolumeWriter>();
      for (const dbType of DB_TYPES) writers.set(dbType, await openVolume(files, dbType, names[dbType]));
      const kept = new Set<number>();
      let items = 0;
      try {
        for await (const page of everyItemSequence(db)) {
          const wanted = wantedEntries(page);
          const pageSequences = new Map<BlastDbType, VolumeSequence[]>(
            DB_TYPES.map((dbType) => [dbType, []]),
          );
          const existing = await repo.findEntriesOfItems(
            db,
            page.map((item) => item.id),
          );
          const add = (id: number, entry: WantedEntry & { sequence: string }) => {
            kept.add(id);
            pageSequences
              .get(entry.db_type)
              ?.push({ id: blastIdOf(id), title: entry.item_id, sequence: entry.sequence });
          };
          for (const entry of existing) {
            const match = wanted.get(keyOf(entry));
            if (match === undefined) continue;
            add(entry.id, match);
            wanted.delete(keyOf(entry));
          }
          const inserted = await repo.insertEntries(
            db,
            [...wanted.values()].map(({ sequence: _sequence, ...entry }) => ({
              ...entry,
              volume: 'main',
              live: 1,
            })),
          );
          for (const row of inserted) {
            const match = wanted.get(keyOf(row));
            if (match !== undefined) add(row.id, match);
          }
          for (const [dbType, sequences] of pageSequences) await writers.get(dbType)?.add(sequences);
          // A long rebuild keeps its lease, so that no other worker takes it for an expired one.
          await repo.takeLease(db, holder, new Date(Date.now() + LEASE_MS).toISOString());
          items += page.length;
          onProgress(items);
        }
      } catch (error) {
        for (const writer of writers.values()) await writer.abandon();
        throw error;
      }
      const volumes = new Map<BlastDbType, string | null>();
      for (const dbType of DB_TYPES) {
        const written = (await writers.get(dbType)?.finish()) ?? 0;
        volumes.set(dbType, written > 0 ? names[dbType] : null);
      }
      await inTransaction(db, async (trx) => {
        const gone: number[] = [];
        for (let afterId = 0; ;) {
          const page = await repo.listEntriesInIdOrder(trx, afterId, 5000);
          if (page.length === 0) break;
          for (const entry of page) if (!kept.has(entry.id)) gone.push(entry.id);
          afterId = page[page.length - 1]?.id ?? afterId;
        }
        await repo.deleteEntries(trx, gone);
        await repo.moveAllEntriesToMain(trx);
        await repo.setEntriesLive(trx, [...kept], true);
        for (const dbType of DB_TYPES) {
          await repo.setVolumes(trx, dbType, {
            main_volume: volumes.get(dbType) ?? null,
            recent_volume: null,
          });
        }
      });
      for (const dbType of DB_TYPES) {
        const main = volumes.get(dbType) ?? null;
        await pointAlias(files, dbType, [main], generation);
        await writeExclusionsOf(db, files, dbType);
        await removeUnusedVolumes(files, dbType, [main]);
      }
      return { sequences: kept.size };
    },
    options.waitMs,
  );
  if (result === null) throw new BlastBusy();
  // What was queued while the lease was held.
  await applyPendingSequenceChanges(db, files, holder);
  return result;
}
