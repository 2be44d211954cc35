/** Request and response schemas of instruments and sessions (the API speaks camelCase; the tables keep the seed's names). */
import { Type, type Static } from 'typebox';
import { Nullable } from '../../http/common.schema.js';

const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, ...(description !== undefined && { description }) });

export const HarvesterSchema = Type.Union([Type.Literal('nemo'), Type.Literal('api')], {
  description:
    '`nemo`: sessions harvested from a NEMO server; `api`: sessions logged through `/api/sessions`',
});

export const RecordStatusSchema = Type.Union(
  [
    Type.Literal('WAITING_FOR_END'),
    Type.Literal('TO_BE_BUILT'),
    Type.Literal('COMPLETED'),
    Type.Literal('ERROR'),
    Type.Literal('NO_FILES_FOUND'),
    Type.Literal('NO_RESERVATION'),
    Type.Literal('NO_CONSENT'),
  ],
  { description: "The session's record status (NexusLIMS's states)" },
);

const InstrumentFields = {
  apiUrl: Text(2000, "The reservation system's address of the instrument (NEMO: `{base}tools/?id=<n>`)"),
  calendarName: Text(200),
  calendarUrl: Text(2000),
  location: Text(100, 'Building and room'),
  schemaName: Text(200, 'The name records show'),
  propertyTag: Text(20),
  filestorePath: Text(1000, 'Where it writes its data, relative to CAIRN_INSTRUMENT_DATA_DIR'),
  computerName: Type.Optional(Nullable(Text(200))),
  computerIp: Type.Optional(Nullable(Text(15))),
  computerMount: Type.Optional(Nullable(Text(1000))),
  harvester: Type.Optional(Nullable(HarvesterSchema)),
  timezone: Type.Optional(Text(64, 'IANA time zone, e.g. America/New_York')),
};

export const CreateInstrumentSchema = Type.Object(
  {
    pid: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
    ...InstrumentFields,
  },
  { additionalProperties: false },
);
export type CreateInstrument = Static<typeof CreateInstrumentSchema>;

export const UpdateInstrumentSchema = Type.Partial(Type.Object(InstrumentFields), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateInstrument = Static<typeof UpdateInstrumentSchema>;

export const InstrumentSchema = Type.Object({
  pid: Type.String(),
  apiUrl: Type.String(),
  calendarName: Type.String(),
  calendarUrl: Type.String(),
  location: Type.String(),
  schemaName: Type.String(),
  propertyTag: Type.String(),
  filestorePath: Type.String(),
  computerName: Nullable(Type.String()),
  computerIp: Nullable(Type.String()),
  computerMount: Nullable(Type.String()),
  harvester: Nullable(HarvesterSchema),
  timezone: Type.String(),
});
export type Instrument = Static<typeof InstrumentSchema>;

export const InstrumentsListSchema = Type.Object({ items: Type.Array(InstrumentSchema) });

export const InstrumentParams = Type.Object({ pid: Type.String({ minLength: 1, maxLength: 100 }) });

export const StartSessionSchema = Type.Object(
  {
    instrument: Type.String({ minLength: 1, maxLength: 100, description: "The instrument's PID" }),
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Default: the caller' })),
  },
  { additionalProperties: false },
);
export type StartSession = Static<typeof StartSessionSchema>;

export const SessionParams = Type.Object({
  sessionIdentifier: Type.String({ minLength: 1, maxLength: 2000 }),
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'A retried request with the same key answers as the first did and logs nothing again',
    }),
  ),
});

export const SessionSchema = Type.Object({
  sessionIdentifier: Type.String(),
  instrument: Type.String(),
  user: Nullable(Type.String()),
  startedAt: Nullable(Type.String()),
  endedAt: Nullable(Type.String()),
  status: RecordStatusSchema,
  /** The record built from the session, once there is one. */
  recordId: Nullable(Type.String()),
});
export type Session = Static<typeof SessionSchema>;

export const ListSessionsQuerySchema = Type.Object(
  {
    instrument: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(RecordStatusSchema),
    user: Type.Optional(Type.String({ maxLength: 50 })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Sessions started at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Sessions started before' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ListSessionsQuery = Static<typeof ListSessionsQuerySchema>;

export const SessionsPageSchema = Type.Object({
  items: Type.Array(SessionSchema),
  nextCursor: Nullable(Type.String()),
});
