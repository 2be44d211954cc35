/**
 * move-box: moving a 10×10 box holding 100 tubes to a rack in another freezer (another building) and back,
 * in the database of 1,000,000 items (support/inventory-db.ts; a working copy of the cached file). Each move
 * is moveItem in its own transaction — what `POST /api/items/:id/move` runs — called in-process in a fresh
 * child (compiled); its latency p50 and p99 over 100 moves (50 there and back) after 10 warm-up moves.
 *
 * Baseline: the same writes with bare better-sqlite3 prepared statements in one IMMEDIATE transaction on the
 * same connection — the box's parent, the subtree's paths (the UPDATE of hierarchy.repository.ts movePaths:
 * 101 paths get a new prefix) and one audit event — without Cairn's checks
 * (live item, parent, cycle, slot) and its answer. Blocks of 10 Cairn moves and 10 bare moves alternate. The
 * issue asks for the p50 and sets no target: the rows are for information.
 *
 * Knobs (investigation only): BENCH_MOVES (100).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HierarchyInput, MoveResult } from './hierarchy.child.js';
import type { Benchmark, BenchmarkContext, BenchmarkOutcome, Comparison } from './support/benchmark.js';
import { cairnModules } from './support/cairn.js';
import { runChild } from './support/child.js';
import { envNumber, fmt, loadAverage, loadNote } from './support/common.js';
import { copyInventory, INVENTORY_USER, inventoryDatabase } from './support/inventory-db.js';
import { REPO_ROOT } from './support/servers.js';

const MOVES = 100;
const CHILD = path.join(REPO_ROOT, 'bench', 'hierarchy.child.ts');

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const moves = envNumber('BENCH_MOVES', MOVES);
  const loadBefore = loadAverage();
  const modules = cairnModules(context.log);
  const inventory = await inventoryDatabase(modules, context.log);
  const { facts } = inventory;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-move-'));
  try {
    const dbFile = path.join(workDir, 'cairn.db');
    const copySeconds = copyInventory(inventory, dbFile);
    context.log(`copied the database to ${workDir} in ${fmt(copySeconds, 1)} s`);
    const input: HierarchyInput = {
      mode: 'move',
      file: dbFile,
      username: INVENTORY_USER,
      boxId: facts.move.boxId,
      fromRackId: facts.move.fromRackId,
      toRackId: facts.move.toRackId,
      moves,
      warmup: 10,
      block: 10,
    };
    const result = await runChild<MoveResult>(CHILD, input, { modules, log: context.log });
    context.log(
      `  moveItem p50 ${fmt(result.cairn.p50, 2)} ms, p99 ${fmt(result.cairn.p99, 2)} ms; bare p50 ${fmt(result.bare.p50, 2)} ms`,
    );
    const figureLabel = `moveItem of a box of ${facts.move.tubes} tubes between racks of two freezers, own transaction, 1M items`;
    const baselineLabel =
      'the same writes (parent, subtree paths, audit event), bare better-sqlite3, one transaction, same connection';
    const comparisons: Comparison[] = [
      {
        metric: 'move p50',
        unit: 'ms',
        figureLabel,
        figure: result.cairn.p50,
        baselineLabel,
        baseline: result.bare.p50,
        better: 'lower',
        target: null,
      },
      {
        metric: 'move p99',
        unit: 'ms',
        figureLabel,
        figure: result.cairn.p99,
        baselineLabel,
        baseline: result.bare.p99,
        better: 'lower',
        target: null,
      },
    ];
    return {
      comparisons,
      notes: [
        `database: ${fmt(facts.items)} items, cached (built through createItemsInBulk in ` +
          `${fmt(inventory.buildSeconds)} s ${inventory.built ? 'in this run' : 'earlier'}); a working copy made in ${fmt(copySeconds, 1)} s`,
        `the box (depth 7) and its ${facts.move.tubes} tubes: ${result.subtree} items whose ${fmt(result.pathsPerMove)} paths get ` +
          "a new prefix (the new rack's path) in one UPDATE by every move",
        `Cairn ${modules.form === 'compiled' ? 'compiled (tsc)' : 'through tsx'}: inTransaction(moveItem) in a fresh child; ${fmt(result.cairn.count)} ` +
          `moves timed (to and fro), after 10 warm-up moves each; p99 by nearest rank (of 100 samples: the second slowest); ` +
          `mean ${fmt(result.cairn.mean, 2)} ms ` +
          `(bare ${fmt(result.bare.mean, 2)} ms); the index is checked to be as it was afterwards`,
        'no target: the issue asks for the p50',
        loadNote(loadBefore),
        ...(moves === MOVES ? [] : [`NOT the standard ${MOVES} moves: compare with care`]),
        ...(modules.note === null
          ? []
          : [`the sources did not compile, so Cairn ran through tsx: ${modules.note.split('\n')[0]}`]),
      ],
      details: { moves, form: modules.form, database: { key: inventory.key, facts, copySeconds }, result },
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

export const moveBox: Benchmark = {
  name: 'move-box',
  description:
    'moving a box of 100 tubes to another rack in 1M items: moveItem p50/p99 vs the bare SQL writes',
  run,
};
