/** Request and response schemas of the agent routes (`/api/agent/…`), which only agents' machine accounts reach. */
import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/common.schema.js';
import { JobStatusSchema } from './analyses.schema.js';

const DateTime = Type.String({ format: 'date-time' });

export const AgentResourceParams = Type.Object({
  resource: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'The name of the resource the agent serves',
  }),
});
export const AgentJobParams = Type.Object({
  resource: AgentResourceParams.properties.resource,
  jobId: Type.String({ minLength: 1, maxLength: 100 }),
});

const AgentId = Type.String({
  minLength: 1,
  maxLength: 100,
  description: "The agent instance's id, kept across its restarts (its leases are held under it)",
});
export const AgentIdQuery = Type.Object({ agentId: AgentId }, { additionalProperties: false });

export const JobSpecSchema = Type.Object({
  jobId: Type.String(),
  analysisId: Type.String(),
  attempt: Type.Integer(),
  type: Type.Object({ name: Type.String(), version: Type.String() }),
  params: Type.Record(Type.String(), Type.Unknown()),
  argv: Type.Array(Type.String()),
  stdoutTo: Nullable(Type.String()),
  toolVersions: Type.Record(Type.String(), Type.Array(Type.String())),
  inputs: Type.Array(
    Type.Object({ fileId: Type.String(), name: Type.String(), sha256: Type.String(), size: Type.Integer() }),
  ),
  outputs: Type.Array(Type.Object({ name: Type.String(), path: Type.String(), required: Type.Boolean() })),
  resources: Type.Object({ cpus: Type.Integer(), memory: Type.String(), time: Type.String() }),
});

export const AgentJobSchema = Type.Object({
  spec: JobSpecSchema,
  status: JobStatusSchema,
  externalId: Nullable(Type.String()),
  cancelRequested: Type.Boolean(),
  mayHaveBeenSubmitted: Type.Boolean(),
});
export const AgentJobsSchema = Type.Object({ jobs: Type.Array(AgentJobSchema) });

export const ClaimSchema = Type.Object(
  { agentId: AgentId, limit: Type.Integer({ minimum: 1, maximum: 100 }) },
  { additionalProperties: false },
);
export const AdoptSchema = Type.Object({ agentId: AgentId }, { additionalProperties: false });

const Tail = Type.String({ maxLength: 65_536 });
export const HeartbeatSchema = Type.Object(
  {
    agentId: AgentId,
    jobs: Type.Array(
      Type.Object(
        { jobId: Type.String({ maxLength: 100 }), stdoutTail: Tail, stderrTail: Tail },
        { additionalProperties: false },
      ),
      { maxItems: 10_000 },
    ),
  },
  { additionalProperties: false },
);
export const HeartbeatAnswerSchema = Type.Object({ cancel: Type.Array(Type.String()) });

const ExternalId = Type.String({ minLength: 1, maxLength: 100 });
const SchedulerState = Type.String({ minLength: 1, maxLength: 50 });

export const JobReportSchema = Type.Union([
  Type.Object({ kind: Type.Literal('submitted'), externalId: ExternalId }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('running'),
      externalId: Type.Optional(ExternalId),
      schedulerState: SchedulerState,
      startedAt: Nullable(DateTime),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('ended'),
      phase: Type.Literal('ended'),
      externalId: Type.Optional(ExternalId),
      outcome: Type.Union([Type.Literal('completed'), Type.Literal('failed'), Type.Literal('cancelled')]),
      schedulerState: SchedulerState,
      exitCode: Nullable(Type.Integer({ minimum: 0, maximum: 255 })),
      reason: Nullable(Type.String({ maxLength: 2000 })),
      startedAt: Nullable(DateTime),
      endedAt: Nullable(DateTime),
      cpuSeconds: Nullable(Type.Number({ minimum: 0 })),
      peakMemoryBytes: Nullable(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
      stdoutTail: Tail,
      stderrTail: Tail,
      toolVersions: Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 500 })),
    },
    { additionalProperties: false },
  ),
]);

export const ReportBodySchema = Type.Object(
  { agentId: AgentId, report: JobReportSchema },
  { additionalProperties: false },
);
export const ReportAnswerSchema = Type.Object({ status: JobStatusSchema, cancelRequested: Type.Boolean() });

export const OutputQuerySchema = Type.Object(
  {
    agentId: AgentId,
    output: Type.String({ minLength: 1, maxLength: 64, description: 'The declared output it answers' }),
    name: Type.String({
      minLength: 1,
      maxLength: 300,
      description: "Its path in the job's directory (`outputs/…`)",
    }),
  },
  { additionalProperties: false },
);

export const LogParams = Type.Object({
  resource: AgentResourceParams.properties.resource,
  jobId: AgentJobParams.properties.jobId,
  stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
});
export const InputParams = Type.Object({
  resource: AgentResourceParams.properties.resource,
  jobId: AgentJobParams.properties.jobId,
  fileId: Type.String({ minLength: 1, maxLength: 100 }),
});

export type JobReportBody = Static<typeof JobReportSchema>;
