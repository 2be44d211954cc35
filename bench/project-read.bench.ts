/**
 * project-read: `GET /api/projects/:id` with a bearer token on a real Cairn (SQLite, default log level,
 * compiled), against a bare Fastify route answering the same JSON body as a constant. Both servers run in
 * their own processes; autocannon loads them from a third, on 127.0.0.1, alternately (bare, Cairn, bare,
 * Cairn…) so that both see the same machine conditions. Target: Cairn reaches at least 40% of bare.
 *
 * Environment knobs (defaults are the benchmark's definition; anything else is flagged in the output):
 * BENCH_DURATION (s, 10), BENCH_CONNECTIONS (50), BENCH_WARMUP (s, 2), BENCH_ROUNDS (6),
 * BENCH_CAIRN_LOG_LEVEL (info, Cairn's default), BENCH_CPU_PROF=1 (writes a V8 CPU profile of the Cairn
 * server to bench/results/profiles/).
 */
import fs from 'node:fs';
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
import { envNumber, fmt, loadAverage, loadNote, random } from './support/common.js';
import { loadRouteAgainstBare } from './support/route-vs-bare.js';
import { freePort, REPO_ROOT, type ServerProcess } from './support/servers.js';

const TARGET = 0.4;
const BACKGROUND_USERS = 50;
const BACKGROUND_PROJECTS = 1000;
const MEMBERS_PER_PROJECT = 2;
const ADMIN_PASSWORD = 'bench-admin-password';
const USER_PASSWORD = 'bench-user-password';

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

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const durationSeconds = envNumber('BENCH_DURATION', 10);
  const connections = envNumber('BENCH_CONNECTIONS', 50);
  const warmupSeconds = envNumber('BENCH_WARMUP', 2);
  // Six rounds: on this kind of machine either server's speed drifts by ±25% over tens of seconds (the bare
  // route alone has measured 12,000–26,000 req/s in one run), and single-round ratios spread over 0.34–0.68.
  const rounds = envNumber('BENCH_ROUNDS', 6);
  const logLevel = process.env.BENCH_CAIRN_LOG_LEVEL || 'info';
  const profile = process.env.BENCH_CPU_PROF === '1';
  const resultsDir = path.join(REPO_ROOT, 'bench', 'results');
  const profileDir = profile ? path.join(resultsDir, 'profiles') : undefined;

  const loadBefore = loadAverage();
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

    const figureLabel = 'Cairn GET /api/projects/:id';
    const load = await loadRouteAgainstBare(
      {
        cairn,
        path: cairnPath,
        headers: { authorization: `Bearer ${benchToken}` },
        body: responseBody,
        durationSeconds,
        connections,
        warmupSeconds,
        rounds,
        logDir: instance.dataDir,
        log: context.log,
      },
      { figure: figureLabel, target: TARGET },
    );

    // Stopped before counting: the server's last buffered log lines are written when it exits.
    for (const server of servers.splice(0)) await server.stop();
    const logged = await countRequestLogLines(cairnLog);

    const standard = durationSeconds === 10 && connections === 50 && logLevel === 'info';
    const notes = [
      `Cairn ${command.form === 'compiled' ? 'compiled (tsc)' : 'through tsx'}, SQLite, serve --no-worker, CAIRN_LOG_LEVEL=${logLevel}` +
        ` (${fmt(logged.lines)} request log lines written to a file for ${fmt(load.cairnRequests)} loaded requests)`,
      `load: autocannon in its own process, ${connections} connections, ${durationSeconds} s per run after a ${warmupSeconds} s warm-up,` +
        ` ${rounds} alternating round(s) bare→Cairn; figures are means over rounds`,
      `per round, Cairn/bare req/s: ${load.perRound}`,
      'server CPU/request: CPU time (user + system, /proc) each server used during its runs, divided by the requests' +
        ' answered; it varies less than req/s when other processes compete for the cores',
      loadNote(loadBefore),
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
      comparisons: load.comparisons,
      notes,
      details: {
        settings: { durationSeconds, connections, warmupSeconds, rounds, logLevel, serverForm: command.form },
        responseBytes: Buffer.byteLength(responseBody),
        background: seeded,
        requestLogLines: logged.lines,
        runs: load.results,
        serverCpuMicrosPerRequest: load.cpuMicros,
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
