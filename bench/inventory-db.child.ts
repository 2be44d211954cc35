/**
 * Builds the large inventory database of item-path and move-box (see support/inventory-db.ts): 1,000,000
 * physical items nine levels deep — campus → building → floor → room → -80 °C freezer → shelf → rack → 10×10
 * box → tube — created through Cairn's own bulk create (createItemsInBulk, as the CSV importer uses it), level
 * by level in transactions of 10,000 items. So every item has what Cairn writes for it: its row, its human id
 * from the counter, its materialized path and its audit event. Tubes (barcoded, with volume, concentration,
 * unit and freezing date) fill the boxes 100 to a box, in slot order; the last boxes stay empty (spares).
 *
 * Run as a child (support/child.ts); prints what the benchmarks need to know about the database. The contents
 * of this file are part of the cache key: change the shape here and the database is built again.
 */
import { cairnModule, childInput, childProgress, childResult } from './support/child.js';

type DatabaseModule = typeof import('../src/db/database.js');
type MigrateModule = typeof import('../src/db/migrate.js');
type AccountsModule = typeof import('../src/modules/accounts/accounts.service.js');
type ItemsModule = typeof import('../src/modules/inventory/item-creation.service.js');
type TypesModule = typeof import('../src/modules/inventory/types.service.js');
type TransactionModule = typeof import('../src/db/transaction.js');

export interface BuildInput {
  file: string;
  adminPassword: string;
  username: string;
  password: string;
}

export interface InventoryFacts {
  items: number;
  /** Items per level, root first. */
  levels: { type: string; count: number }[];
  /** Rows of the audit trail. */
  auditEvents: number;
  /** rowids of the tubes (the deepest items, created last): [first, last]. */
  tubeRowids: [number, number];
  /** A tube in the middle of the inventory (depth 8), for the HTTP route. */
  sampleTubeId: string;
  /** A box holding 100 tubes, its rack, and a rack in another freezer to move it to. */
  move: { boxId: string; tubes: number; fromRackId: string; toRackId: string };
  buildSeconds: number;
}

/** Children per parent, level by level (tubes: up to 100 per box, until the total is reached). */
const SHAPE = [
  { type: 'campus', perParent: 1 },
  { type: 'building', perParent: 2 },
  { type: 'floor', perParent: 3 },
  { type: 'room', perParent: 4 },
  { type: '-80 freezer', perParent: 4 },
  { type: 'shelf', perParent: 5 },
  { type: 'rack', perParent: 4 },
  { type: 'box 10x10', perParent: 6 },
] as const;
const TOTAL_ITEMS = 1_000_000;
const TUBES_PER_BOX = 100;
const CHUNK = 10_000;
const UNITS = ['ng/ul', 'ng/ul', 'uM', 'nM', 'cells/ml'];
const SLOTS = Array.from(
  { length: 100 },
  (_, i) => `${String.fromCharCode(65 + Math.floor(i / 10))}${(i % 10) + 1}`,
);

const input = childInput<BuildInput>();
const started = performance.now();
const { connectDatabase } = await cairnModule<DatabaseModule>('db/database.js');
const { migrateToLatest } = await cairnModule<MigrateModule>('db/migrate.js');
const { actorFor, createUser, ensureAdmin } = await cairnModule<AccountsModule>(
  'modules/accounts/accounts.service.js',
);
const { createItemsInBulk } = await cairnModule<ItemsModule>('modules/inventory/item-creation.service.js');
const { createType } = await cairnModule<TypesModule>('modules/inventory/types.service.js');
const { inTransaction } = await cairnModule<TransactionModule>('db/transaction.js');

const handle = connectDatabase({ dialect: 'sqlite', databaseUrl: null, sqlitePath: input.file });
const sqlite = handle.sqlite;
if (sqlite === null) throw new Error('not SQLite');
// Only the build's speed: a bigger page cache and no syncing (the file is renamed into the cache when done).
sqlite.pragma('cache_size = -262144');
sqlite.pragma('synchronous = OFF');
await migrateToLatest(handle);
await inTransaction(handle.db, (trx) => ensureAdmin(trx, input.adminPassword));
await inTransaction(handle.db, (trx) =>
  createUser(trx, null, {
    username: input.username,
    email: `${input.username}@lab.example`,
    password: input.password,
    role: 'user',
    displayName: 'Bench User',
  }),
);
const admin = await actorFor(handle.db, 'admin');
const actor = await actorFor(handle.db, input.username);
await inTransaction(handle.db, async (trx) => {
  for (const name of ['campus', 'building', 'floor'])
    await createType(trx, admin, {
      name,
      class: 'physical',
      fields: [{ name: 'code', kind: 'text', required: false }],
    });
});

type Input = Parameters<ItemsModule['createItemsInBulk']>[2][number];

/** Creates a level's items in transactions of CHUNK; returns their ids in order. */
async function createLevel(label: string, inputs: readonly Input[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < inputs.length; start += CHUNK) {
    const chunk = inputs.slice(start, start + CHUNK);
    const made = await inTransaction(handle.db, (trx) => createItemsInBulk(trx, actor, chunk));
    for (const item of made) ids.push(item.id);
    if (inputs.length > CHUNK && (start / CHUNK) % 10 === 9)
      childProgress(`${label}: ${ids.length} of ${inputs.length}`);
  }
  childProgress(
    `${label}: ${inputs.length} created (${((performance.now() - started) / 1000).toFixed(0)} s so far)`,
  );
  return ids;
}

const levels: { type: string; count: number }[] = [];
let parents: (string | null)[] = [null];
const rackOfBox: number[] = [];
let rackIds: string[] = [];
let made = 0;
for (const [depth, level] of SHAPE.entries()) {
  const inputs: Input[] = [];
  parents.forEach((parentId, p) => {
    for (let c = 0; c < level.perParent; c++) {
      const n = inputs.length + 1;
      if (level.type === 'box 10x10') rackOfBox.push(p);
      inputs.push({
        type: level.type,
        name: `${level.type} ${String(n).padStart(5, '0')}`,
        parentId,
        ...(level.type === 'box 10x10' && { barcode: `BX-${String(n).padStart(6, '0')}` }),
        ...(depth < 3 && { fields: { code: `${level.type[0]?.toUpperCase()}${n}` } }),
      });
    }
  });
  const ids = await createLevel(level.type, inputs);
  levels.push({ type: level.type, count: ids.length });
  made += ids.length;
  if (level.type === 'rack') rackIds = ids;
  parents = ids;
}

const boxes = parents as string[];
const tubes = TOTAL_ITEMS - made;
if (tubes > boxes.length * TUBES_PER_BOX)
  throw new Error(`${tubes} tubes do not fit in ${boxes.length} boxes`);
let rowidFirst = 0;
let tubeIndex = 0;
let sampleTubeId = '';
while (tubeIndex < tubes) {
  const inputs: Input[] = [];
  while (inputs.length < CHUNK * 5 && tubeIndex < tubes) {
    const box = Math.floor(tubeIndex / TUBES_PER_BOX);
    const n = tubeIndex + 1;
    inputs.push({
      type: 'tube',
      name: `S-${String(n).padStart(7, '0')} aliquot`,
      parentId: boxes[box] ?? null,
      slot: SLOTS[tubeIndex % TUBES_PER_BOX] ?? 'A1',
      barcode: `FX${String(10_000_000 + n)}`,
      fields: {
        volume_ul: 10 * (1 + (n % 50)),
        concentration: (n * 7.3) % 500,
        concentration_unit: UNITS[n % UNITS.length] ?? 'ng/ul',
        frozen_on: `2025-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`,
      },
    });
    tubeIndex++;
  }
  const ids = await createLevel('tube', inputs);
  if (rowidFirst === 0) {
    const row = sqlite.prepare('select rowid from items where id = ?').get(ids[0]) as { rowid: number };
    rowidFirst = row.rowid;
  }
  if (sampleTubeId === '' && tubeIndex >= tubes / 2) sampleTubeId = ids[Math.floor(ids.length / 2)] ?? '';
}
levels.push({ type: 'tube', count: tubes });

const count = (table: string) =>
  (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
const last = sqlite.prepare('select max(rowid) as n from items').get() as { n: number };
// The first box is full; its rack is the first; the last rack is in the last freezer.
const facts: InventoryFacts = {
  items: count('items'),
  levels,
  auditEvents: count('audit_events'),
  tubeRowids: [rowidFirst, last.n],
  sampleTubeId,
  move: {
    boxId: boxes[0] ?? '',
    tubes: (
      sqlite.prepare('select count(*) as n from items where parent_id = ?').get(boxes[0]) as { n: number }
    ).n,
    fromRackId: rackIds[rackOfBox[0] ?? 0] ?? '',
    toRackId: rackIds.at(-1) ?? '',
  },
  buildSeconds: (performance.now() - started) / 1000,
};
sqlite.pragma('wal_checkpoint(TRUNCATE)');
await handle.destroy();
childResult(facts);
