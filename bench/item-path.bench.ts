/**
 * item-path: `GET /api/items/:id/path` for a tube 8 levels deep (campus → building → floor → room → freezer →
 * shelf → rack → box → tube) in a database of 1,000,000 items (support/inventory-db.ts: built once through
 * createItemsInBulk, then cached).
 *
 * (a) HTTP: requests/s of the route with a bearer token on a real Cairn (compiled, `serve --no-worker`, log
 * level info) against the bare Fastify route answering the same JSON, loaded alternately from a separate
 * process as project-read does (10 s, 50 connections, 2 rounds) — for information: the issue sets no target.
 * (b) In-process: the latency of getPath, the service function the route calls (the bench user's actor, no
 * HTTP), over 20,000 calls on random tubes, in a fresh child process. Target: p50 under 1 ms — an absolute
 * budget, shown as the baseline "fixed budget" so that ratio ≤ 1 means p50 ≤ 1 ms. For scale, the same SQL
 * statement run with bare better-sqlite3 on the same connection, interleaved in blocks of 1,000 calls.
 *
 * Knobs (investigation only): BENCH_DURATION, BENCH_CONNECTIONS, BENCH_WARMUP, BENCH_ROUNDS,
 * BENCH_CAIRN_LOG_LEVEL, BENCH_PATH_CALLS (20000).
 */
import path from 'node:path';
import type { HierarchyInput, PathResult } from './hierarchy.child.js';
import {
  BenchmarkFailure,
  type Benchmark,
  type BenchmarkContext,
  type BenchmarkOutcome,
  type Comparison,
} from './support/benchmark.js';
import { cairnCommand, cairnModules, createCairnInstance, serveCairn } from './support/cairn.js';
import { runChild } from './support/child.js';
import { envNumber, fmt, loadAverage, loadNote } from './support/common.js';
import {
  copyInventory,
  INVENTORY_ADMIN_PASSWORD,
  INVENTORY_USER,
  inventoryDatabase,
} from './support/inventory-db.js';
import { loadRouteAgainstBare } from './support/route-vs-bare.js';
import { freePort, REPO_ROOT, type ServerProcess } from './support/servers.js';

const BUDGET_P50_MS = 1;
const CALLS = 20_000;
const CHILD = path.join(REPO_ROOT, 'bench', 'hierarchy.child.ts');

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const durationSeconds = envNumber('BENCH_DURATION', 10);
  const connections = envNumber('BENCH_CONNECTIONS', 50);
  const warmupSeconds = envNumber('BENCH_WARMUP', 2);
  const rounds = envNumber('BENCH_ROUNDS', 2);
  const calls = envNumber('BENCH_PATH_CALLS', CALLS);
  const logLevel = process.env.BENCH_CAIRN_LOG_LEVEL || 'info';
  const loadBefore = loadAverage();

  const command = cairnCommand(context.log);
  const modules = cairnModules(context.log);
  const inventory = await inventoryDatabase(modules, context.log);
  const { facts } = inventory;
  const instance = createCairnInstance(command, { logLevel, adminPassword: INVENTORY_ADMIN_PASSWORD });
  let cairn: ServerProcess | null = null;
  try {
    const dbFile = path.join(instance.dataDir, 'cairn.db');
    const copySeconds = copyInventory(inventory, dbFile);
    context.log(`copied the database to ${instance.dataDir} in ${fmt(copySeconds, 1)} s`);

    // (b) in-process, before any server has the file open.
    context.log(`in-process: getPath on ${fmt(calls)} random tubes (${modules.form})`);
    const input: HierarchyInput = {
      mode: 'path',
      file: dbFile,
      username: INVENTORY_USER,
      rowids: facts.tubeRowids,
      calls,
      warmup: 2000,
      block: 1000,
      seed: 42,
    };
    const inProcess = await runChild<PathResult>(CHILD, input, { modules, log: context.log });
    context.log(
      `  getPath p50 ${fmt(inProcess.cairn.p50, 3)} ms, p99 ${fmt(inProcess.cairn.p99, 3)} ms; bare SQL p50 ${fmt(inProcess.bare.p50, 3)} ms`,
    );

    // (a) HTTP.
    const token = (
      await instance.cli(['token', 'create', '--username', INVENTORY_USER, '--name', 'bench'])
    ).trim();
    cairn = await serveCairn(command, instance, {
      port: await freePort(),
      logFile: path.join(instance.dataDir, 'server.log'),
    });
    context.log(
      `cairn serving at ${cairn.origin} (pid ${cairn.pid}, ${command.form}, log level ${logLevel})`,
    );
    const routePath = `/api/items/${facts.sampleTubeId}/path`;
    const headers = { authorization: `Bearer ${token}` };
    const probe = await fetch(`${cairn.origin}${routePath}`, { headers });
    const body = await probe.text();
    if (probe.status !== 200)
      throw new BenchmarkFailure(`GET ${routePath} answered ${probe.status}: ${body.slice(0, 300)}`);
    const entries = (JSON.parse(body) as unknown[]).length;
    if (entries !== 9) throw new BenchmarkFailure(`the path has ${entries} entries, not 9`);

    const load = await loadRouteAgainstBare(
      {
        cairn,
        path: routePath,
        headers,
        body,
        durationSeconds,
        connections,
        warmupSeconds,
        rounds,
        logDir: instance.dataDir,
        log: context.log,
      },
      { figure: 'Cairn GET /api/items/:id/path (depth 8, 1M items)', target: null },
    );
    await cairn.stop();
    cairn = null;

    const lookupLabel = `getPath in-process, random tubes at depth 8 of 1M items (${fmt(inProcess.cairn.count)} calls)`;
    const bareLabel = 'the same SQL statement, bare better-sqlite3 on the same connection';
    const comparisons: Comparison[] = [
      ...load.comparisons,
      {
        metric: 'lookup p50',
        unit: 'ms',
        figureLabel: lookupLabel,
        figure: inProcess.cairn.p50,
        baselineLabel: `fixed budget of ${BUDGET_P50_MS} ms (the issue's absolute target, not a measurement)`,
        baseline: BUDGET_P50_MS,
        better: 'lower',
        target: 1,
      },
      {
        metric: 'lookup p50 vs SQL',
        unit: 'ms',
        figureLabel: lookupLabel,
        figure: inProcess.cairn.p50,
        baselineLabel: bareLabel,
        baseline: inProcess.bare.p50,
        better: 'lower',
        target: null,
      },
      {
        metric: 'lookup p99 vs SQL',
        unit: 'ms',
        figureLabel: lookupLabel,
        figure: inProcess.cairn.p99,
        baselineLabel: bareLabel,
        baseline: inProcess.bare.p99,
        better: 'lower',
        target: null,
      },
    ];
    const standard = durationSeconds === 10 && connections === 50 && logLevel === 'info' && calls === CALLS;
    return {
      comparisons,
      notes: [
        `database: ${fmt(facts.items)} items (${facts.levels.map((l) => `${fmt(l.count)} ${l.type}`).join(' → ')}), ` +
          `${fmt(facts.auditEvents)} audit events; built through createItemsInBulk ` +
          `in ${fmt(inventory.buildSeconds)} s ${inventory.built ? 'in this run' : 'earlier'} and cached ` +
          `(node_modules/.cache/cairn-bench/inventory-${inventory.key}/, keyed by the migrations and the builder); ` +
          `a working copy made in ${fmt(copySeconds, 1)} s`,
        `HTTP: Cairn ${command.form === 'compiled' ? 'compiled (tsc)' : 'through tsx'}, serve --no-worker, CAIRN_LOG_LEVEL=${logLevel}, ` +
          `bearer token of a plain user; one tube (${facts.sampleTubeId}), ${Buffer.byteLength(body)}-byte body of 9 entries; ` +
          `autocannon in its own process, ${connections} connections, ${durationSeconds} s per run after a ${warmupSeconds} s warm-up, ` +
          `${rounds} alternating round(s) bare→Cairn; means over rounds; no target (for information)`,
        `per round, Cairn/bare req/s: ${load.perRound}`,
        `in-process: getPath(db, actor, id) of the compiled service in a fresh child, ${fmt(inProcess.distinctItems)} distinct random tubes, ` +
          `after 2,000 warm-up calls, alternating with the bare statement in blocks of 1,000; getPath p99 ${fmt(inProcess.cairn.p99, 3)} ms, ` +
          `mean ${fmt(inProcess.cairn.mean, 3)} ms, max ${fmt(inProcess.cairn.max, 1)} ms; bare p50 ${fmt(inProcess.bare.p50, 3)} ms`,
        `statements getPath prepared: ${inProcess.statements.length} (the baseline runs the recursive path query)`,
        loadNote(loadBefore),
        ...(standard
          ? []
          : ['NOT the standard settings (10 s, 50 connections, log level info, 20,000 calls)']),
        ...(command.note === null
          ? []
          : [`the server did not compile, so it ran through tsx: ${command.note.split('\n')[0]}`]),
      ],
      details: {
        settings: {
          durationSeconds,
          connections,
          warmupSeconds,
          rounds,
          logLevel,
          calls,
          form: command.form,
        },
        database: { key: inventory.key, built: inventory.built, facts, copySeconds },
        http: {
          runs: load.results,
          serverCpuMicrosPerRequest: load.cpuMicros,
          body: Buffer.byteLength(body),
        },
        inProcess,
      },
    };
  } finally {
    if (cairn !== null) await cairn.stop();
    instance.remove();
  }
}

export const itemPath: Benchmark = {
  name: 'item-path',
  description:
    'GET /api/items/:id/path 8 levels deep in 1M items: HTTP vs bare Fastify, and in-process getPath p50 (target < 1 ms)',
  run,
};
