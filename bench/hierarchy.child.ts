/**
 * The in-process measuring child of item-path and move-box, on a working copy of the large inventory
 * (support/inventory-db.ts), one fresh process per measurement:
 * - `path`: getPath (the service function GET /api/items/:id/path calls) on random tubes 8 levels deep, each
 *   call timed, against the same SQL statement(s) run with bare better-sqlite3 on the same connection;
 * - `move`: moveItem in its own transaction (what POST /api/items/:id/move runs) of a box of 100 tubes to
 *   and fro between racks in different freezers, each move timed, against the same writes done with bare
 *   better-sqlite3 prepared statements in one transaction.
 * Cairn and bare calls alternate in blocks, so both see the same machine.
 */
import type SqliteDatabase from 'better-sqlite3';
import { cairnModule, childInput, childProgress, childResult, percentile } from './support/child.js';

type DatabaseModule = typeof import('../src/db/database.js');
type AccountsModule = typeof import('../src/modules/accounts/accounts.service.js');
type HierarchyModule = typeof import('../src/modules/inventory/hierarchy.service.js');
type TransactionModule = typeof import('../src/db/transaction.js');
type SamplesModule = typeof import('../src/modules/samples/samples.service.js');

export type HierarchyInput =
  | {
      mode: 'path';
      file: string;
      username: string;
      /** rowids of the tubes to draw from. */
      rowids: [number, number];
      calls: number;
      warmup: number;
      block: number;
      seed: number;
    }
  | {
      mode: 'move';
      file: string;
      username: string;
      boxId: string;
      fromRackId: string;
      toRackId: string;
      moves: number;
      warmup: number;
      block: number;
    };

export interface Latency {
  /** Milliseconds. */
  p50: number;
  p99: number;
  mean: number;
  max: number;
  count: number;
}

export interface PathResult {
  cairn: Latency;
  bare: Latency;
  /** What getPath answered (entries per path) and the SQL the baseline ran. */
  pathLength: number;
  statements: string[];
  distinctItems: number;
}

export interface MoveResult {
  cairn: Latency;
  bare: Latency;
  /** Items in the moved box's subtree (the box included) and paths rewritten per move. */
  subtree: number;
  pathsPerMove: number;
}

function latency(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    max: sorted.at(-1) ?? Number.NaN,
    count: sorted.length,
  };
}

/** Seeded random integers in [low, high]. */
function randomInts(seed: number, low: number, high: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return low + (state % (high - low + 1));
  };
}

async function open(file: string, username: string) {
  const { connectDatabase } = await cairnModule<DatabaseModule>('db/database.js');
  const { actorFor } = await cairnModule<AccountsModule>('modules/accounts/accounts.service.js');
  const handle = connectDatabase({ dialect: 'sqlite', databaseUrl: null, sqlitePath: file });
  if (handle.sqlite === null) throw new Error('not SQLite');
  const actor = await actorFor(handle.db, username);
  return { handle, sqlite: handle.sqlite, actor };
}

/** Records the SQL texts prepared on the connection (Cairn prepares each text once, then reuses it). */
function recordPrepares(sqlite: SqliteDatabase.Database): string[] {
  const seen: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = (source: string) => {
    seen.push(source);
    return prepare(source);
  };
  return seen;
}

async function measurePath(input: Extract<HierarchyInput, { mode: 'path' }>): Promise<PathResult> {
  const { getPath } = await cairnModule<HierarchyModule>('modules/inventory/hierarchy.service.js');
  const { handle, sqlite, actor } = await open(input.file, input.username);
  try {
    const next = randomInts(input.seed, input.rowids[0], input.rowids[1]);
    const idOf = sqlite.prepare('select id from items where rowid = ?').pluck();
    const ids: string[] = [];
    while (ids.length < input.warmup + input.calls) {
      const id = idOf.get(next()) as string | undefined;
      if (id !== undefined) ids.push(id);
    }

    // The first call prepares every statement getPath runs: those are the baseline's.
    const prepared = recordPrepares(sqlite);
    const first = await getPath(handle.db, actor, ids[0] as string);
    const statements = [...prepared];
    const pathStatement = statements.find((text) => /with\s+recursive/i.test(text));
    if (pathStatement === undefined)
      throw new Error(`getPath ran no recursive path query: ${statements.join('; ')}`);
    if ((pathStatement.match(/\?/g) ?? []).length !== 1)
      throw new Error(`the path query takes other parameters than the item id: ${pathStatement}`);
    const bareStatement = sqlite.prepare(pathStatement);
    const expected = first.length;
    if (expected !== 9) throw new Error(`a tube's path has ${expected} entries, not 9`);

    const cairn: number[] = [];
    const bare: number[] = [];
    const runCairn = async (id: string, keep: boolean) => {
      const start = performance.now();
      const path = await getPath(handle.db, actor, id);
      const ms = performance.now() - start;
      if (path.length !== expected || path.at(-1)?.id !== id) throw new Error(`wrong path for ${id}`);
      if (keep) cairn.push(ms);
    };
    const runBare = (id: string, keep: boolean) => {
      const start = performance.now();
      const rows = bareStatement.all(id);
      const ms = performance.now() - start;
      if (rows.length !== expected) throw new Error(`bare: wrong path for ${id}`);
      if (keep) bare.push(ms);
    };
    childProgress(
      `${input.warmup} warm-up calls each, then ${input.calls} timed calls each in blocks of ${input.block}`,
    );
    for (const id of ids.slice(0, input.warmup)) {
      await runCairn(id, false);
      runBare(id, false);
    }
    const timed = ids.slice(input.warmup);
    for (let start = 0; start < timed.length; start += input.block) {
      const block = timed.slice(start, start + input.block);
      for (const id of block) await runCairn(id, true);
      for (const id of block) runBare(id, true);
    }
    return {
      cairn: latency(cairn),
      bare: latency(bare),
      pathLength: expected,
      statements,
      distinctItems: new Set(timed).size,
    };
  } finally {
    await handle.destroy();
  }
}

async function measureMove(input: Extract<HierarchyInput, { mode: 'move' }>): Promise<MoveResult> {
  const { moveItem } = await cairnModule<HierarchyModule>('modules/inventory/hierarchy.service.js');
  const { storeSampleMovedIntoSlot } = await cairnModule<SamplesModule>('modules/samples/samples.service.js');
  const { inTransaction } = await cairnModule<TransactionModule>('db/transaction.js');
  const { handle, sqlite, actor } = await open(input.file, input.username);
  try {
    const parentOf = sqlite.prepare('select parent_id from items where id = ?').pluck();
    const pathOf = sqlite.prepare('select path from items where id = ?').pluck();
    const subtreePaths = (path: string) =>
      sqlite
        .prepare("select id, path from items where path >= ? and path < ? || '~' order by path")
        .all(path, path) as { id: string; path: string }[];
    const pathBefore = pathOf.get(input.boxId) as string;
    const subtreeBefore = subtreePaths(pathBefore);
    const subtree = subtreeBefore.length;
    if (parentOf.get(input.boxId) !== input.fromRackId) throw new Error('the box is not in its first rack');
    const rackPaths = new Map(
      [input.fromRackId, input.toRackId].map((id) => [id, pathOf.get(id) as string] as const),
    );
    const boxKey = pathBefore.slice(pathBefore.lastIndexOf('/', pathBefore.length - 2) + 1);

    // The same writes as a move, bare: the item's parent, the subtree's paths (the statement of
    // hierarchy.repository.ts movePaths), and one audit event.
    const setParent = sqlite.prepare(
      'update items set parent_id = ?, slot = null, updated_at = ?, updated_by = ? where id = ?',
    );
    const relink = sqlite.prepare(
      "update items set path = ? || substr(path, ?) where path >= ? and path < ? || '~'",
    );
    const audit = sqlite.prepare(
      `insert into audit_events (occurred_at, actor_id, action, entity_type, entity_id, project_id, before, after, request_id)
       values (?, ?, 'move', 'item', ?, null, ?, ?, null)`,
    );
    let pathsPerMove = 0;
    const bareMove = sqlite.transaction((to: string, from: string) => {
      const oldPath = `${rackPaths.get(from)}${boxKey}`;
      setParent.run(to, new Date().toISOString(), actor.id, input.boxId);
      pathsPerMove = relink.run(
        `${rackPaths.get(to)}${boxKey}`,
        oldPath.length + 1,
        oldPath,
        oldPath,
      ).changes;
      audit.run(
        new Date().toISOString(),
        actor.id,
        input.boxId,
        JSON.stringify({ parentId: from, slot: null }),
        JSON.stringify({ parentId: to, slot: null }),
      );
    });

    const cairn: number[] = [];
    const bare: number[] = [];
    let at = input.fromRackId;
    const other = () => (at === input.fromRackId ? input.toRackId : input.fromRackId);
    const runCairn = async (keep: boolean) => {
      const to = other();
      const start = performance.now();
      const item = await inTransaction(handle.db, (trx) =>
        moveItem(trx, actor, input.boxId, { parentId: to }, storeSampleMovedIntoSlot),
      );
      const ms = performance.now() - start;
      if (item.parentId !== to) throw new Error('the move did not move');
      at = to;
      if (keep) cairn.push(ms);
    };
    const runBare = (keep: boolean) => {
      const to = other();
      const start = performance.now();
      bareMove.immediate(to, at);
      const ms = performance.now() - start;
      at = to;
      if (keep) bare.push(ms);
    };
    const evenBlock = input.block % 2 === 0 ? input.block : input.block + 1;
    childProgress(
      `${input.warmup} warm-up moves each, then ${input.moves} timed moves each in blocks of ${evenBlock}`,
    );
    for (let i = 0; i < input.warmup; i++) await runCairn(false);
    for (let i = 0; i < input.warmup; i++) runBare(false);
    while (cairn.length < input.moves) {
      for (let i = 0; i < evenBlock; i++) await runCairn(true);
      for (let i = 0; i < evenBlock; i++) runBare(true);
    }
    // Back where it started, the index must be as it was.
    if (at !== input.fromRackId) await runCairn(false);
    if (JSON.stringify(subtreePaths(pathBefore)) !== JSON.stringify(subtreeBefore))
      throw new Error('the path index is not as it was after the moves back');
    return { cairn: latency(cairn), bare: latency(bare), subtree, pathsPerMove };
  } finally {
    await handle.destroy();
  }
}

const input = childInput<HierarchyInput>();
switch (input.mode) {
  case 'path':
    childResult(await measurePath(input));
    break;
  case 'move':
    childResult(await measureMove(input));
    break;
}
