/** Request and response schemas of records. */
import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/common.schema.js';
import { RecordDocumentSchema } from './record-document.js';

/** The record's project, shown to those who may read the project (its members and admins). */
export const RecordProjectLinkSchema = Type.Object({ id: Type.String(), name: Type.String() });

/** A sample the record was made with, shown to those who may see the sample. */
export const RecordSampleLinkSchema = Type.Object({
  id: Type.String(),
  humanId: Type.Optional(Type.String()),
  name: Type.String(),
});

export const RecordSummarySchema = Type.Object({
  id: Type.String(),
  sessionIdentifier: Type.String(),
  instrument: Type.String(),
  title: Type.String(),
  user: Nullable(Type.String()),
  startedAt: Type.String(),
  endedAt: Type.String(),
  builtAt: Type.String(),
  project: Nullable(RecordProjectLinkSchema),
});
export type RecordSummary = Static<typeof RecordSummarySchema>;

export const RecordFileSchema = Type.Object({
  id: Type.String(),
  activity: Type.Integer(),
  path: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  contentType: Type.String(),
  modifiedAt: Type.String(),
  hasPreview: Type.Boolean(),
});

export const RecordSchema = Type.Object({
  ...RecordSummarySchema.properties,
  samples: Type.Array(RecordSampleLinkSchema),
  document: RecordDocumentSchema,
});
export type ExperimentRecord = Static<typeof RecordSchema>;

export const RecordsPageSchema = Type.Object({
  items: Type.Array(RecordSummarySchema),
  nextCursor: Nullable(Type.String()),
});

export const ListRecordsQuerySchema = Type.Object(
  {
    instrument: Type.Optional(Type.String({ maxLength: 100 })),
    user: Type.Optional(Type.String({ maxLength: 50 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    project: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "a project's id" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ListRecordsQuery = Static<typeof ListRecordsQuerySchema>;

export const ListSampleRecordsQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ListSampleRecordsQuery = Static<typeof ListSampleRecordsQuerySchema>;

export const RecordFileParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  fileId: Type.String({ minLength: 1, maxLength: 100 }),
});
