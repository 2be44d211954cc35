/**
 * The large inventory of item-path and move-box: a Cairn SQLite database of 1,000,000 items nine levels
 * deep (bench/inventory-db.child.ts builds it through Cairn's bulk create, a few minutes), cached under
 * node_modules/.cache/cairn-bench/inventory-<key>/ so that later runs reuse it. The key is a hash of the
 * migrations (file names and contents) and of the builder: a new or changed migration, or a new shape, builds
 * it again (and the stale copy is removed; it takes about 3 GB). Benchmarks work on a copy, so the cached
 * file never changes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BuildInput, InventoryFacts } from '../inventory-db.child.js';
import type { CairnModules } from './cairn.js';
import { runChild } from './child.js';
import { fmt } from './common.js';
import { REPO_ROOT } from './servers.js';

export type { InventoryFacts } from '../inventory-db.child.js';

export const INVENTORY_ADMIN_PASSWORD = 'bench-admin-password';
export const INVENTORY_USER = 'bench';
const USER_PASSWORD = 'bench-user-password';

const CACHE_ROOT = path.join(REPO_ROOT, 'node_modules', '.cache', 'cairn-bench');
const BUILDER = path.join(REPO_ROOT, 'bench', 'inventory-db.child.ts');
const MIGRATIONS = path.join(REPO_ROOT, 'src', 'db', 'migrations');

export interface InventoryDatabase {
  /** The cached database file (never written to: copy it with `copyInventory`). */
  readonly file: string;
  readonly facts: InventoryFacts;
  readonly key: string;
  /** Whether this run built it (else it came from the cache). */
  readonly built: boolean;
  /** Seconds the build took (when it was built, in this run or an earlier one). */
  readonly buildSeconds: number;
}

function cacheKey(): string {
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(MIGRATIONS).sort()) {
    hash
      .update(name)
      .update('\u0000')
      .update(fs.readFileSync(path.join(MIGRATIONS, name)));
  }
  hash.update(fs.readFileSync(BUILDER));
  return hash.digest('hex').slice(0, 12);
}

/** The cached database, built first when the cache has none for the current migrations and builder. */
export async function inventoryDatabase(
  modules: CairnModules,
  log: (message: string) => void,
): Promise<InventoryDatabase> {
  const key = cacheKey();
  const dir = path.join(CACHE_ROOT, `inventory-${key}`);
  const file = path.join(dir, 'cairn.db');
  const factsFile = path.join(dir, 'facts.json');
  if (fs.existsSync(factsFile) && fs.existsSync(file)) {
    const facts = JSON.parse(fs.readFileSync(factsFile, 'utf8')) as InventoryFacts;
    log(
      `using the cached inventory database (${fmt(facts.items)} items) in ${path.relative(REPO_ROOT, dir)}`,
    );
    return { file, facts, key, built: false, buildSeconds: facts.buildSeconds };
  }

  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  for (const stale of fs.readdirSync(CACHE_ROOT)) {
    if (/^inventory-[0-9a-f]+$/.test(stale) && stale !== `inventory-${key}`) {
      log(`removing the stale inventory database ${stale} (other migrations or builder)`);
      fs.rmSync(path.join(CACHE_ROOT, stale), { recursive: true, force: true });
    }
  }
  const building = `${dir}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(building, { recursive: true });
  log(
    `building the inventory database (1,000,000 items through createItemsInBulk; a few minutes, once) in ${path.relative(REPO_ROOT, building)}`,
  );
  try {
    const input: BuildInput = {
      file: path.join(building, 'cairn.db'),
      adminPassword: INVENTORY_ADMIN_PASSWORD,
      username: INVENTORY_USER,
      password: USER_PASSWORD,
    };
    const facts = await runChild<InventoryFacts>(BUILDER, input, { modules, log });
    fs.writeFileSync(path.join(building, 'facts.json'), `${JSON.stringify(facts, null, 2)}\n`);
    try {
      fs.renameSync(building, dir);
    } catch (error) {
      // Another run built it at the same time: keep theirs.
      if (!fs.existsSync(factsFile)) throw error;
    }
    log(`built in ${fmt(facts.buildSeconds)} s: ${fmt(fs.statSync(file).size / 1e9, 2)} GB`);
    return { file, facts, key, built: true, buildSeconds: facts.buildSeconds };
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
}

/** Copies the cached database to `file` (a working copy that a benchmark may write to); returns seconds. */
export function copyInventory(database: InventoryDatabase, file: string): number {
  const start = performance.now();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(database.file, file);
  return (performance.now() - start) / 1000;
}
