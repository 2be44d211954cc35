/**
 * nemo-harvest: Cairn's NEMO harvester (harvestNemo, compiled, in a fresh child) over a NEMO-compatible test
 * server (test/support/nemo-server.ts, in this process) holding 10,000 ended usage events on 10 tools: sessions
 * written per second. Baseline, in the same child and run: the same 10,000 events only listed from the server
 * by Cairn's NemoClient, no writes (before and after the harvest). No target: the issue asks for the figure.
 *
 * The harvest asks the server for each event's reservations (one request per event, as NexusLIMS does), and
 * writes each session (START, END, its reservation's details) in its own transaction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNemoServer, type FakeReservation, type FakeUsageEvent } from '../test/support/nemo-server.js';
import type { NemoHarvestInput, NemoHarvestResult } from './nemo-harvest.child.js';
import type { Benchmark, BenchmarkContext, BenchmarkOutcome } from './support/benchmark.js';
import { cairnModules } from './support/cairn.js';
import { runChild } from './support/child.js';
import { fmt, loadAverage, loadNote, mean } from './support/common.js';
import { REPO_ROOT } from './support/servers.js';

const CHILD = path.join(REPO_ROOT, 'bench', 'nemo-harvest.child.ts');
const EVENTS = 10_000;
const TOOLS = 10;
const USERS = 50;
const PROJECTS = 20;
/** One event in this many has a reservation (with the data-consent answer "Agree"). */
const RESERVED_EVERY = 10;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The server's data: each tool's events one after another (an hour's use every 5 hours) until yesterday. */
function serverData() {
  const perTool = EVENTS / TOOLS;
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
  const first = end - perTool * 5 * HOUR_MS;
  const usageEvents: FakeUsageEvent[] = [];
  const reservations: FakeReservation[] = [];
  for (let k = 0; k < EVENTS; k++) {
    const tool = (k % TOOLS) + 1;
    const start = first + Math.floor(k / TOOLS) * 5 * HOUR_MS + tool * 60_000;
    const user = (k % USERS) + 1;
    const project = (k % PROJECTS) + 1;
    usageEvents.push({
      id: k + 1,
      start: new Date(start).toISOString(),
      end: new Date(start + HOUR_MS).toISOString(),
      user,
      tool,
      project,
    });
    if (k % RESERVED_EVERY === 0)
      reservations.push({
        id: k + 1,
        start: new Date(start - 10 * 60_000).toISOString(),
        end: new Date(start + HOUR_MS + 10 * 60_000).toISOString(),
        user,
        tool,
        project,
        question_data: {
          data_consent: {
            type: 'radio',
            name: 'data_consent',
            title: 'Agree to have your data harvested?',
            choices: ['Agree', 'Disagree'],
            user_input: 'Agree',
          },
        },
      });
  }
  return {
    tools: Array.from({ length: TOOLS }, (_, i) => ({ id: i + 1, name: `Tool ${i + 1}` })),
    users: Array.from({ length: USERS }, (_, i) => ({
      id: i + 1,
      username: `user${i + 1}`,
      first_name: 'User',
      last_name: String(i + 1),
    })),
    projects: Array.from({ length: PROJECTS }, (_, i) => ({ id: i + 1, name: `Project ${i + 1}` })),
    usageEvents,
    reservations,
    firstHarvestMs: Date.now() - first + 30 * DAY_MS,
  };
}

async function run(context: BenchmarkContext): Promise<BenchmarkOutcome> {
  const loadBefore = loadAverage();
  const modules = cairnModules(context.log);
  const { firstHarvestMs, ...data } = serverData();
  const nemo = await startNemoServer({ timeZone: 'UTC', data });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-nemo-harvest-'));
  let result: NemoHarvestResult;
  try {
    const input: NemoHarvestInput = {
      address: nemo.address,
      token: nemo.token,
      timezone: 'UTC',
      toolIds: data.tools.map((tool) => tool.id),
      sqliteFile: path.join(scratch, 'cairn.sqlite'),
      firstHarvestMs,
    };
    context.log(`harvesting ${fmt(EVENTS)} usage events from the test server at ${nemo.address}`);
    result = await runChild<NemoHarvestResult>(CHILD, input, { modules, log: context.log });
  } finally {
    await nemo.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (result.listed !== EVENTS || result.written !== EVENTS)
    throw new Error(`listed ${result.listed} and wrote ${result.written} sessions, not ${EVENTS}`);
  const listSeconds = mean(result.listMs) / 1000;
  return {
    comparisons: [
      {
        metric: 'sessions per second',
        unit: 'sessions/s',
        figureLabel: `Cairn harvestNemo: ${fmt(EVENTS)} ended usage events written as sessions (SQLite)`,
        figure: result.written / (result.harvestMs / 1000),
        baselineLabel: 'the same events only listed by NemoClient.listEndedUsageEvents (no writes)',
        baseline: result.listed / listSeconds,
        better: 'higher',
        target: null,
      },
    ],
    notes: [
      `server: ${TOOLS} tools, ${USERS} users, ${PROJECTS} projects, ${fmt(EVENTS)} ended usage events, ` +
        `${fmt(data.reservations.length)} reservations (one event in ${RESERVED_EVERY}); NEMO's page size 1,000`,
      `harvest ${fmt(result.harvestMs / 1000, 1)} s (${fmt(result.sessionRows)} session_log rows); listing only ` +
        `${result.listMs.map((ms) => `${fmt(ms)} ms`).join(' before, ')} after`,
      'the test server runs in the runner process, the harvester in a fresh child: both on 127.0.0.1',
      loadNote(loadBefore),
      ...(modules.note === null
        ? []
        : [`the sources did not compile, so Cairn ran through tsx: ${modules.note.split('\n')[0]}`]),
    ],
    details: { events: EVENTS, tools: TOOLS, result },
  };
}

export const nemoHarvest: Benchmark = {
  name: 'nemo-harvest',
  description: 'the NEMO harvester over a test server with 10,000 usage events: sessions per second',
  run,
};
