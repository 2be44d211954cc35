/** Request and response schemas of the compute module: HPC resources. */
import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/common.schema.js';

export const HpcResourceTypeSchema = Type.Union([Type.Literal('local'), Type.Literal('slurm')], {
  description: '`local`: child processes on the machine of its agent; `slurm`: a Slurm cluster',
});
export const HpcResourceStatusSchema = Type.Union(
  [Type.Literal('online'), Type.Literal('offline'), Type.Literal('draining')],
  { description: 'A draining resource takes no new jobs and finishes the ones it has' },
);

/**
 * A resource's scheduler settings. The shapes of the values (a Slurm time, a memory size, a whole number of
 * jobs) are checked by the service, so that a bad value is a 422 naming its field.
 */
export const HpcResourceSettingsSchema = Type.Object(
  {
    partition: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Slurm partition' })),
    account: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Slurm account' })),
    maxConcurrent: Type.Optional(
      Type.Number({ description: 'The most jobs the resource runs at once: a whole number, at least 1' }),
    ),
    defaultTime: Type.Optional(
      Type.String({
        maxLength: 20,
        description: 'Time limit of a job that asks for none: Slurm time `[D-]HH:MM:SS`, or minutes',
      }),
    ),
    defaultMemory: Type.Optional(
      Type.String({
        maxLength: 20,
        description: 'Memory of a job that asks for none: a number with a unit, K, M, G or T (`512M`, `4G`)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type HpcResourceSettings = Static<typeof HpcResourceSettingsSchema>;

export const HpcResourceSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  type: HpcResourceTypeSchema,
  /** `offline` when the resource's agent stopped sending heartbeats, whatever an admin set. */
  status: HpcResourceStatusSchema,
  settings: HpcResourceSettingsSchema,
  /** The last heartbeat of the resource's agent; null for resources served by the embedded agent. */
  lastHeartbeatAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type HpcResource = Static<typeof HpcResourceSchema>;

const ResourceNameSchema = Type.String({ minLength: 1, maxLength: 100 });
const ResourceDescriptionSchema = Type.String({ maxLength: 20_000 });

export const CreateHpcResourceSchema = Type.Object(
  {
    name: ResourceNameSchema,
    description: Type.Optional(ResourceDescriptionSchema),
    type: HpcResourceTypeSchema,
    status: Type.Optional(HpcResourceStatusSchema),
    settings: Type.Optional(HpcResourceSettingsSchema),
  },
  { additionalProperties: false },
);
export type CreateHpcResource = Static<typeof CreateHpcResourceSchema>;

export const UpdateHpcResourceSchema = Type.Object(
  {
    name: Type.Optional(ResourceNameSchema),
    description: Type.Optional(ResourceDescriptionSchema),
    status: Type.Optional(HpcResourceStatusSchema),
    /** Replaces the settings as a whole. */
    settings: Type.Optional(HpcResourceSettingsSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateHpcResource = Static<typeof UpdateHpcResourceSchema>;

export const ListHpcResourcesQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const HpcResourcesPageSchema = Type.Object({
  items: Type.Array(HpcResourceSchema),
  nextCursor: Nullable(Type.String()),
});

export const CreateAgentTokenSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'What the token is for: "agent on cluster X"',
    }),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const AgentTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  /** The secret, shown once. */
  token: Type.String(),
  agentUsername: Type.String(),
});
