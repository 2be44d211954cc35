/** Schemas shared by many routes: the problem document, ids in paths, paging parameters. */
import { Type, type TSchema } from 'typebox';
import { PROBLEM_CODES } from '../errors/catalogue.js';

/** `T | null` in a schema. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** One invalid field of a request: where (a JSON pointer or a field name) and what is wrong. */
export const FieldErrorSchema = Type.Object({ field: Type.String(), message: Type.String() });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.Enum(PROBLEM_CODES, {
      description: 'Stable problem code (the README lists them with their statuses)',
    }),
    instance: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
  },
  { description: 'RFC 9457 problem document (application/problem+json)' },
);

/** Error responses every authenticated route may give, for the OpenAPI document. */
export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
} as const;

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

/**
 * A database-numbered id (tasks, audit events) in a path: 1 to 2^53 - 1, the integers a JavaScript number holds
 * exactly. Both databases count further (64-bit), but a larger number would not reach them as sent.
 */
export const SerialId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
});
