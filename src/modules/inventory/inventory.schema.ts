/** Request and response schemas of the inventory: item types, items, the hierarchy and moves. */
import { Type, type Static, type TSchema } from 'typebox';
import { MAX_GRID_COLUMNS, MAX_GRID_ROWS } from './grid-slots.js';
import { MAX_BARCODE, MAX_ITEM_DESCRIPTION, MAX_ITEM_NAME } from './item-limits.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ItemClassSchema = Type.Union([Type.Literal('virtual'), Type.Literal('physical')]);
export type ItemClass = Static<typeof ItemClassSchema>;
export const FieldKindSchema = Type.Union([
  Type.Literal('text'),
  Type.Literal('number'),
  Type.Literal('date'),
  Type.Literal('boolean'),
  Type.Literal('choice'),
  Type.Literal('sequence'),
]);
export const SequenceAlphabetSchema = Type.Union(
  [Type.Literal('dna'), Type.Literal('rna'), Type.Literal('protein')],
  { description: 'sequence fields only: IUPAC codes of DNA, RNA or protein' },
);

export const UserRefSchema = Type.Object({ id: Type.String(), username: Type.String() });
/** When and by whom (null: the system) something was created or last changed. */
export const StampSchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  by: Nullable(UserRefSchema),
});

export const FieldDefinitionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: 'lower_snake_case' }),
    kind: FieldKindSchema,
    required: Type.Optional(Type.Boolean({ default: false })),
    options: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        maxItems: 200,
        description: 'choice fields only',
      }),
    ),
    alphabet: Type.Optional(SequenceAlphabetSchema),
  },
  { additionalProperties: false },
);

export const GridSchema = Type.Object(
  {
    rows: Type.Integer({ minimum: 1, maximum: MAX_GRID_ROWS, description: 'rows are lettered A, B, …' }),
    columns: Type.Integer({
      minimum: 1,
      maximum: MAX_GRID_COLUMNS,
      description: 'columns are numbered from 1',
    }),
  },
  { additionalProperties: false },
);

export const ItemTypeSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  class: ItemClassSchema,
  /** Physical types: every item must be an instance of a virtual (bionet's `virtual: true`). */
  virtual: Type.Boolean(),
  fields: Type.Array(
    Type.Object({
      name: Type.String(),
      kind: FieldKindSchema,
      required: Type.Boolean(),
      options: Type.Optional(Type.Array(Type.String())),
      alphabet: Type.Optional(SequenceAlphabetSchema),
    }),
  ),
  grid: Nullable(Type.Object({ rows: Type.Integer(), columns: Type.Integer() })),
  builtin: Type.Boolean(),
  created: StampSchema,
  updated: StampSchema,
});
export type ItemType = Static<typeof ItemTypeSchema>;

const TypeName = Type.String({ minLength: 1, maxLength: 100 });

export const CreateItemTypeSchema = Type.Object(
  {
    name: TypeName,
    class: ItemClassSchema,
    fields: Type.Optional(Type.Array(FieldDefinitionSchema, { maxItems: 100 })),
    virtual: Type.Optional(Type.Boolean({ description: 'physical types only' })),
    grid: Type.Optional(Nullable(GridSchema)),
  },
  { additionalProperties: false },
);
export type CreateItemType = Static<typeof CreateItemTypeSchema>;

export const UpdateItemTypeSchema = Type.Object(
  {
    name: Type.Optional(TypeName),
    class: Type.Optional(ItemClassSchema),
    fields: Type.Optional(Type.Array(FieldDefinitionSchema, { maxItems: 100 })),
    virtual: Type.Optional(Type.Boolean()),
    grid: Type.Optional(Nullable(GridSchema)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateItemType = Static<typeof UpdateItemTypeSchema>;

export const ListItemTypesQuerySchema = Type.Object(
  { class: Type.Optional(ItemClassSchema) },
  { additionalProperties: false },
);

const FieldValuesSchema = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
);
/** Values as sent: checked against the item's type by the service (so errors name the field). */
export const FieldValuesInputSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: 'type-specific values',
});

export const ItemSchema = Type.Object({
  id: Type.String({ description: 'v-<uuid> (virtual) or p-<uuid> (physical)' }),
  humanId: Type.String({ description: 'P-000123 / V-000045' }),
  class: ItemClassSchema,
  type: Type.Object({ id: Type.String(), name: Type.String() }),
  name: Type.String(),
  description: Type.String(),
  fields: FieldValuesSchema,
  hidden: Type.Boolean(),
  virtualId: Nullable(Type.String()),
  barcode: Nullable(Type.String()),
  parentId: Nullable(
    Type.String({
      description: "the container; '' for one the caller may not see (another project's sample)",
    }),
  ),
  slot: Nullable(Type.String()),
  projectId: Nullable(Type.String()),
  created: StampSchema,
  updated: StampSchema,
  deletedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type Item = Static<typeof ItemSchema>;

/** No minLength: an empty or blank name is the item rules' "is empty", as in an import. */
export const ItemNameSchema = Type.String({ maxLength: MAX_ITEM_NAME });
export const ItemDescriptionSchema = Type.String({ maxLength: MAX_ITEM_DESCRIPTION });
/**
 * A barcode or null as one schema (`type: ['string', 'null']`, OpenAPI 3.1) rather than a union, so that a
 * barcode too long is one error naming the limit, as the item rules word it, not one per branch.
 */
export const NullableBarcodeSchema = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  minLength: 1,
  maxLength: MAX_BARCODE,
});
export const SlotSchema = Type.String({
  minLength: 1,
  maxLength: 10,
  description: 'a grid slot of the parent, e.g. B7',
});
export const ItemIdSchema = Type.String({ minLength: 1, maxLength: 200 });

export const CreateItemSchema = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 100, description: 'type name or id' }),
    name: ItemNameSchema,
    description: Type.Optional(ItemDescriptionSchema),
    fields: Type.Optional(FieldValuesInputSchema),
    virtualId: Type.Optional(Nullable(ItemIdSchema)),
    parentId: Type.Optional(Nullable(ItemIdSchema)),
    slot: Type.Optional(Nullable(SlotSchema)),
    barcode: Type.Optional(NullableBarcodeSchema),
    hidden: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateItem = Static<typeof CreateItemSchema>;

export const UpdateItemSchema = Type.Object(
  {
    name: Type.Optional(ItemNameSchema),
    description: Type.Optional(ItemDescriptionSchema),
    fields: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'merged into the current values; null removes one',
      }),
    ),
    virtualId: Type.Optional(Nullable(ItemIdSchema)),
    barcode: Type.Optional(NullableBarcodeSchema),
    hidden: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateItem = Static<typeof UpdateItemSchema>;

export const ItemSortSchema = Type.Union([
  Type.Literal('humanId'),
  Type.Literal('-humanId'),
  Type.Literal('name'),
  Type.Literal('-name'),
]);
export type ItemSort = Static<typeof ItemSortSchema>;

export const ListItemsQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'type name or id' })),
    class: Type.Optional(ItemClassSchema),
    parent: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'an item id, or `root`' }),
    ),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'substring of name, human id or barcode' })),
    instanceOf: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "a virtual item's id: only its instances" }),
    ),
    project: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          "a project id: only that project's samples; `none`: only items no project owns (the lab's inventory)",
      }),
    ),
    includeHidden: Type.Optional(Type.Boolean({ default: false })),
    deleted: Type.Optional(Type.Boolean({ default: false, description: 'list only soft-deleted items' })),
    sort: Type.Optional(ItemSortSchema),
  },
  { additionalProperties: false },
);
export type ListItemsQuery = Static<typeof ListItemsQuerySchema>;

export const ItemsPageSchema = Type.Object({
  items: Type.Array(ItemSchema),
  nextCursor: Nullable(Type.String()),
});

export const MoveItemSchema = Type.Object(
  { parentId: Nullable(ItemIdSchema), slot: Type.Optional(Nullable(SlotSchema)) },
  { additionalProperties: false },
);
export type MoveItem = Static<typeof MoveItemSchema>;

export const BulkMoveSchema = Type.Object(
  {
    moves: Type.Array(
      Type.Object(
        { itemId: ItemIdSchema, parentId: Nullable(ItemIdSchema), slot: Type.Optional(Nullable(SlotSchema)) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
export type BulkMove = Static<typeof BulkMoveSchema>;

/** A step of a path; a container the caller may not see has '' for id, human id and type, name '(restricted)'. */
export const PathEntrySchema = Type.Object({
  id: Type.String(),
  humanId: Type.String(),
  name: Type.String(),
  type: Type.Object({ id: Type.String(), name: Type.String() }),
  slot: Nullable(Type.String()),
  depth: Type.Integer({ description: '0 for the item itself, 1 for its parent, …' }),
});
export type PathEntry = Static<typeof PathEntrySchema>;

export const SlotOccupantSchema = Type.Object({
  itemId: Type.String(),
  humanId: Type.String(),
  name: Type.String(),
});

export const ChildrenQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
    includeHidden: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const ChildrenSchema = Type.Object({
  items: Type.Array(ItemSchema),
  nextCursor: Nullable(Type.String()),
  /** Containers with a grid: every occupied slot (hidden items too) and the free ones. */
  grid: Nullable(
    Type.Object({
      rows: Type.Integer(),
      columns: Type.Integer(),
      occupancy: Type.Record(Type.String(), SlotOccupantSchema),
      freeSlots: Type.Array(Type.String()),
    }),
  ),
});
export type Children = Static<typeof ChildrenSchema>;

export const DescendantsQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    includeHidden: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const DescendantSchema = Type.Object({ ...ItemSchema.properties, depth: Type.Integer() });
export type Descendant = Static<typeof DescendantSchema>;

export const DescendantsPageSchema = Type.Object({
  items: Type.Array(DescendantSchema),
  nextCursor: Nullable(Type.String()),
});

export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) });
