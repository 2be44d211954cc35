/** Request and response schemas of samples: physical items owned by a project, with a lifecycle. */
import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/common.schema.js';
import { SAMPLE_STATUSES } from './sample-lifecycle.js';
import { AuditEventSchema } from '../history/history.schema.js';
import {
  FieldValuesInputSchema,
  ItemDescriptionSchema,
  ItemIdSchema,
  ItemNameSchema,
  ItemSchema,
  NullableBarcodeSchema,
  PathEntrySchema,
  SlotSchema,
} from '../inventory/inventory.schema.js';

export const SampleStatusSchema = Type.Enum(SAMPLE_STATUSES, {
  description:
    'The lifecycle: registered → received → stored ⇄ in_analysis → consumed or disposed; disposed from any live state; consumed and disposed are final. Each sample lists the statuses it may move to in `nextStatuses`.',
});

export const SampleSchema = Type.Object({
  /** The item's id: `p-<uuid>`. */
  id: Type.String(),
  humanId: Type.String(),
  projectId: Type.String(),
  name: Type.String(),
  type: Type.Object({ id: Type.String(), name: Type.String() }),
  collectionDate: Nullable(Type.String()),
  status: SampleStatusSchema,
  /** The statuses this sample may move to next (empty once consumed or disposed). */
  nextStatuses: Type.Array(SampleStatusSchema),
  barcode: Nullable(Type.String()),
  parentId: Nullable(Type.String()),
  slot: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Sample = Static<typeof SampleSchema>;

export const SampleDetailSchema = Type.Object({
  ...SampleSchema.properties,
  /** The whole inventory item: description, fields, created/updated stamps. */
  item: ItemSchema,
  /** Where it is: root → … → parent → the sample. */
  location: Type.Array(PathEntrySchema),
  files: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      contentType: Type.String(),
      size: Type.Integer(),
      sha256: Type.String(),
    }),
  ),
  history: Type.Array(AuditEventSchema),
});
export type SampleDetail = Static<typeof SampleDetailSchema>;

const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const CreateSampleSchema = Type.Object(
  {
    projectId: Type.String({ minLength: 1, maxLength: 200 }),
    name: ItemNameSchema,
    type: Type.String({ minLength: 1, maxLength: 100, description: 'a physical item type, by name or id' }),
    collectionDate: Type.Optional(Nullable(DateOnly)),
    description: Type.Optional(ItemDescriptionSchema),
    fields: Type.Optional(FieldValuesInputSchema),
    parentId: Type.Optional(Nullable(ItemIdSchema)),
    slot: Type.Optional(Nullable(SlotSchema)),
    barcode: Type.Optional(NullableBarcodeSchema),
    status: Type.Optional(SampleStatusSchema),
  },
  { additionalProperties: false },
);
export type CreateSample = Static<typeof CreateSampleSchema>;

export const UpdateSampleSchema = Type.Object(
  {
    status: Type.Optional(SampleStatusSchema),
    collectionDate: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSample = Static<typeof UpdateSampleSchema>;

export const ListSamplesQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
    status: Type.Optional(SampleStatusSchema),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'type name or id' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'substring of name, human id or barcode' })),
  },
  { additionalProperties: false },
);
export type ListSamplesQuery = Static<typeof ListSamplesQuerySchema>;

/** A sample as the project's list shows it: with its container by human id and name. */
export const SampleListItemSchema = Type.Object({
  ...SampleSchema.properties,
  /**
   * The container; null when there is none, or when it is another project's sample and the caller is not
   * in that project (then parentId is '' too, as elsewhere for a restricted container).
   */
  parent: Nullable(Type.Object({ id: Type.String(), humanId: Type.String(), name: Type.String() })),
});
export type SampleListItem = Static<typeof SampleListItemSchema>;

export const SamplesPageSchema = Type.Object({
  items: Type.Array(SampleListItemSchema),
  nextCursor: Nullable(Type.String()),
});
