/** Request and response schemas of analyses, their jobs and files, and the analysis type registry. */
import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/common.schema.js';
import {
  AnalysisTypeDefinitionSchema,
  AnalysisTypeInputsSchema,
  AnalysisTypeOutputSchema,
  AnalysisTypeResourcesSchema,
} from './analysis-type-definition.js';

const DateTime = Type.String({ format: 'date-time' });

export const AnalysisTypeSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  version: Type.String(),
  description: Type.String(),
  command: Type.Array(Type.String()),
  /** The parameters' JSON Schema, as declared. */
  parameters: Type.Record(Type.String(), Type.Unknown()),
  inputs: AnalysisTypeInputsSchema,
  outputs: Type.Array(AnalysisTypeOutputSchema),
  stdoutTo: Nullable(Type.String()),
  resources: AnalysisTypeResourcesSchema,
  toolVersions: Type.Record(Type.String(), Type.Array(Type.String())),
  origin: Type.Union([Type.Literal('builtin'), Type.Literal('file'), Type.Literal('api')]),
  createdAt: DateTime,
});
export type AnalysisType = Static<typeof AnalysisTypeSchema>;

export const AnalysisTypesListSchema = Type.Object({ items: Type.Array(AnalysisTypeSchema) });
export const CreateAnalysisTypeSchema = AnalysisTypeDefinitionSchema;

export const AnalysisStatusSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('queued'),
  Type.Literal('submitted'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);
export const JobStatusSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('submitted'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

export const AnalysisFileSchema = Type.Object({
  id: Type.String(),
  /** The declared output it answers. */
  output: Type.String(),
  name: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  createdAt: DateTime,
});
export type AnalysisFile = Static<typeof AnalysisFileSchema>;

export const JobProvenanceSchema = Type.Object({
  type: Type.Object({ name: Type.String(), version: Type.String() }),
  /** The exact argument vector the job ran. */
  argv: Type.Array(Type.String()),
  params: Type.Record(Type.String(), Type.Unknown()),
  inputs: Type.Array(
    Type.Object({ fileId: Type.String(), name: Type.String(), sha256: Type.String(), size: Type.Integer() }),
  ),
  /** Tool → the version line the job printed; empty until the job has run. */
  toolVersions: Type.Record(Type.String(), Type.String()),
});

export const JobSchema = Type.Object({
  id: Type.String(),
  attempt: Type.Integer({ minimum: 1 }),
  resourceId: Type.String(),
  status: JobStatusSchema,
  /** The scheduler's own word: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, OUT_OF_MEMORY, CANCELLED, … */
  schedulerState: Nullable(Type.String()),
  /** The scheduler's job id. */
  externalId: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  exitCode: Nullable(Type.Integer()),
  queuedAt: DateTime,
  submittedAt: Nullable(DateTime),
  startedAt: Nullable(DateTime),
  endedAt: Nullable(DateTime),
  cpuSeconds: Nullable(Type.Number()),
  peakMemoryBytes: Nullable(Type.Integer()),
  stdoutTail: Nullable(Type.String()),
  stderrTail: Nullable(Type.String()),
  cancelRequestedAt: Nullable(DateTime),
  provenance: JobProvenanceSchema,
  outputs: Type.Array(AnalysisFileSchema),
});
export type Job = Static<typeof JobSchema>;

const AnalysisFields = {
  id: Type.String(),
  projectId: Type.String(),
  sampleId: Type.String(),
  sampleName: Type.String(),
  analysisType: Type.Object({ name: Type.String(), version: Type.String() }),
  params: Type.Record(Type.String(), Type.Unknown()),
  status: AnalysisStatusSchema,
  resource: Type.Object({ id: Type.String(), name: Type.String() }),
  requestedBy: Nullable(Type.Object({ id: Type.String(), username: Type.String() })),
  /** The seed's SubmissionDate: when the analysis was asked for. */
  submittedAt: DateTime,
  /** The seed's CompletionDate. */
  completedAt: Nullable(DateTime),
  /** The seed's ResultPath: where the outputs are listed, once there are any. */
  resultPath: Nullable(Type.String()),
  updatedAt: DateTime,
};

/** An analysis in a list: its fields and the current job's state, without logs or provenance. */
export const AnalysisSummarySchema = Type.Object({
  ...AnalysisFields,
  job: Nullable(
    Type.Object({
      id: Type.String(),
      attempt: Type.Integer(),
      status: JobStatusSchema,
      externalId: Nullable(Type.String()),
      queuedAt: DateTime,
      startedAt: Nullable(DateTime),
      endedAt: Nullable(DateTime),
    }),
  ),
});
export type AnalysisSummary = Static<typeof AnalysisSummarySchema>;

export const AnalysisSchema = Type.Object({
  ...AnalysisFields,
  /** The current attempt. */
  job: Nullable(JobSchema),
  /** Earlier attempts, newest first. */
  attempts: Type.Array(JobSchema),
  files: Type.Array(AnalysisFileSchema),
});
export type Analysis = Static<typeof AnalysisSchema>;

const Params = Type.Record(Type.String(), Type.Unknown(), {
  description: "Checked against the type's parameter schema; unknown parameters are refused",
});

export const CreateAnalysisSchema = Type.Object(
  {
    sampleId: Type.String({ minLength: 1, maxLength: 100 }),
    analysisType: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'A type name (its latest version)',
    }),
    params: Type.Optional(Params),
    resourceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type CreateAnalysis = Static<typeof CreateAnalysisSchema>;

export const CreateAnalysesBatchSchema = Type.Object(
  {
    sampleIds: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 1000 }),
    analysisType: Type.String({ minLength: 1, maxLength: 64 }),
    params: Type.Optional(Params),
    resourceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type CreateAnalysesBatch = Static<typeof CreateAnalysesBatchSchema>;

export const AnalysesBatchSchema = Type.Object({ items: Type.Array(AnalysisSummarySchema) });

export const ListAnalysesQuerySchema = Type.Object(
  {
    projectId: Type.Optional(Type.String({ maxLength: 100 })),
    sampleId: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(AnalysisStatusSchema),
    type: Type.Optional(Type.String({ maxLength: 64 })),
    resourceId: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ListAnalysesQuery = Static<typeof ListAnalysesQuerySchema>;

export const AnalysesPageSchema = Type.Object({
  items: Type.Array(AnalysisSummarySchema),
  nextCursor: Nullable(Type.String()),
});

export const LogQuerySchema = Type.Object(
  { stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')], { default: 'stdout' }) },
  { additionalProperties: false },
);
