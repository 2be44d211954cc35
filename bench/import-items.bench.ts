/**
 * import-items: `POST /api/imports/items` of a 100,000-row CSV (1,000 boxes 10×10 and 99,000 tubes in their
 * slots, each tube with a barcode and two fields, its box named in the same file) on a real Cairn (SQLite,
 * compiled, default log level), against bare better-sqlite3 prepared statements inserting the same rows in one
 * transaction: the items, their hierarchy index rows and one audit event each, into the same migrated schema
 * (indexes included). Target: the import takes at most 3× the bare inserts.
 *
 * Rounds alternate bare → Cairn, each on a fresh data directory; the best round of each is compared (the
 * machine is shared: the best round is the one least disturbed). Knobs: BENCH_IMPORT_ROWS (100,000),
 * BENCH_ROUNDS (2), BENCH_CAIRN_LOG_LEVEL (info).
 */
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { newItemId } from '../src/modules/inventory/item-ids.js';
import {
  BenchmarkFailure,
  type Benchmark,
  type BenchmarkContext,
  type BenchmarkOutcome,
} from './support/benchmark.js';
import { cairnCommand, createCairnInstance, serveCairn, type CairnCommand } from './support/cairn.js';
import { freePort } from './support/servers.js';

const TARGET = 3;
const ADMIN_PASSWORD = 'bench-admin-password';
const USER_PASSWORD = 'bench-user-password';
const TUBES_PER_BOX = 99;

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

interface Row {
  type: string;
  name: string;
  /** Index of the box row, for tubes. */
  parent: number | null;
  slot: string | null;
  barcode: string | null;
  fields: Record<string, string | number>;
}

/** The rows, and the CSV a person would write for them (boxes first, tubes naming their box). */
function buildRows(count: number): { rows: Row[]; csv: string } {
  const rows: Row[] = [];
  const lines = ['Type,Name,Box,Well,Barcode,Volume (µl),Frozen on'];
  for (let box = 0; rows.length < count; box++) {
    const boxIndex = rows.length;
    const boxName = `Box ${String(box + 1).padStart(4, '0')}`;
    rows.push({ type: 'box 10x10', name: boxName, parent: null, slot: null, barcode: null, fields: {} });
    lines.push(`box 10x10,${boxName},,,,,`);
    for (let well = 0; well < TUBES_PER_BOX && rows.length < count; well++) {
      const slot = `${String.fromCharCode(65 + Math.floor(well / 10))}${(well % 10) + 1}`;
      const n = rows.length;
      const fields = {
        volume_ul: (n % 500) + 1,
        frozen_on: `2026-01-${String((n % 28) + 1).padStart(2, '0')}`,
      };
      rows.push({ type: 'tube', name: `Tube ${n}`, parent: boxIndex, slot, barcode: `BC-${n}`, fields });
      lines.push(`tube,Tube ${n},${boxName},${slot},BC-${n},${fields.volume_ul},${fields.frozen_on}`);
    }
  }
  return { rows, csv: `${lines.join('\n')}\n` };
}

/** The bare inserts: prepared statements, one transaction, on a migrated database. Returns milliseconds. */
function bareInsert(sqlitePath: string, userId: string, rows: readonly Row[]): number {
  const db = new Database(sqlitePath);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  try {
    const typeIds = new Map(
      (db.prepare('select id, name from item_types').all() as { id: string; name: string }[]).map((type) => [
        type.name,
        type.id,
      ]),
    );
    const insertItem = db.prepare(
      `insert into items (id, class, human_id, type_id, name, description, fields, hidden, virtual_id, barcode,
        parent_id, slot, project_id, created_at, created_by, updated_at, updated_by, deleted_at, deleted_by)
       values (?, 'physical', ?, ?, ?, '', ?, 0, null, ?, ?, ?, null, ?, ?, ?, ?, null, null)`,
    );
    const insertSelf = db.prepare(
      'insert into item_ancestors (item_id, ancestor_id, depth) values (?, ?, 0)',
    );
    const insertAncestors = db.prepare(
      `insert into item_ancestors (item_id, ancestor_id, depth)
       select ?, ancestor_id, depth + 1 from item_ancestors where item_id = ?`,
    );
    const insertAudit = db.prepare(
      `insert into audit_events (occurred_at, actor_id, action, entity_type, entity_id, project_id, before, after, request_id)
       values (?, ?, 'create', 'item', ?, null, null, ?, null)`,
    );
    const started = performance.now();
    db.transaction(() => {
      const now = new Date().toISOString();
      const ids: string[] = [];
      rows.forEach((row, index) => {
        const id = newItemId('physical');
        ids.push(id);
        const parentId = row.parent === null ? null : (ids[row.parent] ?? null);
        const fields = JSON.stringify(row.fields);
        const humanId = `P-${String(index + 1).padStart(6, '0')}`;
        const typeId = typeIds.get(row.type);
        insertItem.run(
          id,
          humanId,
          typeId,
          row.name,
          fields,
          row.barcode,
          parentId,
          row.slot,
          now,
          userId,
          now,
          userId,
        );
        insertSelf.run(id, id);
        if (parentId !== null) insertAncestors.run(id, parentId);
        const after = {
          id,
          human_id: humanId,
          type_id: typeId,
          name: row.name,
          fields: row.fields,
          parent_id: parentId,
        };
        insertAudit.run(now, userId, id, JSON.stringify(after));
      });
    })();
    return performance.now() - started;
  } finally {
    db.close();
  }
}

interface CairnRound {
  ms: number;
  created: number;
}

async function cairnImport(
  command: CairnCommand,
  logLevel: string,
  csv: string,
  log: (m: string) => void,
): Promise<CairnRound> {
  const instance = createCairnInstance(command, { logLevel, adminPassword: ADMIN_PASSWORD });
  try {
    await instance.cli([
      'user',
      'create',
      '--username',
      'bench',
      '--email',
      'bench@lab.example',
      '--password',
      USER_PASSWORD,
    ]);
    const token = (await instance.cli(['token', 'create', '--username', 'bench', '--name', 'bench'])).trim();
    const server = await serveCairn(command, instance, {
      port: await freePort(),
      logFile: path.join(instance.dataDir, 'server.log'),
    });
    try {
      const started = performance.now();
      const response = await fetch(`${server.origin}/api/imports/items`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body: csv,
      });
      const report = (await response.json()) as { created?: number; detail?: string };
      const ms = performance.now() - started;
      if (response.status !== 201)
        throw new BenchmarkFailure(
          `the import answered ${response.status}: ${report.detail ?? JSON.stringify(report)}`,
        );
      log(`Cairn imported ${report.created} rows in ${Math.round(ms)} ms`);
      return { ms, created: report.created ?? 0 };
    } finally {
      await server.stop();
    }
  } finally {
    instance.remove();
  }
}

async function bareRound(
  command: CairnCommand,
  rows: readonly Row[],
  log: (m: string) => void,
): Promise<number> {
  const instance = createCairnInstance(command, { logLevel: 'warn', adminPassword: ADMIN_PASSWORD });
  try {
    // The same schema as Cairn's (migrations run by the CLI), and a user to stamp the rows with.
    const created = await instance.cli([
      'user',
      'create',
      '--username',
      'bench',
      '--email',
      'bench@lab.example',
      '--password',
      USER_PASSWORD,
    ]);
    const userId = created.trim().split(' ').at(-1) ?? '';
    const ms = bareInsert(path.join(instance.dataDir, 'cairn.db'), userId, rows);
    log(`bare prepared statements inserted ${rows.length} rows in ${Math.round(ms)} ms`);
    return ms;
  } finally {
    instance.remove();
  }
}

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const count = envNumber('BENCH_IMPORT_ROWS', 100_000);
  const rounds = envNumber('BENCH_ROUNDS', 2);
  const logLevel = process.env.BENCH_CAIRN_LOG_LEVEL || 'info';
  const loadBefore = os.loadavg()[0] ?? 0;
  const command = cairnCommand(context.log);
  const { rows, csv } = buildRows(count);
  context.log(`${rows.length} rows, ${(csv.length / 1e6).toFixed(1)} MB of CSV`);
  const bare: number[] = [];
  const cairn: number[] = [];
  for (let round = 0; round < rounds; round++) {
    bare.push(await bareRound(command, rows, context.log));
    const result = await cairnImport(command, logLevel, csv, context.log);
    if (result.created !== rows.length)
      throw new BenchmarkFailure(`the import created ${result.created} items, not ${rows.length}`);
    cairn.push(result.ms);
  }
  const best = (values: readonly number[]) => Math.min(...values);
  return {
    comparisons: [
      {
        metric: 'import time',
        unit: 'ms',
        figureLabel: `Cairn POST /api/imports/items, ${rows.length} rows`,
        figure: best(cairn),
        baselineLabel: 'bare better-sqlite3 prepared statements, one transaction',
        baseline: best(bare),
        better: 'lower',
        target: TARGET,
      },
    ],
    notes: [
      `${rows.length} rows (${Math.ceil(rows.length / (TUBES_PER_BOX + 1))} boxes, tubes in slots with barcodes and 2 fields), best of ${rounds} rounds`,
      `rounds (bare / Cairn, ms): ${bare.map((ms, i) => `${Math.round(ms)} / ${Math.round(cairn[i] ?? 0)}`).join(', ')}`,
      `Cairn ${command.form}, log level ${logLevel}; load average before: ${loadBefore.toFixed(2)}`,
    ],
    details: { rows: rows.length, bareMs: bare, cairnMs: cairn, logLevel, form: command.form },
  };
}

export const importItems: Benchmark = {
  name: 'import-items',
  description: 'CSV import of 100,000 items vs bare prepared inserts of the same rows (target ≤ 3×)',
  run,
};
