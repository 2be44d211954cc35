/** Request and response schemas of the history API (the audit trail as people read it). */
import { Type, type Static } from 'typebox';

export const AuditEventSchema = Type.Object({
  id: Type.Integer(),
  occurredAt: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  /** Who made the change; null for the system. */
  actor: Type.Union([Type.Object({ id: Type.String(), username: Type.String() }), Type.Null()]),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  projectId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEvent = Static<typeof AuditEventSchema>;

/**
 * One event of a live stream (`GET /api/events`): an audit event in small form, without the before view and
 * the request id; its id is the stream's place (`Last-Event-ID`).
 */
export const LiveEventSchema = Type.Object({
  id: Type.Integer(),
  occurredAt: Type.String({ format: 'date-time' }),
  actor: Type.Union([Type.Object({ id: Type.String(), username: Type.String() }), Type.Null()]),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  projectId: Type.Union([Type.String(), Type.Null()]),
  after: Type.Unknown(),
});
export type LiveEvent = Static<typeof LiveEventSchema>;

export const AuditQuerySchema = Type.Object({
  entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const AuditPageSchema = Type.Object({
  items: Type.Array(AuditEventSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const LiveEventsQuerySchema = Type.Object({
  types: Type.Optional(
    Type.String({
      pattern: '^[a-z_]{1,64}(,[a-z_]{1,64}){0,31}$',
      description:
        'Entity types to stream, comma-separated (analysis,hpc_job); all the caller may see if absent',
    }),
  ),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  lastEventId: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,15}$',
      description: 'Resume after this event id, for clients that cannot send the Last-Event-ID header',
    }),
  ),
});
