/**
 * FASTA import and export of sequences: entries create items or update the items they name, every bad entry is
 * reported by a dry run and refuses a real import whole; exports of a list, of a selection and of a search read
 * back into the same items, and leave out what the caller may not see.
 */
import { describe, expect, it } from 'vitest';
import type { Item, ItemType } from '../../src/modules/inventory/inventory.schema.js';
import { readFasta } from '../../src/modules/bulk/fasta-reader.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { uniqueName } from '../support/factories.js';
import { buildItem, buildType, callApi } from '../support/inventory-factories.js';
import { buildSample } from '../support/sample-factories.js';
import { useTestApp } from '../support/test-app.js';
import { getText, postCsv, writtenRows } from './bulk-support.js';

describe('readFasta', () => {
  it('reads headers and multi-line sequences, skips comments, and names problems by line', async () => {
    const file = await readFasta(
      '\uFEFF;an old comment\n>one first entry\nACGT\nac gt\n\n>two\r\nMKV\r\n>three\n>  \nAC\n',
    );
    expect(
      file.entries.map(({ id, description, sequence, line }) => ({ id, description, sequence, line })),
    ).toEqual([
      { id: 'one', description: 'first entry', sequence: 'ACGTacgt', line: 2 },
      { id: 'two', description: '', sequence: 'MKV', line: 6 },
      { id: 'three', description: '', sequence: '', line: 8 },
      { id: '', description: '', sequence: 'AC', line: 9 },
    ]);
    expect(file.problems).toEqual([
      { entry: 3, line: 8, message: 'three has no sequence' },
      { entry: 4, line: 9, message: 'a header without an id' },
    ]);
    expect((await readFasta('ACGT\n>x\nA')).problems[0]?.message).toMatch(/before the first header/);
    expect((await readFasta('')).problems[0]?.message).toMatch(/no FASTA entries/);
    const bytes = (async function* () {
      yield Buffer.from('>a\nAC');
      yield Buffer.from([0xff, 0x0a]);
    })();
    expect((await readFasta(bytes)).problems.at(-1)?.message).toBe('the file is not UTF-8 text');
  });
});

describe.each(dialects)('FASTA import and export on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { user: 'user', staff: 'staff', outsider: 'user' } });
    const { user, staff, outsider } = t.users;

    function plasmidType(fields?: unknown[]): Promise<ItemType> {
      return buildType(t, {
        by: staff,
        name: uniqueName('plasmid '),
        class: 'virtual',
        fields: (fields ?? [
          { name: 'sequence', kind: 'sequence', alphabet: 'dna', required: false },
        ]) as never,
      });
    }

    async function getItem(id: string): Promise<Item> {
      return (await callApi<Item>(t, user, 'GET', `/api/items/${id}`)).body;
    }

    const postFasta = (url: string, fasta: string, by = user) => postCsv(t, by, url, fasta, 'text/x-fasta');

    it('creates items of the given type and updates the items that entries name', async () => {
      const type = await plasmidType();
      const existing = await buildItem(t, user, { type: type.id, name: uniqueName('pExisting'), fields: {} });
      const fasta = [
        `>${existing.humanId} ignored description`,
        'acgtac',
        'GGTT',
        '>pNew-1 a new cloning vector',
        'ATGC',
        'NNRY',
        '>pNew-2',
        'TTTT',
      ].join('\n');
      const url = `/api/imports/fasta?type=${encodeURIComponent(type.name)}`;
      const dry = await postFasta(`${url}&dryRun=true`, fasta);
      expect(dry.status, JSON.stringify(dry.body)).toBe(200);
      expect(dry.body).toMatchObject({ dryRun: true, rows: 3, valid: true, errors: [] });
      const before = await writtenRows(t);

      const answer = await postFasta(url, fasta);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body).toMatchObject({ rows: 3, created: 2, updated: 1 });
      expect(answer.body.items?.map((item) => item.row)).toEqual([1, 2, 3]);
      expect(answer.body.items?.[0]?.id).toBe(existing.id);
      expect((await getItem(existing.id)).fields).toEqual({ sequence: 'ACGTACGGTT' });
      const created = await getItem(answer.body.items?.[1]?.id ?? '');
      expect(created).toMatchObject({
        name: 'pNew-1',
        description: 'a new cloning vector',
        type: { id: type.id },
        fields: { sequence: 'ATGCNNRY' },
      });
      const [items, events] = await writtenRows(t);
      expect(items).toBe((before[0] ?? 0) + 2);
      expect(events).toBe((before[1] ?? 0) + 3);
    });

    it('reports every bad entry in a dry run and refuses a real import whole', async () => {
      const type = await plasmidType();
      const twin = uniqueName('twin');
      await buildItem(t, user, { type: type.id, name: twin });
      await buildItem(t, user, { type: type.id, name: twin });
      const fasta = [
        '>good',
        'ACGT',
        '>bad-letters',
        'ACGUX',
        `>${twin}`,
        'ACGT',
        '>good',
        'AAAA',
        '>empty',
      ].join('\n');
      const url = `/api/imports/fasta?type=${type.id}`;
      const dry = await postFasta(`${url}&dryRun=true`, fasta);
      expect(dry.status).toBe(200);
      expect(dry.body.valid).toBe(false);
      expect(dry.body.errors.map((error) => [error.row, error.field])).toEqual([
        [2, 'fields.sequence'],
        [3, 'id'],
        [4, 'id'],
        [5, 'file'],
      ]);
      expect(dry.body.errors[0]?.message).toMatch(/'U' at position 4 is not a DNA code/);
      expect(dry.body.errors[1]?.message).toMatch(/names 2 items/);
      const before = await writtenRows(t);
      const refused = await postFasta(url, fasta);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('import_invalid');
      expect(await writtenRows(t)).toEqual(before);

      const noType = await postFasta('/api/imports/fasta', '>nothing-like-this\nACGT\n');
      expect(noType.status).toBe(422);
      expect(noType.body.errors[0]?.message).toMatch(/give a type/);
    });

    it('chooses among several sequence fields by a header tag or the field option', async () => {
      const type = await plasmidType([
        { name: 'insert', kind: 'sequence', alphabet: 'dna', required: false },
        { name: 'product', kind: 'sequence', alphabet: 'protein', required: false },
      ]);
      const url = `/api/imports/fasta?type=${type.id}`;
      const ambiguous = await postFasta(`${url}&dryRun=true`, '>x\nACGT\n');
      expect(ambiguous.body.errors[0]?.message).toMatch(/several sequence fields \(insert, product\)/);
      const answer = await postFasta(`${url}&field=insert`, '>two-fields\nACGT\n');
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      const id = answer.body.items?.[0]?.id ?? '';
      const tagged = await postFasta(url, `>${id} the product [field=product]\nMKVL*\n`);
      expect(tagged.status, JSON.stringify(tagged.body)).toBe(201);
      expect((await getItem(id)).fields).toEqual({ insert: 'ACGT', product: 'MKVL*' });

      const exported = await getText(t, user, `/api/exports/items.fasta?type=${type.id}`);
      expect(exported.status).toBe(200);
      expect(exported.type).toMatch(/^text\/x-fasta/);
      const human = (await getItem(id)).humanId;
      expect(exported.text).toBe(
        `>${human} two-fields [field=insert]\nACGT\n>${human} two-fields [field=product]\nMKVL*\n`,
      );
    });

    it('exports a list, a selection and a search as FASTA that imports back into the same items', async () => {
      const type = await plasmidType();
      const long = 'ACGT'.repeat(40);
      const word = uniqueName('roundtrip').replace(/[^a-z]/gi, '');
      const a = await buildItem(t, user, {
        type: type.id,
        name: `${word} alpha`,
        fields: { sequence: long },
      });
      const b = await buildItem(t, user, {
        type: type.id,
        name: `${word} beta`,
        fields: { sequence: 'GGCC' },
      });
      await buildItem(t, user, { type: type.id, name: `${word} without` });

      const list = await getText(t, user, `/api/exports/items.fasta?type=${type.id}`);
      expect(list.text).toBe(
        `>${a.humanId} ${word} alpha\n${long.slice(0, 60)}\n${long.slice(60, 120)}\n${long.slice(120)}\n` +
          `>${b.humanId} ${word} beta\nGGCC\n`,
      );
      const selection = await getText(t, user, `/api/exports/items.fasta?ids=${b.id},${a.id},nope`);
      expect(selection.text.split('\n').filter((line) => line.startsWith('>'))).toEqual([
        `>${b.humanId} ${word} beta`,
        `>${a.humanId} ${word} alpha`,
      ]);
      const mixed = await getText(t, user, `/api/exports/items.fasta?ids=${a.id}&type=${type.id}`);
      expect(mixed.status).toBe(422);

      const search = await getText(
        t,
        user,
        `/api/search/items.fasta?q=${encodeURIComponent(`${word} -beta`)}`,
      );
      expect(search.status).toBe(200);
      expect(search.text.split('\n').filter((line) => line.startsWith('>'))).toEqual([
        `>${a.humanId} ${word} alpha`,
      ]);

      const changed = list.text.replace('GGCC', 'TTAA');
      const back = await postFasta(`/api/imports/fasta?type=${type.id}`, changed);
      expect(back.status, JSON.stringify(back.body)).toBe(201);
      expect(back.body).toMatchObject({ created: 0, updated: 2 });
      expect((await getItem(b.id)).fields).toEqual({ sequence: 'TTAA' });
      expect((await getItem(a.id)).fields).toEqual({ sequence: long });
    });

    it("leaves out and refuses to change what another project's members keep", async () => {
      const type = await buildType(t, {
        by: staff,
        name: uniqueName('sample with sequence '),
        fields: [{ name: 'sequence', kind: 'sequence', alphabet: 'dna', required: false }],
      });
      const word = uniqueName('secret').replace(/[^a-z]/gi, '');
      const sample = await buildSample(t, {
        by: user,
        type: type.name,
        name: `${word} sample`,
        fields: { sequence: 'ACGTACGT' },
      });
      const own = await getText(t, user, `/api/search/items.fasta?q=${word}`);
      expect(own.text).toContain(`>${sample.humanId}`);
      for (const url of [
        `/api/search/items.fasta?q=${word}`,
        `/api/exports/items.fasta?ids=${sample.id}`,
        `/api/exports/items.fasta?type=${type.id}`,
      ]) {
        const answer = await getText(t, outsider, url);
        expect(answer.status, url).toBe(200);
        expect(answer.text, url).toBe('');
      }
      const attempt = await postFasta(
        `/api/imports/fasta?type=${type.id}&dryRun=true`,
        `>${sample.humanId}\nAAAA\n`,
        outsider,
      );
      // The outsider's entry names nothing they may see: it would create a new item, not touch the sample.
      expect(attempt.body.valid).toBe(true);
      const created = await postFasta(
        `/api/imports/fasta?type=${type.id}`,
        `>${sample.humanId}\nAAAA\n`,
        outsider,
      );
      expect(created.body).toMatchObject({ created: 1, updated: 0 });
      expect((await callApi<Item>(t, user, 'GET', `/api/items/${sample.id}`)).body.fields).toEqual({
        sequence: 'ACGTACGT',
      });
    });
  });
});
