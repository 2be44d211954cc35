/**
 * import-items: importing 100,000 items from CSV through Cairn against inserting the same rows with bare
 * better-sqlite3. Target: Cairn takes at most 3× the bare time, with its audit events, hierarchy index and
 * other indexes included in its time.
 *
 * The file is what a lab would import when it moves a freezer's contents into Cairn: 10 racks for an
 * existing -80 °C freezer (named by name), 1,000 10×10 boxes in them (each with a barcode, in a rack named
 * by name) and 98,990 barcoded tubes in the boxes' grid slots (each naming its box by barcode), with volume,
 * concentration, unit and freezing date, and a note on one tube in ten: 100,000 rows, three waves.
 *
 * Cairn: readImportFile + importItemsCsv in a transaction — what `POST /api/imports/items` (and `cairn import
 * csv`) run — called in-process in a fresh child process (compiled, like the server), on a copy of a freshly
 * migrated SQLite database, with the CSV text already in memory. The clock runs from the text to the commit.
 * Baseline: the rows that import wrote, read back before the clock starts, inserted in a fresh process with
 * one prepared INSERT in one transaction, on a connection opened by Cairn's openSqlite (its pragmas: WAL,
 * synchronous NORMAL, foreign keys on, page cache): (1) into Cairn's real `items` table (its 8 secondary
 * indexes, checks and foreign keys) — the target's baseline: the same rows, into the same table, by bare
 * prepared statements; (2) into a minimal table (the same 20 columns and primary key; no other index, no
 * foreign keys) and (3) everything the import wrote (items, audit events) into the real tables — both shown
 * for information. (Until migration 0005 the minimal table was the target's baseline; see bench/README.md.)
 *
 * Knobs: BENCH_ROUNDS (4; Cairn then bare, alternately); for investigation only, BENCH_IMPORT_ROWS (100000)
 * and BENCH_CPU_PROF=1 (a V8 CPU profile of each Cairn import in bench/results/profiles/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BareResult, CairnResult, ChildInput } from './import-items.child.js';
import type { Benchmark, BenchmarkContext, BenchmarkOutcome, Comparison } from './support/benchmark.js';
import { cairnModules } from './support/cairn.js';
import { runChild } from './support/child.js';
import { envNumber, fmt, loadAverage, loadNote, mean, random } from './support/common.js';
import { REPO_ROOT } from './support/servers.js';

const TARGET = 3;
const ROWS = 100_000;
const RACKS = 10;
const BOXES_PER_RACK = 100;
const IMPORTER = 'importer';
const ROOM = 'Cold room 2.14';
const FREEZER = '-80 freezer Sanyo 3';
const CHILD = path.join(REPO_ROOT, 'bench', 'import-items.child.ts');

const UNITS = ['ng/ul', 'ng/ul', 'ng/ul', 'uM', 'nM', 'cells/ml'];
const WHAT = ['DNA', 'RNA', 'plasma', 'lysate', 'cDNA', 'serum', 'PBMC'];
const NOTES = ['re-aliquoted after thaw', 'low volume', 'check concentration', 'from collaborator'];

/** Slot names of a 10×10 box in filling order: A1 … A10, B1 … J10. */
const SLOTS = Array.from(
  { length: 100 },
  (_, i) => `${String.fromCharCode(65 + Math.floor(i / 10))}${(i % 10) + 1}`,
);

interface LabCsv {
  text: string;
  racks: number;
  boxes: number;
  tubes: number;
}

/** The freezer's contents as a lab's spreadsheet: racks, boxes in racks, tubes in box slots. */
function labCsv(rows: number): LabCsv {
  const pick = random(7);
  const racks = Math.min(RACKS, rows);
  const boxes = Math.min(racks * BOXES_PER_RACK, rows - racks);
  const tubes = rows - racks - boxes;
  if (tubes > boxes * SLOTS.length) throw new Error(`${tubes} tubes do not fit in ${boxes} boxes`);
  const lines = [
    'Type,Name,Barcode,Location,Position,Volume (µl),Concentration,Concentration unit,Frozen on,Color,Notes',
  ];
  const rackName = (r: number) => `Rack ${String(r + 1).padStart(2, '0')}`;
  const boxBarcode = (b: number) => `BX-${String(b + 1).padStart(6, '0')}`;
  for (let r = 0; r < racks; r++) lines.push(`rack,${rackName(r)},,${FREEZER},,,,,,,`);
  const colors = ['blue', 'red', 'yellow', 'green', 'white'];
  for (let b = 0; b < boxes; b++) {
    const rack = rackName(Math.floor(b / BOXES_PER_RACK));
    const color = colors[b % colors.length] ?? '';
    lines.push(
      `box 10x10,Box ${rack.slice(5)}-${String((b % BOXES_PER_RACK) + 1).padStart(3, '0')},${boxBarcode(b)},${rack},,,,,,${color},`,
    );
  }
  // Tubes spread over the boxes as evenly as whole numbers allow (up to 100 a box), in slot order.
  for (let t = 0; t < tubes; t++) {
    const box = Math.floor((t * boxes) / tubes);
    const slot = SLOTS[t - Math.ceil((box * tubes) / boxes)] ?? 'A1';
    const what = WHAT[Math.floor(pick() * WHAT.length)] ?? 'DNA';
    const volume = 10 * (1 + Math.floor(pick() * 50));
    const concentration = (pick() * 500).toFixed(1);
    const unit = UNITS[Math.floor(pick() * UNITS.length)] ?? 'ng/ul';
    const day = 1 + Math.floor(pick() * 28);
    const month = 1 + Math.floor(pick() * 12);
    const frozen = `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const note = pick() < 0.1 ? (NOTES[Math.floor(pick() * NOTES.length)] ?? '') : '';
    lines.push(
      `tube,${what} S-${String(t + 1).padStart(6, '0')},FX${String(10_000_000 + t)},${boxBarcode(box)},${slot},${volume},${concentration},${unit},${frozen},,${note}`,
    );
  }
  return { text: `${lines.join('\n')}\n`, racks, boxes, tubes };
}

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  // Four rounds: the machine's speed drifts by up to half between measurements seconds apart (the same import
  // has taken 4.6 s and 6.9 s of CPU in consecutive rounds), so single-round ratios are loose.
  const rounds = envNumber('BENCH_ROUNDS', 4);
  const rows = envNumber('BENCH_IMPORT_ROWS', ROWS);
  const loadBefore = loadAverage();
  const modules = cairnModules(context.log);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-import-'));
  try {
    const csv = labCsv(rows);
    const csvFile = path.join(workDir, 'items.csv');
    fs.writeFileSync(csvFile, csv.text);
    context.log(
      `CSV: ${fmt(rows)} rows (${csv.racks} racks, ${fmt(csv.boxes)} boxes, ${fmt(csv.tubes)} tubes), ${fmt(csv.text.length / 1e6, 1)} MB`,
    );
    const template = path.join(workDir, 'template.db');
    const profileDir =
      process.env.BENCH_CPU_PROF === '1' ? path.join(REPO_ROOT, 'bench', 'results', 'profiles') : null;
    const child = <T>(input: ChildInput) =>
      runChild<T>(CHILD, input, {
        modules,
        log: context.log,
        nodeArgs:
          input.mode === 'cairn' && profileDir !== null ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
      });
    await child({ mode: 'template', file: template, importer: IMPORTER, room: ROOM, freezer: FREEZER });

    const cairnRuns: CairnResult[] = [];
    const bareRuns: BareResult[] = [];
    for (let round = 1; round <= rounds; round++) {
      const cairnFile = path.join(workDir, `cairn-${round}.db`);
      fs.copyFileSync(template, cairnFile);
      context.log(`round ${round}/${rounds}: Cairn (${modules.form})`);
      const cairn = await child<CairnResult>({ mode: 'cairn', file: cairnFile, csvFile, importer: IMPORTER });
      if (cairn.created !== rows) throw new Error(`Cairn created ${cairn.created} items, not ${rows}`);
      cairnRuns.push(cairn);
      context.log(
        `  ${fmt(cairn.seconds, 2)} s (CPU ${fmt(cairn.cpuSeconds, 2)} s): read ${fmt(cairn.phases.read, 2)} s, check ${fmt(cairn.phases.check, 2)} s, create ${fmt(cairn.phases.create, 2)} s`,
      );
      context.log(`round ${round}/${rounds}: bare better-sqlite3`);
      const bare = await child<BareResult>({
        mode: 'bare',
        template,
        source: cairnFile,
        minimalFile: path.join(workDir, `bare-minimal-${round}.db`),
        realFile: path.join(workDir, `bare-real-${round}.db`),
      });
      if (bare.rows !== rows) throw new Error(`the baseline read ${bare.rows} rows back, not ${rows}`);
      bareRuns.push(bare);
      context.log(
        `  minimal table ${fmt(bare.minimal.seconds, 2)} s, real items table ${fmt(bare.real.seconds, 2)} s, ` +
          `everything the import wrote ${fmt(bare.everything.seconds, 2)} s`,
      );
      for (const file of fs.readdirSync(workDir))
        if (/^(cairn|bare)-/.test(file)) fs.rmSync(path.join(workDir, file), { force: true });
    }

    const last = cairnRuns.at(-1) as CairnResult;
    const written = (bareRuns.at(-1) as BareResult).everything;
    const figure = mean(cairnRuns.map((r) => r.seconds));
    const cairnCpu = mean(cairnRuns.map((r) => r.cpuSeconds));
    const minimal = mean(bareRuns.map((r) => r.minimal.seconds));
    const real = mean(bareRuns.map((r) => r.real.seconds));
    const figureLabel = `Cairn CSV import, ${fmt(rows)} rows (in-process importItemsCsv, audit + index included)`;
    const comparisons: Comparison[] = [
      {
        metric: 'import time',
        unit: 's',
        figureLabel,
        figure,
        baselineLabel:
          "bare better-sqlite3, one prepared INSERT, one transaction, into Cairn's items table (its indexes and foreign keys)",
        baseline: real,
        better: 'lower',
        target: TARGET,
      },
      {
        metric: 'import vs minimal table',
        unit: 's',
        figureLabel,
        figure,
        baselineLabel:
          'bare better-sqlite3, one prepared INSERT, one transaction, a minimal table (no index but the key)',
        baseline: minimal,
        better: 'lower',
        target: null,
      },
      {
        metric: 'import vs bare equivalent',
        unit: 's',
        figureLabel,
        figure,
        baselineLabel:
          'bare better-sqlite3 inserting everything the import wrote (items, audit events) into the real tables',
        baseline: mean(bareRuns.map((r) => r.everything.seconds)),
        better: 'lower',
        target: null,
      },
      {
        metric: 'import CPU time',
        unit: 's',
        figureLabel,
        figure: cairnCpu,
        baselineLabel: "bare better-sqlite3, one prepared INSERT, one transaction, into Cairn's items table",
        baseline: mean(bareRuns.map((r) => r.real.cpuSeconds)),
        better: 'lower',
        target: null,
      },
    ];
    const perRound = cairnRuns.map((c, i) => {
      const b = bareRuns[i] as BareResult;
      return `${fmt(c.seconds, 2)}/${fmt(b.real.seconds, 2)} = ${fmt(c.seconds / b.real.seconds, 2)} (minimal table ${fmt(c.seconds / b.minimal.seconds, 2)})`;
    });
    const phases = (key: keyof CairnResult['phases']) => fmt(mean(cairnRuns.map((r) => r.phases[key])), 2);
    return {
      comparisons,
      notes: [
        `CSV (${fmt(last.fileBytes / 1e6, 1)} MB, in memory): ${csv.racks} racks for an existing -80 freezer, ${fmt(csv.boxes)} barcoded box 10x10 ` +
          `in the racks (by name), ${fmt(csv.tubes)} barcoded tubes in box slots (box by barcode) with volume, concentration, unit, ` +
          'frozen-on date and a note on 1 in 10; three waves',
        `Cairn ${modules.form === 'compiled' ? 'compiled (tsc)' : 'through tsx'}, in-process in a fresh child: readImportFile(text) + ` +
          'inTransaction(importItemsCsv) as the route runs them, on a copy of a freshly migrated SQLite file; clock from text to commit',
        `Cairn's phases (mean): read CSV ${phases('read')} s, check rows ${phases('check')} s, create ${phases('create')} s; besides ` +
          `the ${fmt(rows)} items (each with its materialized path) it wrote ${fmt(written.events)} audit events`,
        `baselines: the ${fmt(rows)} item rows Cairn wrote (and for the "equivalent" row also its audit events), ` +
          `read back first, inserted in a fresh process ` +
          "with one prepared INSERT per table in one transaction, on a connection opened by Cairn's openSqlite (its pragmas: WAL, synchronous NORMAL, foreign keys on, page cache)",
        `per round, Cairn/items table: ${perRound.join('; ')}`,
        `minor page faults inside the clock (mean; memory touched for the first time): Cairn ${fmt(mean(cairnRuns.map((r) => r.pageFaults)))}, ` +
          `bare into the items table ${fmt(mean(bareRuns.map((r) => r.real.pageFaults)))}`,
        `${rounds} round(s), Cairn then bare; figures are means over rounds`,
        loadNote(loadBefore),
        ...(rows === ROWS ? [] : [`NOT the standard size (${fmt(ROWS)} rows): compare with care`]),
        ...(profileDir === null
          ? []
          : [
              `CPU profiles of the Cairn imports in ${path.relative(REPO_ROOT, profileDir)}/ (the profiler slows them down: figures not comparable)`,
            ]),
        ...(modules.note === null
          ? []
          : [`the sources did not compile, so Cairn ran through tsx: ${modules.note.split('\n')[0]}`]),
      ],
      details: { rows, rounds, form: modules.form, cairn: cairnRuns, bare: bareRuns },
    };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

export const importItems: Benchmark = {
  name: 'import-items',
  description: 'CSV import of 100,000 items through Cairn vs bare better-sqlite3 inserts of the same rows',
  run,
};
