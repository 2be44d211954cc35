/**
 * How the history panel reads an audit event (web/src/audit/audit-diff.ts), on the shapes the server records:
 * an item's audit view (items.service.ts), a move (hierarchy.service.ts), a sample row (samples.service.ts),
 * a file's row (item-files.service.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  attachedFile,
  auditRows,
  changedKeys,
  formatAuditValue,
  mergeHistories,
  movedPlaces,
} from '../../web/src/audit/audit-diff.js';

// The panel passes the inventory's humanizeFieldName; it lives in a .tsx file, which this (Node) project does
// not compile, so a recognisable stand-in shows which labels came from the field labeller.
const options = { fieldLabel: (name: string) => `field:${name}` };

const ITEM = 'item-1';
const tube = {
  id: ITEM,
  human_id: 'B-000042',
  class: 'physical',
  type_id: 'type-tube',
  name: 'Tube 42',
  parent_id: 'item-box',
  slot: 'B3',
  project_id: 'project-1',
  fields: { volume_ul: 40, sterile: true },
};

const labelsOf = (rows: ReturnType<typeof auditRows>) => rows.map((row) => row.label);

describe('audit rows', () => {
  it('reads a created item under labels, without noise, fields expanded and references marked', () => {
    const rows = auditRows(null, tube, options);
    expect(labelsOf(rows)).toEqual([
      'ID',
      'Type',
      'Name',
      'Location',
      'Slot',
      'Project',
      'field:volume_ul',
      'field:sterile',
    ]);
    expect(rows.every((row) => row.before === undefined)).toBe(true);
    expect(rows.find((row) => row.key === 'type_id')).toMatchObject({
      reference: 'type',
      after: 'type-tube',
    });
    expect(rows.find((row) => row.key === 'parent_id')).toMatchObject({
      reference: 'item',
      after: 'item-box',
    });
    expect(rows.find((row) => row.key === 'project_id')).toMatchObject({ reference: 'project' });
    expect(rows.find((row) => row.key === 'fields.volume_ul')).toMatchObject({ kind: 'text', after: 40 });
    expect(rows.find((row) => row.key === 'fields.sterile')).toMatchObject({ kind: 'yes-no', after: true });
    expect(rows.find((row) => row.key === 'name')?.reference).toBeUndefined();
  });

  it('reads an update as the changed keys and fields only, a new hidden flag as No → Yes', () => {
    // Keys in the order the server writes them; rows keep that order though `hidden` is new in "after".
    const { parent_id, slot, project_id, fields } = tube;
    const head = { id: ITEM, human_id: 'B-000042', class: 'physical', type_id: 'type-tube', name: 'Tube 42' };
    const before = { ...head, description: 'old stock', parent_id, slot, project_id, fields };
    const after = {
      ...head,
      hidden: 1,
      parent_id,
      slot,
      project_id,
      fields: { volume_ul: 35, sterile: true },
    };
    const rows = auditRows(before, after, options);
    expect(rows).toEqual([
      { key: 'description', label: 'Description', kind: 'text', before: 'old stock', after: undefined },
      { key: 'hidden', label: 'Hidden', kind: 'yes-no', before: false, after: 1 },
      { key: 'fields.volume_ul', label: 'field:volume_ul', kind: 'text', before: 40, after: 35 },
    ]);
  });

  it('reads a deletion as the item it was', () => {
    const rows = auditRows(tube, null, options);
    expect(rows.map((row) => row.key)).toContain('human_id');
    expect(rows.every((row) => row.after === undefined)).toBe(true);
    expect(rows.find((row) => row.key === 'hidden')).toBeUndefined();
  });

  it('reads a sample status change as one Status row (the stamps are noise)', () => {
    const sample = {
      item_id: ITEM,
      project_id: 'project-1',
      collection_date: null,
      status: 'received',
      created_at: '2025-03-01T10:00:00.000Z',
      updated_at: '2025-03-01T10:00:00.000Z',
    };
    const rows = auditRows(
      sample,
      { ...sample, status: 'in_analysis', updated_at: '2025-03-02T09:00:00.000Z' },
      options,
    );
    expect(rows).toEqual([
      { key: 'status', label: 'Status', kind: 'choice', before: 'received', after: 'in_analysis' },
    ]);
    expect(formatAuditValue(rows[0]?.after, rows[0]?.kind)).toBe('In analysis');
  });

  it('labels camelCase keys like their snake_case spelling', () => {
    const rows = auditRows({ parentId: 'item-box', slot: 'A1' }, { parentId: null, slot: null }, options);
    expect(rows).toEqual([
      {
        key: 'parentId',
        label: 'Location',
        kind: 'text',
        reference: 'item',
        before: 'item-box',
        after: null,
      },
      { key: 'slot', label: 'Slot', kind: 'text', before: 'A1', after: null },
    ]);
    expect(labelsOf(auditRows(null, { createdAt: 'x', managerId: 'user-1' }, options))).toEqual(['Manager']);
  });

  it('keeps unknown keys, raw and after the known ones, and non-object fields as one row', () => {
    const rows = auditRows(
      { grid_rows: 8, fields: [{ name: 'volume_ul' }] },
      { grid_rows: 9, fields: [{ name: 'volume_ul' }, { name: 'sterile' }] },
      options,
    );
    expect(rows.map((row) => [row.key, row.label])).toEqual([
      ['fields', 'Fields'],
      ['grid_rows', 'grid_rows'],
    ]);
  });
});

describe('changed keys', () => {
  it('tells an absent key from a null one and skips equal values', () => {
    expect(changedKeys({ a: 1, b: null, c: [1] }, { a: 1, c: [1], d: null })).toEqual([
      { key: 'b', before: null, after: undefined },
      { key: 'd', before: undefined, after: null },
    ]);
    expect(changedKeys('x', 'y')).toEqual([{ key: 'value', before: 'x', after: 'y' }]);
    expect(changedKeys(null, null)).toEqual([]);
  });
});

describe('moved places', () => {
  it('reads a move between containers and to the top level', () => {
    expect(movedPlaces({ parentId: 'box-7', slot: 'A1' }, { parentId: 'box-8', slot: 'C4' })).toEqual({
      from: { parentId: 'box-7', slot: 'A1' },
      to: { parentId: 'box-8', slot: 'C4' },
    });
    expect(movedPlaces({ parentId: 'box-7', slot: null }, { parentId: null })).toEqual({
      from: { parentId: 'box-7', slot: null },
      to: { parentId: null, slot: null },
    });
  });

  it('is null for anything that is not a place on both sides', () => {
    expect(movedPlaces(null, { parentId: 'box-8', slot: null })).toBeNull();
    expect(movedPlaces({ parentId: 7 }, { parentId: 'box-8' })).toBeNull();
    expect(movedPlaces(tube, tube)).toBeNull();
  });
});

describe('audit values', () => {
  it('reads flags as Yes/No, null as none, choices as words, other values as recorded', () => {
    expect(formatAuditValue(1, 'yes-no')).toBe('Yes');
    expect(formatAuditValue(false, 'yes-no')).toBe('No');
    expect(formatAuditValue(true)).toBe('Yes');
    expect(formatAuditValue(null)).toBe('none');
    expect(formatAuditValue('')).toBe('none');
    expect(formatAuditValue(undefined)).toBe('');
    expect(formatAuditValue('on_hold', 'choice')).toBe('On hold');
    expect(formatAuditValue('in_analysis')).toBe('in_analysis');
    expect(formatAuditValue(35)).toBe('35');
    expect(formatAuditValue({ a: 1 })).toBe('{"a":1}');
  });
});

describe('attached files', () => {
  const fileRow = {
    id: 'file-1',
    item_id: ITEM,
    name: 'foo.fasta',
    content_type: 'text/plain',
    size: 12_345,
    sha256: 'ab'.repeat(32),
    storage_name: '2026/12/file-1.txt',
    created_at: '2026-12-02T10:00:00.000Z',
    created_by: 'user-1',
  };
  const event = { entityType: 'item_file', entityId: 'file-1', action: 'create', after: fileRow };

  it("reads a file's creation as its attachment, with its name and size", () => {
    expect(attachedFile(event)).toEqual({ id: 'file-1', name: 'foo.fasta', size: 12_345 });
    // A bigint read back as text still counts as a size; a missing one is unknown, not zero.
    expect(attachedFile({ ...event, after: { ...fileRow, size: '2048' } })?.size).toBe(2048);
    expect(attachedFile({ ...event, after: { name: 'x.txt' } })?.size).toBeNull();
  });

  it('is null for any other event', () => {
    expect(attachedFile({ ...event, entityType: 'item' })).toBeNull();
    expect(attachedFile({ ...event, action: 'delete' })).toBeNull();
    expect(attachedFile({ ...event, after: null })).toBeNull();
  });
});

describe('merged histories', () => {
  const ids = (events: { id: number }[]) => events.map((event) => event.id);

  it("puts related events among the entity's own, newest first, each once", () => {
    expect(
      ids(mergeHistories([{ id: 9 }, { id: 4 }, { id: 1 }], [{ id: 7 }, { id: 2 }, { id: 4 }], true)),
    ).toEqual([9, 7, 4, 2, 1]);
    expect(ids(mergeHistories([], [{ id: 3 }], true))).toEqual([3]);
  });

  it('holds back related events older than the loaded pages until those pages come', () => {
    expect(ids(mergeHistories([{ id: 9 }, { id: 5 }], [{ id: 7 }, { id: 2 }], false))).toEqual([9, 7, 5]);
  });
});
