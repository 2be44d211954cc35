/**
 * The built-in plasmid and primer types' `sequence` fields become DNA sequence fields (they were text before
 * sequences were a field kind), so that their sequences are checked and mirrored in the BLAST database. A
 * lab whose stored values are not all DNA keeps its text field: nothing is guessed or lost. Values are stored
 * as sequence fields store them (upper-case, no whitespace), and the items wait for the BLAST upkeep.
 */
import { sql } from 'kysely';
import { normalizeSequence } from '../../modules/inventory/sequence-alphabets.js';
import type { Migration } from '../migrate.js';

interface StoredField {
  name: string;
  kind: string;
  required: boolean;
}

export const dnaSequences: Migration = {
  name: '0015-dna-sequences',
  async up(db) {
    const types = await sql<{ id: string; fields: string }>`select id, fields from item_types
      where builtin = 1 and name in ('plasmid', 'primer')`.execute(db);
    const now = new Date().toISOString();
    for (const type of types.rows) {
      const fields = JSON.parse(type.fields) as StoredField[];
      if (!fields.some((field) => field.name === 'sequence' && field.kind === 'text')) continue;
      const items = await sql<{ id: string; fields: string; deleted_at: string | null }>`
        select id, fields, deleted_at from items where type_id = ${type.id}`.execute(db);
      const changed: { id: string; fields: string }[] = [];
      const withSequence: string[] = [];
      let allDna = true;
      for (const item of items.rows) {
        const values = JSON.parse(item.fields) as Record<string, unknown>;
        const value = values.sequence;
        if (value === undefined || value === null) continue;
        const normalized = typeof value === 'string' ? normalizeSequence('dna', value) : null;
        if (normalized === null || 'error' in normalized) {
          allDna = false;
          break;
        }
        if (normalized.sequence !== value) {
          changed.push({ id: item.id, fields: JSON.stringify({ ...values, sequence: normalized.sequence }) });
        }
        if (item.deleted_at === null && normalized.sequence !== '') withSequence.push(item.id);
      }
      if (!allDna) continue;
      const sequenceFields = fields.map((field) =>
        field.name === 'sequence' && field.kind === 'text'
          ? { ...field, kind: 'sequence', alphabet: 'dna' }
          : field,
      );
      await sql`update item_types set fields = ${JSON.stringify(sequenceFields)}, updated_at = ${now}
        where id = ${type.id}`.execute(db);
      for (const item of changed) {
        await sql`update items set fields = ${item.fields} where id = ${item.id}`.execute(db);
      }
      for (const itemId of withSequence) {
        await sql`insert into blast_pending (item_id, created_at) values (${itemId}, ${now})`.execute(db);
      }
    }
  },
};
