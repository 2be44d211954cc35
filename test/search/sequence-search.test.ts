/**
 * Sequence search with the real BLAST+: a sequence created through the API is found within seconds (the apply
 * task run by a worker); a deleted or changed sequence is never a stale hit and the new one is found; only
 * items the caller may see are answered; bad queries are 400 and a missing BLAST+ 503; the answers agree with
 * blastn run directly; a rebuild keeps everything findable; blastp finds protein fields.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/http/logger.js';
import type { Item, ItemType } from '../../src/modules/inventory/inventory.schema.js';
import { blastFilesOf, rebuildBlastDatabases } from '../../src/modules/search/blast-upkeep.js';
import type { SequenceSearchResult } from '../../src/modules/search/sequence-search.schema.js';
import { createTaskRegistry } from '../../src/tasks/task-catalog.js';
import { TaskWorker } from '../../src/tasks/task-worker.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import type { Problem } from '../support/api-types.js';
import { buildProject, uniqueName } from '../support/factories.js';
import { buildItem, buildType, callApi } from '../support/inventory-factories.js';
import { runProcess } from '../support/run-process.js';
import { buildSample } from '../support/sample-factories.js';
import { createTestApp, useTestApp, type TestUser } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** Locally a machine without BLAST+ skips these tests; under CI that is a failure. */
const blastMissing = await runProcess('blastn', ['-version']).then(
  (result) => (result.status === 0 ? null : 'blastn -version failed'),
  () => 'BLAST+ is not installed (apt-get install ncbi-blast+)',
);
if (blastMissing !== null && process.env.CI) throw new Error(`${blastMissing}, and CI needs BLAST+`);

function randomDna(length: number): string {
  return [...randomBytes(length)].map((byte) => 'ACGT'[byte % 4]).join('');
}

function randomProtein(length: number): string {
  const residues = 'ACDEFGHIKLMNPQRSTVWY';
  return [...randomBytes(length)].map((byte) => residues[byte % residues.length]).join('');
}

/** A copy with every `every`-th base changed (a query that is similar, not equal). */
function mutate(sequence: string, every: number): string {
  return [...sequence]
    .map((base, index) => (index % every === every - 1 ? (base === 'A' ? 'C' : 'A') : base))
    .join('');
}

describe.each(dialects)('sequence search on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect) || blastMissing !== null)('', () => {
    const t = useTestApp(dialect, {
      config: { workerPollMs: 50 },
      users: { user: 'user', other: 'user', staff: 'staff', admin: 'admin' },
    });
    const { user, other, staff, admin } = t.users;
    // Two workers, as with a scale-out: the upkeep's lease lets one apply at a time, and nothing is missed.
    let worker: TaskWorker;
    let secondWorker: TaskWorker;
    let construct: ItemType;
    let tubeType: ItemType;

    beforeAll(async () => {
      worker = new TaskWorker(t.database.db, createTaskRegistry(), t.config, createLogger(t.config));
      worker.start();
      secondWorker = new TaskWorker(t.database.db, createTaskRegistry(), t.config, createLogger(t.config));
      secondWorker.start();
      construct = await buildType(t, {
        by: staff,
        name: uniqueName('construct '),
        class: 'virtual',
        fields: [
          { name: 'insert', kind: 'sequence', alphabet: 'dna' },
          { name: 'product', kind: 'sequence', alphabet: 'protein' },
        ],
      });
      tubeType = await buildType(t, {
        by: staff,
        name: uniqueName('seq tube '),
        fields: [{ name: 'insert', kind: 'sequence', alphabet: 'dna' }],
      });
    });
    afterAll(async () => {
      await worker.stop();
      await secondWorker.stop();
    });

    async function blast(
      as: TestUser,
      sequence: string,
      program: 'blastn' | 'blastp' | 'blastx' | 'tblastn' = 'blastn',
      extra: Record<string, unknown> = {},
    ): Promise<SequenceSearchResult> {
      const response = await callApi<SequenceSearchResult>(t, as, 'POST', '/api/sequence-search', {
        sequence,
        program,
        evalue: 1e-10,
        ...extra,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    }
    const itemsOf = (result: SequenceSearchResult) => [...new Set(result.hits.map((hit) => hit.itemId))];

    async function waitUntilFound(
      as: TestUser,
      sequence: string,
      itemId: string,
      program: 'blastn' | 'blastp' = 'blastn',
    ) {
      await waitFor(
        `${itemId} found by ${program}`,
        async () => itemsOf(await blast(as, sequence, program)).includes(itemId),
        {
          timeout: 15_000,
          interval: 200,
        },
      );
    }

    it('finds a sequence created through the API within seconds, with its alignment', async () => {
      const sequence = randomDna(800);
      const started = Date.now();
      const item = await buildItem(t, user, {
        type: construct.name,
        name: uniqueName('pFound '),
        fields: { insert: sequence },
      });
      await waitUntilFound(user, sequence.slice(100, 600), item.id);
      expect(Date.now() - started).toBeLessThan(10_000);

      const query = mutate(sequence.slice(100, 600), 40);
      const result = await blast(other, `>my query\n${query.slice(0, 250)}\n${query.slice(250)}\n`);
      expect(result.queryLength).toBe(500);
      expect(result.hits).toHaveLength(1);
      const [hit] = result.hits;
      expect(hit).toMatchObject({
        itemId: item.id,
        humanId: item.humanId,
        name: item.name,
        alignmentLength: 500,
        mismatches: 12,
        gaps: 0,
        percentIdentity: 97.6,
        queryStart: 1,
        queryEnd: 500,
        subjectStart: 101,
        subjectEnd: 600,
      });
      expect(hit?.evalue).toBeLessThan(1e-100);
      // BLAST writes the residues it masked as low-complexity in lower case.
      expect(hit?.alignment.query.toUpperCase()).toBe(query);
      expect(hit?.alignment.subject.toUpperCase()).toBe(sequence.slice(100, 600));
      expect(hit?.alignment.midline).toMatch(/^[| ]{500}$/);
    });

    it('never answers a deleted or changed sequence, and finds the new one', async () => {
      const before = randomDna(600);
      const after = randomDna(600);
      const gone = randomDna(600);
      const changed = await buildItem(t, user, { type: construct.name, fields: { insert: before } });
      const deleted = await buildItem(t, user, { type: construct.name, fields: { insert: gone } });
      await waitUntilFound(user, before, changed.id);
      await waitUntilFound(user, gone, deleted.id);

      const patch = await callApi<Item>(t, user, 'PATCH', `/api/items/${changed.id}`, {
        fields: { insert: after },
      });
      expect(patch.status).toBe(200);
      expect((await callApi(t, user, 'DELETE', `/api/items/${deleted.id}`)).status).toBeLessThan(300);
      // At once, before the upkeep has run: the old sequences are still in the database, and never answered.
      expect(itemsOf(await blast(user, before))).toEqual([]);
      expect(itemsOf(await blast(user, gone))).toEqual([]);
      await waitUntilFound(user, after, changed.id);
      expect(itemsOf(await blast(user, before))).toEqual([]);

      // A restored item's sequence is found again.
      expect((await callApi(t, user, 'POST', `/api/items/${deleted.id}/restore`)).status).toBe(200);
      await waitUntilFound(user, gone, deleted.id);
    });

    it("answers only items the caller may see: a project's sample to its members, no hidden items", async () => {
      const secret = randomDna(600);
      const project = await buildProject(t.database.db, user.user, { name: uniqueName('Seq project ') });
      const sample = await buildSample(t, {
        by: user,
        projectId: project.id,
        type: tubeType.name,
        fields: { insert: secret },
      });
      await waitUntilFound(user, secret, sample.id);
      expect(itemsOf(await blast(other, secret))).toEqual([]);
      expect(itemsOf(await blast(admin, secret))).toEqual([sample.id]);

      const hiddenSequence = randomDna(600);
      const hidden = await buildItem(t, user, {
        type: tubeType.name,
        hidden: true,
        fields: { insert: hiddenSequence },
      });
      const shown = await buildItem(t, user, { type: tubeType.name, fields: { insert: hiddenSequence } });
      await waitUntilFound(user, hiddenSequence, shown.id);
      expect(itemsOf(await blast(user, hiddenSequence))).toEqual([shown.id]);
      expect(hidden.hidden).toBe(true);

      // A job's own blastn cannot check its readers: it leaves samples' sequences out, lab-wide ones in.
      const entries = await t.database.db
        .selectFrom('blast_entries')
        .select(['id', 'item_id'])
        .where('item_id', 'in', [sample.id, shown.id])
        .execute();
      const excluded = (
        await fs.promises.readFile(path.join(t.config.blastDir, 'nucl', 'cairn.excluded'), 'utf8')
      ).split('\n');
      for (const entry of entries) {
        expect(excluded.includes(`e${entry.id}`), entry.item_id).toBe(entry.item_id === sample.id);
      }
      expect(entries.map((entry) => entry.item_id).sort()).toEqual([sample.id, shown.id].sort());
    });

    it('refuses a query that is not in the alphabet of its program, naming the character', async () => {
      const cases: [string, string, RegExp][] = [
        ['ACGTACGTXACGT', 'blastn', /'X' at position 9/],
        ['MKVLAA1', 'blastp', /'1' at position 7/],
        ['>a\nACGT\n>b\nACGT\n', 'blastn', /one sequence at a time/],
        ['>only a header\n', 'blastn', /no residues/],
        ['ACGT\u00df', 'tblastn', /'ß' at position 5/],
      ];
      for (const [sequence, program, message] of cases) {
        const response = await callApi<Problem & { errors: { field: string; message: string }[] }>(
          t,
          user,
          'POST',
          '/api/sequence-search',
          { sequence, program },
        );
        expect(response.status, sequence).toBe(400);
        expect(response.body.code).toBe('invalid_sequence');
        expect(response.body.errors[0]?.field).toBe('sequence');
        expect(response.body.errors[0]?.message).toMatch(message);
      }
      const unknownProgram = await callApi(t, user, 'POST', '/api/sequence-search', {
        sequence: 'ACGT',
        program: 'psiblast',
      });
      expect(unknownProgram.status).toBe(400);
      const tooMany = await callApi(t, user, 'POST', '/api/sequence-search', {
        sequence: 'ACGT',
        program: 'blastn',
        maxHits: 501,
      });
      expect(tooMany.status).toBe(400);
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/sequence-search',
            payload: { sequence: 'ACGT', program: 'blastn' },
          })
        ).statusCode,
      ).toBe(401);
      // RNA queries are read as DNA.
      expect(
        (await callApi(t, user, 'POST', '/api/sequence-search', { sequence: 'ACGUACGU', program: 'blastn' }))
          .status,
      ).toBe(200);
    });

    it('answers 503 with how to install BLAST+ when its programs are missing', async () => {
      const without = await createTestApp(dialect, { blastBinDir: '/nonexistent/blast/bin' });
      try {
        const someone = await without.userWithToken();
        const response = await callApi<Problem>(without, someone, 'POST', '/api/sequence-search', {
          sequence: 'ACGTACGTACGT',
          program: 'blastn',
        });
        expect(response.status).toBe(503);
        expect(response.body.code).toBe('blast_unavailable');
        expect(response.body.detail).toContain('apt-get install ncbi-blast+');
        // Everything else keeps working.
        expect((await callApi(without, someone, 'GET', '/api/types')).status).toBe(200);
      } finally {
        await without.close();
      }
    });

    it('agrees with blastn run directly on the same sequences', async () => {
      const base = randomDna(1200);
      const sequences = [base, mutate(base, 45), mutate(base.slice(200, 900), 31), randomDna(900)];
      const items: Item[] = [];
      for (const sequence of sequences) {
        items.push(
          await buildItem(t, user, {
            type: construct.name,
            name: uniqueName('agree '),
            fields: { insert: sequence },
          }),
        );
      }
      for (const [index, item] of items.entries())
        await waitUntilFound(user, sequences[index] ?? '', item.id);
      const query = mutate(base.slice(150, 950), 37);
      const ours = await blast(user, query, 'blastn', { evalue: 1e-5 });

      // The same search by hand: the same sequences in a database of their own, blastn with outfmt 6.
      const dir = fs.mkdtempSync(path.join(t.config.dataDir, 'direct-'));
      const fasta = sequences.map((sequence, index) => `>lcl|s${index}\n${sequence}\n`).join('');
      fs.writeFileSync(path.join(dir, 'subjects.fasta'), fasta);
      fs.writeFileSync(path.join(dir, 'query.fasta'), `>q\n${query}\n`);
      const make = await runProcess(
        'makeblastdb',
        ['-in', 'subjects.fasta', '-dbtype', 'nucl', '-parse_seqids', '-out', 'direct'],
        { cwd: dir },
      );
      expect(make.status, make.stderr).toBe(0);
      // Equal e-values need an equal search space: the size of the database the search ran against.
      const ourDb = path.join(t.config.blastDir, 'nucl', 'cairn');
      const info = await runProcess('blastdbcmd', ['-db', ourDb, '-info']);
      const letters = Number(/([\d,]+) total (?:bases|residues)/.exec(info.stdout)?.[1]?.replaceAll(',', ''));
      const sequencesInDb = Number(/([\d,]+) sequences;/.exec(info.stdout)?.[1]?.replaceAll(',', ''));
      expect(letters).toBeGreaterThan(0);
      const direct = await runProcess(
        'blastn',
        [
          '-db',
          'direct',
          '-query',
          'query.fasta',
          '-outfmt',
          '6 sseqid pident length mismatch gapopen qstart qend sstart send evalue bitscore gaps',
          '-evalue',
          '1e-5',
          '-dbsize',
          String(letters),
          '-max_target_seqs',
          '50',
        ],
        { cwd: dir },
      );
      expect(direct.status, direct.stderr).toBe(0);
      expect(sequencesInDb).toBeGreaterThanOrEqual(sequences.length);
      const rows = direct.stdout
        .trim()
        .split('\n')
        .map((line) => line.split('\t'));
      const itemOf = (sseqid: string) => items[Number(sseqid.replace(/^s/, ''))]?.id;
      expect(new Set(rows.map((row) => itemOf(row[0] ?? '')))).toEqual(new Set(itemsOf(ours)));
      expect(itemsOf(ours)).not.toContain(items[3]?.id);
      const key = (itemId: string | undefined, qstart: number, sstart: number) =>
        `${itemId} ${qstart} ${sstart}`;
      const ourByKey = new Map(
        ours.hits.map((hit) => [key(hit.itemId, hit.queryStart, hit.subjectStart), hit]),
      );
      expect(ourByKey.size).toBe(rows.length);
      for (const row of rows) {
        const hit = ourByKey.get(key(itemOf(row[0] ?? ''), Number(row[5]), Number(row[7])));
        expect(hit, row.join(' ')).toBeDefined();
        expect(hit?.percentIdentity).toBeCloseTo(Number(row[1]), 2);
        expect(hit?.alignmentLength).toBe(Number(row[2]));
        expect(hit?.mismatches).toBe(Number(row[3]));
        expect(hit?.queryEnd).toBe(Number(row[6]));
        expect(hit?.subjectEnd).toBe(Number(row[8]));
        expect(hit?.gaps).toBe(Number(row[11]));
        // outfmt 6 rounds bit scores too (to whole numbers above 100).
        expect(Math.abs((hit?.bitScore ?? 0) - Number(row[10]))).toBeLessThan(1);
        // outfmt 6 rounds e-values to three significant digits.
        const evalue = Number(row[9]);
        if (evalue === 0) expect(hit?.evalue).toBeLessThan(1e-180);
        else expect(Math.abs((hit?.evalue ?? 0) - evalue) / evalue).toBeLessThan(0.01);
      }
    });

    it('rebuilds the databases from the items, and everything stays findable', async () => {
      const kept = randomDna(700);
      const item = await buildItem(t, user, { type: construct.name, fields: { insert: kept } });
      await waitUntilFound(user, kept, item.id);
      const { sequences } = await rebuildBlastDatabases(
        t.database.db,
        blastFilesOf(t.config),
        'test-rebuild',
      );
      expect(sequences).toBeGreaterThan(0);
      const databases = await t.database.db
        .selectFrom('blast_databases')
        .select(['db_type', 'main_volume', 'recent_volume'])
        .where('db_type', '=', 'nucl')
        .executeTakeFirstOrThrow();
      expect(databases.main_volume).toMatch(/^main-\d+$/);
      expect(databases.recent_volume).toBeNull();
      expect(itemsOf(await blast(user, kept))).toEqual([item.id]);
      const dead = await t.database.db
        .selectFrom('blast_entries')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('live', '=', 0)
        .executeTakeFirstOrThrow();
      expect(Number(dead.count)).toBe(0);
      // A change after the rebuild goes to a new recent volume and is found.
      const next = randomDna(700);
      await callApi(t, user, 'PATCH', `/api/items/${item.id}`, { fields: { insert: next } });
      await waitUntilFound(user, next, item.id);
      expect(itemsOf(await blast(user, kept))).toEqual([]);
    });

    it('does not let hits that no longer hold hide one that does', async () => {
      const shared = randomDna(600);
      const twins: Item[] = [];
      for (let index = 0; index < 5; index++) {
        twins.push(
          await buildItem(t, user, {
            type: construct.name,
            name: uniqueName('twin '),
            fields: { insert: shared },
          }),
        );
      }
      await waitFor('every twin found', async () => itemsOf(await blast(user, shared)).length === 5, {
        timeout: 15_000,
        interval: 200,
      });
      await rebuildBlastDatabases(t.database.db, blastFilesOf(t.config), 'test-twins', { waitMs: 30_000 });
      const survivor = twins[4]?.id;
      for (const twin of twins.slice(0, 4)) {
        expect((await callApi(t, user, 'DELETE', `/api/items/${twin.id}`)).status).toBeLessThan(300);
      }
      // At once (the four are still live entries in main) and after the upkeep has marked them dead.
      expect(itemsOf(await blast(user, shared, 'blastn', { maxHits: 1 }))).toEqual([survivor]);
      await waitFor('the deletions applied', async () => {
        const dead = await t.database.db
          .selectFrom('blast_entries')
          .select('id')
          .where(
            'item_id',
            'in',
            twins.slice(0, 4).map((twin) => twin.id),
          )
          .where('live', '=', 0)
          .execute();
        return dead.length === 4;
      });
      expect(itemsOf(await blast(user, shared, 'blastn', { maxHits: 1 }))).toEqual([survivor]);
      // Nor do items the caller may not see: a project's samples crowding the top.
      const project = await buildProject(t.database.db, other.user, { name: uniqueName('Crowd ') });
      const crowded = randomDna(600);
      for (let index = 0; index < 3; index++) {
        await buildSample(t, {
          by: other,
          projectId: project.id,
          type: tubeType.name,
          fields: { insert: crowded },
        });
      }
      const visible = await buildItem(t, user, { type: tubeType.name, fields: { insert: crowded } });
      await waitUntilFound(user, crowded, visible.id);
      expect(itemsOf(await blast(user, crowded, 'blastn', { maxHits: 1 }))).toEqual([visible.id]);
    });

    it('finds protein fields with blastp, short queries too', async () => {
      const protein = randomProtein(300);
      const item = await buildItem(t, user, { type: construct.name, fields: { product: protein } });
      await waitUntilFound(user, protein.slice(20, 220), item.id, 'blastp');
      const hits = (await blast(user, protein.slice(20, 220), 'blastp')).hits;
      expect(hits[0]).toMatchObject({
        itemId: item.id,
        percentIdentity: 100,
        subjectStart: 21,
        subjectEnd: 220,
      });
      expect(itemsOf(await blast(user, protein.slice(0, 25), 'blastp', { evalue: 1e-3 }))).toEqual([item.id]);
    });

    it("moves a field's sequences to the protein database when its alphabet becomes protein", async () => {
      const type = await buildType(t, {
        by: staff,
        name: uniqueName('switching '),
        class: 'virtual',
        fields: [{ name: 'residues', kind: 'sequence', alphabet: 'dna' }],
      });
      const residues = randomDna(450);
      const item = await buildItem(t, user, { type: type.name, fields: { residues } });
      await waitUntilFound(user, residues, item.id);
      const changed = await callApi(t, staff, 'PATCH', `/api/types/${type.id}`, {
        fields: [{ name: 'residues', kind: 'sequence', alphabet: 'protein' }],
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      // At once: the nucleotide entry no longer answers for a protein field.
      expect(itemsOf(await blast(user, residues))).toEqual([]);
      await waitFor(
        'found by blastp',
        async () => itemsOf(await blast(user, residues, 'blastp', { evalue: 1e-3 })).includes(item.id),
        { timeout: 15_000, interval: 200 },
      );
    });
  });
});
