/**
 * project-read: `GET /api/projects/:id` with a bearer token on a real Cairn (SQLite, default log level,
 * compiled), against a bare Fastify route answering the same JSON body as a constant. Both servers run in
 * their own processes; autocannon loads them from a third, on 127.0.0.1, alternately (bare, Cairn, bare,
 * Cairn…) so that both see the same machine conditions. Target: Cairn reaches at least 40% of bare.
 *
 * Environment knobs (defaults are the benchmark's definition; anything else is flagged in the output):
 * BENCH_DURATION (s, 10), BENCH_CONNECTIONS (50), BENCH_WARMUP (s, 2), BENCH_ROUNDS (2),
 * BENCH_CAIRN_LOG_LEVEL (info, Cairn's default), BENCH_CPU_PROF=1 (writes a V8 CPU profile of the Cairn
 * server to bench/results/profiles/).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {
  BenchmarkFailure,
  type Benchmark,
  type BenchmarkContext,
  type BenchmarkOutcome,
} from './support/benchmark.js';
import { cairnCommand, createCairnInstance, serveCairn, type CairnInstance } from './support/cairn.js';
import { apiClient, mapConcurrently, type ApiClient } from './support/http.js';
import { runLoad, type LoadResult } from './support/load.js';
import {
  cpuSecondsOf,
  freePort,
  REPO_ROOT,
  startServer,
  TSX,
  type ServerProcess,
} from './support/servers.js';

const TARGET = 0.4;
const BACKGROUND_USERS = 50;
const BACKGROUND_PROJECTS = 1000;
const MEMBERS_PER_PROJECT = 2;
const ADMIN_PASSWORD = 'bench-admin-password';
const USER_PASSWORD = 'bench-user-password';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** A small deterministic generator, so every run seeds the same background. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'cryo-EM',
  'proteomics',
  'lipid',
  'membrane',
  'kinase',
  'yeast',
  'zebrafish',
  'soil',
  'biofilm',
  'crystal',
  'synchrotron',
  'NMR',
];
const STATUSES = ['planned', 'active', 'active', 'active', 'on_hold', 'completed', 'archived'] as const;

interface ProjectBody {
  id: string;
}

/** 50 users, 1,000 projects with managers and members (the bench user in some): a lookup in a lived-in table. */
async function seedBackground(
  admin: ApiClient,
  benchUsername: string,
): Promise<{ users: number; projects: number; memberships: number }> {
  const pick = random(42);
  const choose = <T>(items: readonly T[]): T => items[Math.floor(pick() * items.length)] as T;
  const usernames = Array.from(
    { length: BACKGROUND_USERS },
    (_, i) => `researcher${String(i + 1).padStart(2, '0')}`,
  );
  await mapConcurrently(usernames, 4, (username, i) =>
    admin.request('POST', '/api/users', {
      username,
      email: `${username}@lab.example`,
      password: USER_PASSWORD,
      role: i < 5 ? 'staff' : 'user',
      displayName: `Researcher ${i + 1}`,
    }),
  );
  const plans = Array.from({ length: BACKGROUND_PROJECTS }, (_, i) => {
    const manager = choose(usernames);
    const members = new Set<string>();
    while (members.size < MEMBERS_PER_PROJECT) {
      const candidate = choose(usernames);
      if (candidate !== manager) members.add(candidate);
    }
    if (i % 10 === 0) members.add(benchUsername);
    const year = 2020 + Math.floor(pick() * 6);
    return {
      body: {
        name: `${choose(WORDS)} study ${String(i + 1).padStart(4, '0')}`,
        description: `Background project ${i + 1}: ${choose(WORDS)} samples from ${choose(WORDS)} experiments, with routine imaging and analysis.`,
        startDate: `${year}-${String(1 + Math.floor(pick() * 12)).padStart(2, '0')}-01`,
        status: choose(STATUSES),
        managerUsername: manager,
      },
      members: [...members].map((username) => ({ username, role: pick() < 0.7 ? 'member' : 'viewer' })),
    };
  });
  let memberships = 0;
  await mapConcurrently(plans, 4, async (plan) => {
    const project = await admin.request<ProjectBody>('POST', '/api/projects', plan.body);
    for (const member of plan.members) {
      await admin.request('POST', `/api/projects/${project.id}/members`, member);
      memberships++;
    }
  });
  return { users: usernames.length, projects: plans.length, memberships: memberships + plans.length };
}

/** How many request log lines the server wrote (checks that the log level really logged every request). */
async function countRequestLogLines(file: string): Promise<{ lines: number; bytes: number }> {
  let lines = 0;
  const reader = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of reader) if (line.includes('"msg":"request"')) lines++;
  return { lines, bytes: fs.statSync(file).size };
}

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function checkClean(label: string, result: LoadResult): void {
  if (result.non2xx > 0 || result.errors > 0 || result.status2xx === 0) {
    throw new BenchmarkFailure(
      `${label} answered ${result.non2xx} non-2xx responses and ${result.errors} connection errors ` +
        `(${result.status2xx} 2xx) — the figure would not be a measurement of successful reads`,
    );
  }
}

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const durationSeconds = envNumber('BENCH_DURATION', 10);
  const connections = envNumber('BENCH_CONNECTIONS', 50);
  const warmupSeconds = envNumber('BENCH_WARMUP', 2);
  const rounds = envNumber('BENCH_ROUNDS', 2);
  const logLevel = process.env.BENCH_CAIRN_LOG_LEVEL || 'info';
  const profile = process.env.BENCH_CPU_PROF === '1';
  const resultsDir = path.join(REPO_ROOT, 'bench', 'results');
  const profileDir = profile ? path.join(resultsDir, 'profiles') : undefined;

  const loadBefore = os.loadavg()[0] ?? 0;
  const command = cairnCommand(context.log);
  const instance: CairnInstance = createCairnInstance(command, { logLevel, adminPassword: ADMIN_PASSWORD });
  const servers: ServerProcess[] = [];
  try {
    context.log(`preparing users and tokens with the CLI in ${instance.dataDir}`);
    await instance.cli([
      'user',
      'create',
      '--username',
      'bench',
      '--email',
      'bench@lab.example',
      '--password',
      USER_PASSWORD,
      '--display-name',
      'Bench User',
    ]);
    await instance.cli([
      'user',
      'create',
      '--username',
      'seeder',
      '--email',
      'seeder@lab.example',
      '--password',
      USER_PASSWORD,
      '--role',
      'admin',
    ]);
    const benchToken = (
      await instance.cli(['token', 'create', '--username', 'bench', '--name', 'bench'])
    ).trim();
    const seederToken = (
      await instance.cli(['token', 'create', '--username', 'seeder', '--name', 'bench seeding'])
    ).trim();

    // Seeding runs on a server of its own, stopped before the measured one starts: the measured process
    // (and its CPU profile and log) then holds the load alone.
    const seeding = await serveCairn(command, instance, {
      port: await freePort(),
      logFile: path.join(instance.dataDir, 'seeding.log'),
    });
    servers.push(seeding);
    const seedStart = performance.now();
    const seeded = await seedBackground(apiClient(seeding.origin, seederToken), 'bench');
    const bench = apiClient(seeding.origin, benchToken);
    const project = await bench.request<ProjectBody>('POST', '/api/projects', {
      name: 'Cryo-EM of membrane transporters',
      description:
        'Structures of ABC transporters in lipid nanodiscs; grids prepared weekly, screened on the Glacios, collected on the Krios.',
      startDate: '2026-03-01',
      endDate: '2027-02-28',
      status: 'active',
    });
    for (const username of ['researcher03', 'researcher17', 'researcher29']) {
      await bench.request('POST', `/api/projects/${project.id}/members`, { username, role: 'member' });
    }
    context.log(
      `seeded ${seeded.users} users, ${seeded.projects} projects, ${seeded.memberships} memberships in ${fmt((performance.now() - seedStart) / 1000, 1)} s`,
    );
    await seeding.stop();
    servers.splice(servers.indexOf(seeding), 1);

    const cairnLog = path.join(instance.dataDir, 'server.log');
    const cairn = await serveCairn(command, instance, {
      port: await freePort(),
      logFile: cairnLog,
      cpuProfileDir: profileDir,
    });
    servers.push(cairn);
    context.log(
      `cairn serving at ${cairn.origin} (pid ${cairn.pid}, ${command.form}, log level ${logLevel})`,
    );

    const cairnPath = `/api/projects/${project.id}`;
    const probe = await fetch(`${cairn.origin}${cairnPath}`, {
      headers: { authorization: `Bearer ${benchToken}` },
    });
    const responseBody = await probe.text();
    if (probe.status !== 200)
      throw new BenchmarkFailure(`GET ${cairnPath} answered ${probe.status}: ${responseBody.slice(0, 300)}`);

    const barePort = await freePort();
    const bare = await startServer({
      name: 'bare fastify',
      nodeArgs: [...TSX, path.join(REPO_ROOT, 'bench', 'support', 'bare-server.ts')],
      env: { ...process.env, BENCH_PORT: String(barePort), BENCH_PATH: '/bare', BENCH_BODY: responseBody },
      port: barePort,
      readyPath: '/bare',
      logFile: path.join(instance.dataDir, 'bare.log'),
    });
    servers.push(bare);

    const targets = {
      bare: { url: `${bare.origin}/bare`, headers: {} },
      cairn: { url: `${cairn.origin}${cairnPath}`, headers: { authorization: `Bearer ${benchToken}` } },
    } as const;

    context.log(`warm-up: ${warmupSeconds} s each`);
    let cairnRequests = 0;
    for (const name of ['bare', 'cairn'] as const) {
      const warmup = await runLoad({ ...targets[name], connections, durationSeconds: warmupSeconds });
      checkClean(`${name} (warm-up)`, warmup);
      if (name === 'cairn') cairnRequests += warmup.requests;
    }
    const results: Record<'bare' | 'cairn', LoadResult[]> = { bare: [], cairn: [] };
    const cpuMicros: Record<'bare' | 'cairn', number[]> = { bare: [], cairn: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const name of ['bare', 'cairn'] as const) {
        context.log(`round ${round}/${rounds}: ${name}, ${durationSeconds} s, ${connections} connections`);
        const pid = name === 'cairn' ? cairn.pid : bare.pid;
        const cpuBefore = cpuSecondsOf(pid);
        const result = await runLoad({ ...targets[name], connections, durationSeconds });
        const cpuAfter = cpuSecondsOf(pid);
        checkClean(name, result);
        results[name].push(result);
        if (cpuBefore !== null && cpuAfter !== null)
          cpuMicros[name].push(((cpuAfter - cpuBefore) * 1e6) / result.requests);
        if (name === 'cairn') cairnRequests += result.requests;
        context.log(
          `  ${fmt(result.requestsPerSecond)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms` +
            (cpuMicros[name].length === round
              ? `, server CPU ${fmt(cpuMicros[name].at(-1) ?? 0)} µs/request`
              : ''),
        );
      }
    }

    for (const server of servers.splice(0)) await server.stop();
    const logged = await countRequestLogLines(cairnLog);

    const summary = (name: 'bare' | 'cairn') => ({
      requestsPerSecond: mean(results[name].map((r) => r.requestsPerSecond)),
      p50: mean(results[name].map((r) => r.latencyMs.p50)),
      p99: mean(results[name].map((r) => r.latencyMs.p99)),
    });
    const c = summary('cairn');
    const b = summary('bare');
    const standard = durationSeconds === 10 && connections === 50 && logLevel === 'info';
    const perRound = results.cairn.map((r, i) => {
      const bareRound = results.bare[i] as LoadResult;
      return `${fmt(r.requestsPerSecond)}/${fmt(bareRound.requestsPerSecond)} = ${fmt(r.requestsPerSecond / bareRound.requestsPerSecond, 2)}`;
    });
    const notes = [
      `Cairn ${command.form === 'compiled' ? 'compiled (tsc)' : 'through tsx'}, SQLite, serve --no-worker, CAIRN_LOG_LEVEL=${logLevel}` +
        ` (${fmt(logged.lines)} request log lines written to a file for ${fmt(cairnRequests)} loaded requests)`,
      `load: autocannon in its own process, ${connections} connections, ${durationSeconds} s per run after a ${warmupSeconds} s warm-up,` +
        ` ${rounds} alternating round(s) bare→Cairn; figures are means over rounds`,
      `per round, Cairn/bare req/s: ${perRound.join('; ')}`,
      'server CPU/request: CPU time (user + system, /proc) each server used during its runs, divided by the requests' +
        ' answered; it varies less than req/s when other processes compete for the cores',
      `load average (1 min) ${fmt(loadBefore, 1)} before the benchmark, ${fmt(os.loadavg()[0] ?? 0, 1)} after, on ${os.cpus().length} cores` +
        (loadBefore >= 1
          ? ' — other processes were busy: they take cores from the server and the load generator, so read with care'
          : ''),
      `body ${Buffer.byteLength(responseBody)} bytes (the bare route answers the same JSON); background: ${seeded.users} users, ` +
        `${seeded.projects} projects, ${seeded.memberships} memberships`,
      ...(standard
        ? []
        : ['NOT the standard settings (10 s, 50 connections, log level info): compare with care']),
      ...(command.note === null
        ? []
        : [`the server did not compile, so it ran through tsx: ${command.note.split('\n')[0]}`]),
      ...(profileDir === undefined
        ? []
        : [`CPU profile of the Cairn server in ${path.relative(REPO_ROOT, profileDir)}/`]),
    ];
    return {
      comparisons: [
        {
          metric: 'throughput',
          unit: 'req/s',
          figureLabel: 'Cairn GET /api/projects/:id',
          figure: c.requestsPerSecond,
          baselineLabel: 'bare Fastify, constant JSON',
          baseline: b.requestsPerSecond,
          better: 'higher',
          target: TARGET,
        },
        {
          metric: 'latency p50',
          unit: 'ms',
          figureLabel: 'Cairn GET /api/projects/:id',
          figure: c.p50,
          baselineLabel: 'bare Fastify, constant JSON',
          baseline: b.p50,
          better: 'lower',
          target: null,
        },
        {
          metric: 'latency p99',
          unit: 'ms',
          figureLabel: 'Cairn GET /api/projects/:id',
          figure: c.p99,
          baselineLabel: 'bare Fastify, constant JSON',
          baseline: b.p99,
          better: 'lower',
          target: null,
        },
        ...(cpuMicros.cairn.length === rounds && cpuMicros.bare.length === rounds
          ? [
              {
                metric: 'server CPU/request',
                unit: 'µs',
                figureLabel: 'Cairn GET /api/projects/:id',
                figure: mean(cpuMicros.cairn),
                baselineLabel: 'bare Fastify, constant JSON',
                baseline: mean(cpuMicros.bare),
                better: 'lower' as const,
                target: null,
              },
            ]
          : []),
      ],
      notes,
      details: {
        settings: { durationSeconds, connections, warmupSeconds, rounds, logLevel, serverForm: command.form },
        responseBytes: Buffer.byteLength(responseBody),
        background: seeded,
        requestLogLines: logged.lines,
        runs: results,
        serverCpuMicrosPerRequest: cpuMicros,
      },
    };
  } finally {
    for (const server of servers) await server.stop();
    instance.remove();
  }
}

export const projectRead: Benchmark = {
  name: 'project-read',
  description:
    'GET /api/projects/:id with a bearer token vs a bare Fastify route (SQLite, 50 connections, 10 s)',
  run,
};
