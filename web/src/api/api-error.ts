/** A failed API call: the HTTP status and, when the server sent one, its problem document. */
import type { Problem } from './types';

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'detail' in value && 'code' in value;
}

/** "body/endDate", "/endDate" and "endDate" all name the form field "endDate". */
function fieldNameOf(pointer: string): string {
  return pointer.split('/').filter(Boolean).at(-1) ?? pointer;
}

export class ApiError extends Error {
  readonly problem: Problem | null;

  constructor(
    readonly status: number,
    body: unknown,
  ) {
    const problem = isProblem(body) ? body : null;
    super(problem?.detail ?? `The server answered ${status}`);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get code(): string | null {
    return this.problem?.code ?? null;
  }

  /** The server's message about one request field (validation or domain rule), if it named that field. */
  fieldError(field: string): string | undefined {
    return this.problem?.errors?.find((error) => fieldNameOf(error.field) === field)?.message;
  }
}

/** The field error of `field` in whatever a mutation or query failed with (for a form input's `error`). */
export function fieldErrorOf(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(field) : undefined;
}
