/**
 * The demo lab: a few people and projects, an inventory with samples, two instruments with a built record and a
 * session waiting for its own, and analyses of some samples run on the local resource, loaded through the
 * services (so it is validated and audited like any other change). Idempotent: what exists already (by username
 * or project name, files and analyses of a sample, instruments by PID) is left as it is.
 */
import { inTransaction } from '../db/transaction.js';
import * as accounts from '../modules/accounts/accounts.service.js';
import type { Actor } from '../modules/accounts/actor.js';
import { addMember, createProject, listProjects } from '../modules/projects/projects.service.js';
import { runDemoAnalyses, type DemoAnalysesContext, type DemoAnalysesSummary } from './demo-analyses.js';
import { loadDemoInstruments, type DemoInstrumentsSummary } from './demo-instruments.js';
import { loadDemoInventory } from './demo-inventory.js';
import type { ProjectRole, ProjectStatus } from '../modules/projects/projects.tables.js';

export const DEMO_PASSWORD = 'cairn-demo';

const people = [
  { username: 'alice', email: 'alice@demo.cairn.local', displayName: 'Alice Moreau', role: 'staff' as const },
  { username: 'bob', email: 'bob@demo.cairn.local', displayName: 'Bob Okafor', role: 'user' as const },
  {
    username: 'carol',
    email: 'carol@demo.cairn.local',
    displayName: 'Carol Lindqvist',
    role: 'user' as const,
  },
];

const projects: Array<{
  name: string;
  description: string;
  status: ProjectStatus;
  startDate: string;
  endDate: string | null;
  manager: string;
  members: Array<[string, ProjectRole]>;
}> = [
  {
    name: 'CRISPR screen in yeast',
    description: 'Genome-wide knockout screen for stress tolerance in S. cerevisiae.',
    status: 'active',
    startDate: '2026-03-01',
    endDate: null,
    manager: 'alice',
    members: [
      ['bob', 'member'],
      ['carol', 'viewer'],
    ],
  },
  {
    name: 'Soil metagenomics survey',
    description: 'Shotgun sequencing of 48 soil cores from four field sites.',
    status: 'planned',
    startDate: '2026-12-01',
    endDate: '2027-06-30',
    manager: 'bob',
    members: [['alice', 'member']],
  },
  {
    name: 'Antibody validation 2025',
    description: 'Western blot validation of the lab antibody collection.',
    status: 'completed',
    startDate: '2025-01-15',
    endDate: '2025-11-30',
    manager: 'carol',
    members: [['alice', 'viewer']],
  },
];

export interface DemoSummary {
  usersCreated: number;
  projectsCreated: number;
  itemsCreated: number;
  samplesCreated: number;
  /** Analyses asked for and run on the local resource by this load. */
  analysesRun: number;
  /** How those analyses ended, for the demo's report. */
  analyses: DemoAnalysesSummary;
  /** The instruments, past sessions and records added. */
  instruments: DemoInstrumentsSummary;
}

/** Loads the demo lab and runs its analyses; returns what it added (nothing on a second run). */
export async function loadDemoLab(context: DemoAnalysesContext): Promise<DemoSummary> {
  const { db } = context;
  const summary = { usersCreated: 0, projectsCreated: 0, itemsCreated: 0, samplesCreated: 0 };
  const admin = await accounts.actorFor(db, 'admin');
  for (const person of people) {
    const exists = await accounts.getUserByUsername(db, person.username).catch(() => null);
    if (exists) continue;
    await inTransaction(db, (trx) => accounts.createUser(trx, admin, { ...person, password: DEMO_PASSWORD }));
    summary.usersCreated++;
  }
  const existing = await listProjects(db, admin, { limit: 200 });
  const names = new Set(existing.items.map((project) => project.name));
  for (const project of projects) {
    if (names.has(project.name)) continue;
    const manager: Actor = await accounts.actorFor(db, project.manager);
    await inTransaction(db, async (trx) => {
      const created = await createProject(trx, manager, {
        name: project.name,
        description: project.description,
        status: project.status,
        startDate: project.startDate,
        endDate: project.endDate,
      });
      for (const [username, role] of project.members)
        await addMember(trx, manager, created.id, { username, role });
    });
    summary.projectsCreated++;
  }
  const all = (await listProjects(db, admin, { limit: 200 })).items;
  const projectFor = async (name: string) => {
    const project = all.find((candidate) => candidate.name === name);
    return project
      ? { id: project.id, manager: await accounts.actorFor(db, project.manager.username) }
      : null;
  };
  const inventory = await loadDemoInventory(db, await accounts.actorFor(db, 'alice'), {
    yeast: await projectFor('CRISPR screen in yeast'),
    soil: await projectFor('Soil metagenomics survey'),
  });
  summary.itemsCreated = inventory.items;
  summary.samplesCreated = inventory.samples;
  const yeast = all.find((project) => project.name === 'CRISPR screen in yeast');
  const instruments = await loadDemoInstruments(context, await accounts.actorFor(db, 'alice'));
  const analyses = await runDemoAnalyses(context, yeast?.id ?? null);
  return { ...summary, analysesRun: analyses.run, analyses, instruments };
}
