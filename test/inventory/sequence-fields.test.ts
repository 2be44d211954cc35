/**
 * Sequence fields: a type's sequence field needs an alphabet; an item's sequence is checked against its
 * IUPAC codes (the error names the first bad character and its position), stored without whitespace and
 * upper-cased, and never indexed as words by the text search.
 */
import { describe, expect, it } from 'vitest';
import type { Item, ItemType } from '../../src/modules/inventory/inventory.schema.js';
import { normalizeSequence } from '../../src/modules/inventory/sequence-alphabets.js';
import type { SearchResults } from '../../src/modules/search/search.schema.js';
import { dialectAvailable, dialects } from '../support/databases.js';
import { uniqueName } from '../support/factories.js';
import { buildItem, buildType, callApi, countRows } from '../support/inventory-factories.js';
import { useTestApp } from '../support/test-app.js';

interface FieldProblem {
  code: string;
  errors: { field: string; message: string }[];
}

function errorOf(result: ReturnType<typeof normalizeSequence>): string {
  return 'error' in result ? result.error : `no error: ${result.sequence}`;
}

describe('normalizeSequence', () => {
  it('strips whitespace, upper-cases, and names the first bad character by its residue position', () => {
    expect(normalizeSequence('dna', 'acgt nnRY\n-acg\r\n\tt')).toEqual({ sequence: 'ACGTNNRY-ACGT' });
    expect(normalizeSequence('rna', 'ACGU')).toEqual({ sequence: 'ACGU' });
    expect(normalizeSequence('protein', 'mkv* bzxjuo')).toEqual({ sequence: 'MKV*BZXJUO' });
    expect(normalizeSequence('dna', 'AC GU')).toEqual({
      error: "'U' at position 4 is not a DNA code (U is RNA; DNA has T): allowed are ACGTRYSWKMBDHVN-",
    });
    expect(errorOf(normalizeSequence('rna', 'ACGT'))).toMatch(/^'T' at position 4 /);
    expect(errorOf(normalizeSequence('protein', 'MK1'))).toMatch(/^'1' at position 3 /);
    // Upper-casing first would make 'ß' a valid "SS".
    expect(errorOf(normalizeSequence('protein', 'ß'))).toMatch(/^'ß' at position 1 /);
    expect(errorOf(normalizeSequence('dna', 'AC\u0000'))).toMatch(/^U\+0000 at position 3 /);
    expect(normalizeSequence('dna', ' \n')).toEqual({ sequence: '' });
  });
});

describe.each(dialects)('sequence fields on %s', (dialect) => {
  describe.skipIf(!dialectAvailable(dialect))('', () => {
    const t = useTestApp(dialect, { users: { user: 'user', staff: 'staff' } });
    const { user, staff } = t.users;

    async function sequenceType(): Promise<ItemType> {
      return buildType(t, {
        by: staff,
        name: uniqueName('construct '),
        class: 'virtual',
        fields: [
          { name: 'insert', kind: 'sequence', alphabet: 'dna' },
          { name: 'transcript', kind: 'sequence', alphabet: 'rna' },
          { name: 'product', kind: 'sequence', alphabet: 'protein' },
        ],
      });
    }

    it('defines a sequence field with an alphabet, and refuses one without (or an alphabet elsewhere)', async () => {
      const type = await sequenceType();
      expect(type.fields[0]).toEqual({ name: 'insert', kind: 'sequence', required: false, alphabet: 'dna' });
      const read = await callApi<ItemType>(t, user, 'GET', `/api/types/${type.id}`);
      expect(read.body.fields.map((field) => field.alphabet)).toEqual(['dna', 'rna', 'protein']);

      const types = await countRows(t, 'item_types');
      const bad = await callApi<FieldProblem>(t, staff, 'POST', '/api/types', {
        name: uniqueName('bad '),
        class: 'virtual',
        fields: [
          { name: 'seq', kind: 'sequence' },
          { name: 'label', kind: 'text', alphabet: 'dna' },
        ],
      });
      expect(bad.status).toBe(422);
      expect(bad.body.errors.map((error) => error.field).sort()).toEqual([
        'fields.0.alphabet',
        'fields.1.alphabet',
      ]);
      const unknown = await callApi(t, staff, 'POST', '/api/types', {
        name: uniqueName('bad '),
        class: 'virtual',
        fields: [{ name: 'seq', kind: 'sequence', alphabet: 'xna' }],
      });
      expect(unknown.status).toBe(400);
      expect(await countRows(t, 'item_types')).toBe(types);
    });

    it('stores a valid sequence normalized, and refuses a bad one naming the character and position', async () => {
      const type = await sequenceType();
      const item = await buildItem(t, user, {
        type: type.name,
        fields: { insert: 'atgc gtac\nNNRY', transcript: 'augc', product: 'mkv*' },
      });
      expect(item.fields).toEqual({ insert: 'ATGCGTACNNRY', transcript: 'AUGC', product: 'MKV*' });

      const items = await countRows(t, 'items');
      const bad = await callApi<FieldProblem>(t, user, 'POST', '/api/items', {
        type: type.name,
        name: 'Bad sequence',
        fields: { insert: 'ACGT\nACXT', transcript: 'ACGT', product: 42 },
      });
      expect(bad.status).toBe(422);
      const messages = new Map(bad.body.errors.map((error) => [error.field, error.message]));
      expect(messages.get('fields.insert')).toMatch(/^'X' at position 7 is not a DNA code/);
      expect(messages.get('fields.transcript')).toMatch(/^'T' at position 4 is not an RNA code/);
      expect(messages.get('fields.product')).toBe('must be a sequence written as text, not 42');
      expect(await countRows(t, 'items')).toBe(items);

      const patched = await callApi<Item>(t, user, 'PATCH', `/api/items/${item.id}`, {
        fields: { insert: 'gg cc' },
      });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body.fields.insert).toBe('GGCC');
      const badPatch = await callApi<FieldProblem>(t, user, 'PATCH', `/api/items/${item.id}`, {
        fields: { insert: 'GGEE' },
      });
      expect(badPatch.status).toBe(422);
      expect(badPatch.body.errors[0]?.field).toBe('fields.insert');
    });

    it('refuses a change of alphabet that existing sequences would not fit', async () => {
      const type = await sequenceType();
      await buildItem(t, user, { type: type.name, fields: { insert: 'ACGT' } });
      const change = await callApi<{ code: string }>(t, staff, 'PATCH', `/api/types/${type.id}`, {
        fields: type.fields.map((field) => (field.name === 'insert' ? { ...field, alphabet: 'rna' } : field)),
      });
      expect(change.status).toBe(409);
    });

    it('does not index sequences as words for the text search', async () => {
      const type = await sequenceType();
      const word = uniqueName('seqname').replace(/[^a-z]/g, '');
      const residues = 'ACGTTGCAACGTGGCCTTAAGGCATCGA';
      await buildItem(t, user, { type: type.name, name: `Construct ${word}`, fields: { insert: residues } });
      const byName = await callApi<SearchResults>(t, user, 'GET', `/api/search?q=${word}`);
      expect(byName.body.results).toHaveLength(1);
      const bySequence = await callApi<SearchResults>(t, user, 'GET', `/api/search?q=${residues}`);
      expect(bySequence.status).toBe(200);
      expect(bySequence.body.results).toEqual([]);
    });
  });
});
