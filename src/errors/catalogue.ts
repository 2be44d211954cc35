/**
 * The catalogue of domain errors. Services throw these; exactly one error handler (error-handler.ts) turns
 * them into RFC 9457 problem documents. `code` is stable: clients may branch on it.
 */

export interface FieldError {
  /** Where the problem is: a JSON pointer into the request body or a field name. */
  readonly field: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(detail);
  }
}

export class NotFound extends DomainError {
  constructor(what: string, id?: string) {
    super(404, 'not_found', 'Not found', id === undefined ? `${what} not found` : `${what} ${id} not found`);
  }
}

export class Forbidden extends DomainError {
  constructor(detail = 'You are not allowed to do this') {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class Unauthorized extends DomainError {
  constructor(detail = 'Authentication required') {
    super(401, 'unauthorized', 'Unauthorized', detail);
  }
}

export class Conflict extends DomainError {
  constructor(detail: string, code = 'conflict') {
    super(409, code, 'Conflict', detail);
  }
}

export class Invalid extends DomainError {
  constructor(detail: string, errors: readonly FieldError[] = [], code = 'invalid') {
    super(422, code, 'Invalid request', detail, errors);
  }
}

export class TooManyRequests extends DomainError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', 'Too many requests', detail);
  }
}

export class PayloadTooLarge extends DomainError {
  constructor(detail: string, code = 'file_too_large') {
    super(413, code, 'Payload too large', detail);
  }
}
