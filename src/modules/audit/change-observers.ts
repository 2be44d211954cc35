/**
 * What else must happen in the transaction of a change: every create, update, move, delete and restore passes
 * through the audit trail (`recordChanges`), so indexes that must never lag their data (the search index)
 * observe changes here, in the same transaction, rather than each module calling them. Observers are
 * registered once per process by whoever composes it (`openRuntime`, the test databases), because the audit
 * module depends on no module and cannot import the ones that observe it.
 */
import type { Db } from '../../db/database.js';
import type { Change } from './audit.service.js';

/** Runs in the changing transaction: what it writes commits or rolls back with the change. */
export type ChangeObserver = (trx: Db, changes: readonly Change[]) => Promise<void>;

const observers = new Map<string, ChangeObserver>();

/** Registers `observer` under `name` (registering a name again replaces it: composing twice is harmless). */
export function observeChanges(name: string, observer: ChangeObserver): void {
  observers.set(name, observer);
}

/** Hands the changes to every observer, in the order they were registered. */
export async function notifyChangeObservers(trx: Db, changes: readonly Change[]): Promise<void> {
  for (const observer of observers.values()) await observer(trx, changes);
}
