/**
 * The demo's instruments and records: two electron microscopes registered by staff, each with a small tree of
 * real image files under CAIRN_INSTRUMENT_DATA_DIR (FEI-style SEM TIFFs and PNG overviews, their modification
 * times set inside a past session), a session on each logged in the past, the first built into a record by the
 * record builder — linked through its reservation to the soil survey project and one of its cores, when the
 * demo lab has them — and the second left TO_BE_BUILT for `cairn serve`'s builder (or `cairn records build`).
 * Everything goes through the instruments and records services. Idempotent: an instrument already registered
 * is left as it is, with its files and sessions.
 */
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { Actor } from '../modules/accounts/actor.js';
import type { CreateInstrument } from '../modules/instruments/instruments.schema.js';
import { createInstrument, listInstruments } from '../modules/instruments/instruments.service.js';
import { logPastSession, type PastSession } from '../modules/instruments/sessions.service.js';
import { buildNextSession } from '../modules/records/record-builder.service.js';
import { buildSettingsFrom } from '../modules/records/records.tasks.js';
import { feiBlock, feiTiffBytes } from './fei-tiff-writer.js';

/** One file the instrument wrote: its path in the instrument's folder, minutes after the session's start. */
interface DemoFile {
  name: string;
  atMinute: number;
  content: () => Promise<Buffer>;
}

interface DemoInstrument {
  instrument: CreateInstrument;
  /** The session: who used the instrument, how many days ago, from which UTC hour, for how long. */
  session: { user: string; daysAgo: number; startHour: number; minutes: number };
  /** What the session's reservation said: the demo record is linked to the project and sample it names. */
  reservation?: PastSession['reservation'];
  /** Whether the demo builds its record now (else it is left TO_BE_BUILT). */
  build: boolean;
  files: DemoFile[];
}

export interface DemoInstrumentsSummary {
  instrumentsCreated: number;
  sessionsLogged: number;
  /** Records the demo built now (not those left to the builder). */
  recordsBuilt: number;
  /** Why the record of a demo session could not be built, when it could not; else null. */
  buildProblem: string | null;
}

/** Deterministic pseudo-random numbers in [0, 1) (a linear congruential generator), for the images' noise. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A grey SEM-like micrograph of round grains: each pixel is bright near a grain's edge and darker inside, with
 * noise, so that previews look like what a microscope shows. `scale` zooms the same grains in.
 */
function grainPixels(width: number, height: number, seed: number, scale: number): Buffer {
  const next = random(seed);
  const grains = Array.from({ length: 40 }, () => ({
    x: next() * 512,
    y: next() * 384,
    r: 12 + next() * 30,
  }));
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x / scale;
      const py = y / scale;
      let value = 55;
      for (const grain of grains) {
        const d = Math.hypot(px - grain.x, py - grain.y) / grain.r;
        if (d < 1) value = Math.max(value, 90 + 120 * d ** 4);
      }
      pixels[y * width + x] = Math.min(255, Math.round(value + (next() - 0.5) * 40));
    }
  }
  return pixels;
}

/** An FEI-style TIFF of grains, with the block a Quanta or Helios writes (user, beam, scan, stage). */
function semTiff(options: {
  system: string;
  user: string;
  seed: number;
  scale: number;
  hv: number;
  spot: number;
  detector: string;
}): () => Promise<Buffer> {
  const width = 320;
  const height = 240;
  const fieldWidth = 600e-6 / options.scale;
  return () =>
    Promise.resolve(
      feiTiffBytes({
        width,
        height,
        pixels: grainPixels(width, height, options.seed, options.scale),
        software: `${options.system} xT`,
        feiText: feiBlock({
          User: { User: options.user, UserText: '' },
          System: { SystemType: options.system, Source: 'FEG' },
          Beam: { HV: options.hv, Spot: options.spot, Beam: 'EBeam' },
          EBeam: { HV: options.hv, WD: 0.0101, BeamCurrent: 1.6e-10 },
          Scan: {
            Dwelltime: 3e-6,
            PixelWidth: fieldWidth / width,
            PixelHeight: fieldWidth / width,
            HorizontalFieldsize: fieldWidth,
          },
          Stage: { StageX: 0.0012, StageY: -0.0034, StageZ: 0.0101, StageR: 0, StageT: 0 },
          Detectors: { Number: 1, Name: options.detector, Mode: 'SE' },
        }),
      }),
    );
}

/** A colour overview image (the navigation camera's), as a PNG made with sharp. */
function overviewPng(seed: number): () => Promise<Buffer> {
  return async () => {
    const width = 240;
    const height = 180;
    const next = random(seed);
    const pixels = Buffer.alloc(width * height * 3);
    const cx = width / 2;
    const cy = height / 2;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // the sample stub: a grey disc on the dark chamber, its mounted specimen a warmer patch
        const d = Math.hypot(x - cx, y - cy);
        const onStub = d < 80;
        const onSpecimen = Math.hypot(x - cx - 15, y - cy + 10) < 35;
        const base = onSpecimen ? [170, 140, 100] : onStub ? [150, 150, 155] : [25, 28, 32];
        const noise = (next() - 0.5) * 20;
        base.forEach((channel, index) => {
          pixels[(y * width + x) * 3 + index] = Math.max(0, Math.min(255, Math.round(channel + noise)));
        });
      }
    }
    return sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
  };
}

const DEMO_INSTRUMENTS: DemoInstrument[] = [
  {
    instrument: {
      pid: 'Demo-Quanta-650',
      apiUrl: 'https://demo.cairn.local/instruments/quanta-650',
      calendarName: 'Quanta 650 FEG',
      calendarUrl: 'https://demo.cairn.local/calendar/quanta-650',
      location: 'Building 2, room 104',
      schemaName: 'FEI Quanta 650 FEG ESEM',
      propertyTag: 'D650',
      filestorePath: 'demo/Quanta-650',
      harvester: 'api',
      timezone: 'Europe/Paris',
    },
    session: { user: 'bob', daysAgo: 2, startHour: 9, minutes: 150 },
    reservation: {
      projectId: 'Soil metagenomics survey',
      experimentTitle: 'Mineral grains of the North meadow cores',
      purpose: 'Grain size and shape of the mineral fraction before sequencing.',
      sampleNames: ['North meadow core 1'],
    },
    build: true,
    files: [
      {
        name: 'bob/steel-grains/grains_050x.tif',
        atMinute: 12,
        content: semTiff({
          system: 'Quanta FEG 650',
          user: 'bob',
          seed: 650,
          scale: 1,
          hv: 20000,
          spot: 3,
          detector: 'ETD',
        }),
      },
      {
        name: 'bob/steel-grains/grains_100x.tif',
        atMinute: 14,
        content: semTiff({
          system: 'Quanta FEG 650',
          user: 'bob',
          seed: 650,
          scale: 2,
          hv: 20000,
          spot: 3,
          detector: 'ETD',
        }),
      },
      {
        name: 'bob/steel-grains/grains_200x.tif',
        atMinute: 17,
        content: semTiff({
          system: 'Quanta FEG 650',
          user: 'bob',
          seed: 650,
          scale: 4,
          hv: 20000,
          spot: 4,
          detector: 'ETD',
        }),
      },
      { name: 'bob/steel-grains/navcam.png', atMinute: 95, content: overviewPng(651) },
      {
        name: 'bob/steel-grains/grains_bse_100x.tif',
        atMinute: 98,
        content: semTiff({
          system: 'Quanta FEG 650',
          user: 'bob',
          seed: 652,
          scale: 2,
          hv: 15000,
          spot: 5,
          detector: 'BSED',
        }),
      },
    ],
  },
  {
    instrument: {
      pid: 'Demo-Helios-G4',
      apiUrl: 'https://demo.cairn.local/instruments/helios-g4',
      calendarName: 'Helios G4 FIB-SEM',
      calendarUrl: 'https://demo.cairn.local/calendar/helios-g4',
      location: 'Building 2, room 108',
      schemaName: 'FEI Helios G4 UX DualBeam',
      propertyTag: 'DG4',
      filestorePath: 'demo/Helios-G4',
      harvester: 'api',
      timezone: 'Europe/Paris',
    },
    session: { user: 'carol', daysAgo: 1, startHour: 14, minutes: 120 },
    build: false,
    files: [
      { name: 'carol/lamella-03/overview.png', atMinute: 8, content: overviewPng(4001) },
      {
        name: 'carol/lamella-03/site_2kx.tif',
        atMinute: 11,
        content: semTiff({
          system: 'Helios G4 UX',
          user: 'carol',
          seed: 4002,
          scale: 1.5,
          hv: 5000,
          spot: 2,
          detector: 'TLD',
        }),
      },
      {
        name: 'carol/lamella-03/thinned_10kx.tif',
        atMinute: 70,
        content: semTiff({
          system: 'Helios G4 UX',
          user: 'carol',
          seed: 4003,
          scale: 3,
          hv: 2000,
          spot: 1,
          detector: 'ICE',
        }),
      },
    ],
  },
];

/** The session's window: `daysAgo` days before today (UTC) from `startHour`, so always wholly in the past. */
function sessionWindow(session: DemoInstrument['session'], now: Date): { start: Date; end: Date } {
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - session.daysAgo);
  const start = new Date(day + session.startHour * 3_600_000);
  return { start, end: new Date(start.getTime() + session.minutes * 60_000) };
}

/** Writes the instrument's files, each with its modification time inside the session. */
async function writeFiles(config: Config, demo: DemoInstrument, start: Date): Promise<void> {
  const folder = path.join(config.instrumentDataDir, demo.instrument.filestorePath);
  for (const file of demo.files) {
    const target = path.join(folder, file.name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await file.content());
    const at = new Date(start.getTime() + file.atMinute * 60_000);
    await utimes(target, at, at);
  }
}

/**
 * Registers the demo instruments that are not registered yet (as `registrar`, staff), writes their files, logs
 * their past sessions and builds the record of the first; returns what it added (nothing on a second run).
 */
export async function loadDemoInstruments(
  context: { readonly db: Db; readonly config: Config },
  registrar: Actor,
): Promise<DemoInstrumentsSummary> {
  const { db, config } = context;
  const summary: DemoInstrumentsSummary = {
    instrumentsCreated: 0,
    sessionsLogged: 0,
    recordsBuilt: 0,
    buildProblem: null,
  };
  const registered = new Set((await listInstruments(db)).map((instrument) => instrument.pid));
  const toBuild: string[] = [];
  const now = new Date();
  for (const demo of DEMO_INSTRUMENTS) {
    if (registered.has(demo.instrument.pid)) continue;
    const { start, end } = sessionWindow(demo.session, now);
    await writeFiles(config, demo, start);
    const session = await inTransaction(db, async (trx) => {
      await createInstrument(trx, registrar, demo.instrument, config.instrumentDataDir);
      return logPastSession(trx, registrar, {
        instrument: demo.instrument.pid,
        user: demo.session.user,
        startedAt: start,
        endedAt: end,
        ...(demo.reservation !== undefined && { reservation: demo.reservation }),
      });
    });
    summary.instrumentsCreated++;
    summary.sessionsLogged++;
    if (demo.build) toBuild.push(session.sessionIdentifier);
    // Build before the next session is logged: the builder takes the oldest TO_BE_BUILT session.
    const built = await buildDemoSessions(db, config, toBuild.splice(0));
    summary.recordsBuilt += built.records;
    summary.buildProblem ??= built.problem;
  }
  return summary;
}

/**
 * Builds sessions until those wanted are built: the builder takes the oldest waiting session first, so sessions
 * logged before the demo's (which `cairn serve` would build anyway) are built on the way.
 */
async function buildDemoSessions(
  db: Db,
  config: Config,
  wanted: string[],
): Promise<{ records: number; problem: string | null }> {
  const left = new Set(wanted);
  let records = 0;
  let problem: string | null = null;
  const settings = buildSettingsFrom(db, config, 'cairn-demo');
  while (left.size > 0) {
    const outcome = await buildNextSession(settings);
    if (outcome === null) break;
    if (!left.delete(outcome.sessionIdentifier)) continue;
    if (outcome.status === 'COMPLETED') records++;
    else if (outcome.status === 'WAITING_FOR_FILES')
      problem = `${outcome.sessionIdentifier}: no files found yet`;
    else problem = `${outcome.sessionIdentifier}: ${outcome.status} (${outcome.reason})`;
  }
  return { records, problem };
}

/** One line saying what the demo's instruments added. */
export function describeDemoInstruments(summary: DemoInstrumentsSummary): string {
  const added =
    `demo instruments: ${summary.instrumentsCreated} instruments, ${summary.sessionsLogged} past sessions ` +
    `and ${summary.recordsBuilt} built records added`;
  if (summary.buildProblem !== null) return `${added}; a record was not built: ${summary.buildProblem}`;
  return summary.instrumentsCreated === 0 ? 'demo instruments: none added, all were there already' : added;
}
