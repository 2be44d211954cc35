/** Request and response schemas of bulk import and export: CSV bodies, import reports, bionet entries. */
import { Type, type Static } from 'typebox';
import { FieldErrorSchema, Nullable, ProblemSchema } from '../../http/common.schema.js';
import { ListItemsQuerySchema } from '../inventory/inventory.schema.js';
import { ListSamplesQuerySchema } from '../samples/samples.schema.js';

export const ImportProblemSchema = Type.Object({
  row: Type.Integer({
    description:
      'the row as a spreadsheet numbers it (header = 1, first data row = 2); for JSON the entry, from 1',
  }),
  column: Type.Optional(Type.String({ description: "the column's header as written in the file" })),
  field: Type.String({
    description: '`type`, `parent`, `slot`, `fields.volume_ul`, … (`file`: the whole file)',
  }),
  message: Type.String(),
});

export const ImportWarningSchema = Type.Object({
  row: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.String()),
  message: Type.String(),
});

export const ImportReportSchema = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer({ description: 'data rows (or entries) read; blank rows are not counted' }),
  valid: Type.Boolean(),
  created: Type.Integer(),
  updated: Type.Optional(
    Type.Integer({ description: 'existing items changed (FASTA imports update the items they name)' }),
  ),
  invalidRows: Type.Integer(),
  errors: Type.Array(ImportProblemSchema, {
    description: 'every bad row by number and reason (the first 1,000)',
  }),
  moreErrors: Type.Integer({ description: 'problems beyond the listed ones' }),
  warnings: Type.Array(ImportWarningSchema),
  items: Type.Optional(
    Type.Array(Type.Object({ row: Type.Integer(), id: Type.String(), humanId: Type.String() }), {
      description: 'what was created, by row (the first 1,000)',
    }),
  ),
  moreItems: Type.Optional(Type.Integer()),
});

/**
 * A refused import: the problem document lists the bad rows as the dry run does; a request refused before
 * its rows are read (a bad `map`, text that cannot be stored in a JSON body) names fields instead.
 */
export const ImportProblemDocumentSchema = Type.Object(
  {
    ...ProblemSchema.properties,
    errors: Type.Optional(Type.Array(Type.Union([ImportProblemSchema, FieldErrorSchema]))),
  },
  {
    description:
      'RFC 9457 problem document; `errors` lists the bad rows, or the bad fields of a request refused before any row was read',
  },
);

export const CsvBodySchema = Type.String({
  description:
    'CSV (comma, semicolon or tab separated; UTF-8): a header row naming the columns, then one row per item',
});

export const CsvImportQuerySchema = Type.Object(
  {
    dryRun: Type.Optional(
      Type.Boolean({ default: false, description: 'check every row and report; write nothing' }),
    ),
    map: Type.Optional(
      Type.String({
        maxLength: 20_000,
        description:
          'JSON object mapping headers to targets, e.g. {"Volume (µl)":"fields.volume_ul","Box":"parent","Notes":"ignore"}',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CsvImportQuery = Static<typeof CsvImportQuerySchema>;

export const FastaBodySchema = Type.String({
  description: 'FASTA (UTF-8): `>id description` header lines, each followed by its sequence',
});

const SequenceFieldNameSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[a-z][a-z0-9_]*$',
  description: 'a sequence field of the type',
});

export const FastaImportQuerySchema = Type.Object(
  {
    dryRun: Type.Optional(
      Type.Boolean({ default: false, description: 'check every entry and report; write nothing' }),
    ),
    type: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'type (name or id) of the items created for entries that name no existing item',
      }),
    ),
    field: Type.Optional(SequenceFieldNameSchema),
    parent: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'where new physical items are put' }),
    ),
  },
  { additionalProperties: false },
);

/** The filters of GET /api/items (the export pages through that list itself). */
export const ItemsCsvQuerySchema = Type.Omit(ListItemsQuerySchema, ['limit', 'cursor', 'deleted'], {
  additionalProperties: false,
});

export const ItemsFastaQuerySchema = Type.Object(
  {
    ...Type.Omit(ListItemsQuerySchema, ['limit', 'cursor', 'deleted', 'sort']).properties,
    ids: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200_000,
        description: 'a selection: comma-separated item ids, exported in this order (no other filter then)',
      }),
    ),
    field: Type.Optional(SequenceFieldNameSchema),
  },
  { additionalProperties: false },
);

export const FastaTextSchema = Type.String({ description: 'FASTA text' });

export const SamplesCsvQuerySchema = Type.Omit(ListSamplesQuerySchema, ['limit', 'cursor'], {
  additionalProperties: false,
});

export const SubtreeCsvQuerySchema = Type.Object(
  { includeHidden: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);

export const CsvTextSchema = Type.String({ description: 'text/csv' });

export const BionetStampSchema = Type.Object({
  at: Type.Number({ description: 'seconds since the epoch (milliseconds as the fraction)' }),
  by: Nullable(Type.String({ description: 'user id' })),
});

export const BionetEntrySchema = Type.Object(
  {
    key: Type.String({ description: '`v-<uuid>` (virtual) or `p-<uuid>` (physical)' }),
    value: Type.Object(
      {
        id: Type.String(),
        type: Type.String(),
        name: Type.String(),
        description: Type.String(),
        files: Type.Array(
          Type.Object({ fileName: Type.String(), fileType: Type.String(), name: Type.String() }),
        ),
        created: BionetStampSchema,
        updated: BionetStampSchema,
        canHavePhysicals: Type.Optional(Type.Boolean({ description: 'virtuals' })),
        hidden: Type.Optional(Type.Boolean({ description: 'physicals' })),
        virtual_id: Type.Optional(Nullable(Type.String())),
        barcode: Type.Optional(Nullable(Type.String())),
        parent_id: Type.Optional(Nullable(Type.String())),
        locationInParent: Type.Optional(Type.Object({ slot: Type.Optional(Type.String()) })),
      },
      {
        additionalProperties: true,
        description:
          "bionet bioDB value; the type's fields are further top-level keys (under `fields` when a name clashes)",
      },
    ),
  },
  { description: 'a bionet bioDB entry' },
);

export const BionetExportQuerySchema = Type.Object(
  {
    root: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'export only this subtree' }),
    ),
  },
  { additionalProperties: false },
);

export const BionetImportQuerySchema = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean({ default: false })),
    createTypes: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'create unknown types with text fields (admins and staff); otherwise they are errors',
      }),
    ),
  },
  { additionalProperties: false },
);

export const BionetImportBodySchema = Type.Array(Type.Unknown(), {
  description: 'bionet bioDB entries ({key, value}), as GET /api/exports/bionet.json writes them',
});
