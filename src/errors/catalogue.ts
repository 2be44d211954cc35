/**
 * The error catalogue: every problem `code` Cairn answers with, its HTTP status and title, and one named
 * constructor per code. Services throw these; exactly one error handler (http/error-handler.ts) turns them —
 * and the HTTP layer's own findings (a malformed body, an unknown route) — into RFC 9457 problem documents.
 * Codes are stable: clients may branch on them. The OpenAPI document lists them (`Problem.code`) and the
 * README has the table.
 */

export const problemCatalogue = {
  // What the HTTP layer finds before a route runs.
  validation_failed: { status: 400, title: 'The request is not valid' },
  invalid_sequence: { status: 400, title: 'The query sequence is not valid' },
  malformed_json: { status: 400, title: 'The body is not valid JSON' },
  empty_body: { status: 400, title: 'The request body is empty' },
  bad_content_length: { status: 400, title: 'Content-Length does not match the body' },
  bad_request: { status: 400, title: 'Bad request' },
  bad_url: { status: 400, title: 'Bad request' },
  uri_too_long: { status: 414, title: 'URI too long' },
  headers_too_large: { status: 431, title: 'Request header fields too large' },
  request_timeout: { status: 408, title: 'Request timeout' },
  body_too_large: { status: 413, title: 'The request body is too large' },
  incomplete_upload: { status: 400, title: 'Bad request' },
  upload_stalled: { status: 408, title: 'Request timeout' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  route_not_found: { status: 404, title: 'Not found' },
  // Who is asking.
  unauthorized: { status: 401, title: 'Unauthorized' },
  csrf_failed: { status: 403, title: 'Forbidden' },
  forbidden: { status: 403, title: 'Forbidden' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  // What the services refuse.
  not_found: { status: 404, title: 'Not found' },
  invalid: { status: 422, title: 'Invalid request' },
  unknown_slot: { status: 422, title: 'No such slot' },
  barcode_empty: { status: 422, title: 'A label needs a barcode' },
  no_labels: { status: 422, title: 'No labels to print' },
  no_file: { status: 422, title: 'No file in the request' },
  not_multipart: { status: 422, title: 'Not a multipart request' },
  barcode_too_long: { status: 422, title: 'The barcode is too long for a label' },
  not_physical: { status: 422, title: 'Not a physical item' },
  move_cycle: { status: 422, title: 'The move would make a cycle' },
  unknown_type: { status: 422, title: 'Unknown type' },
  type_class_fixed: { status: 422, title: 'A type keeps its class' },
  builtin_type_name: { status: 422, title: 'Built-in types keep their names' },
  bulk_invalid: { status: 422, title: 'Some rows are not valid' },
  import_invalid: { status: 422, title: 'Invalid import' },
  invalid_storage_name: { status: 422, title: 'Not a file store name' },
  conflict: { status: 409, title: 'Conflict' },
  slot_occupied: { status: 409, title: 'The slot is taken' },
  barcode_taken: { status: 409, title: 'The barcode is taken' },
  username_taken: { status: 409, title: 'The username is taken' },
  email_taken: { status: 409, title: 'The email is already used' },
  type_name_taken: { status: 409, title: 'The type name is taken' },
  not_deleted: { status: 409, title: 'Not deleted' },
  container_not_empty: { status: 409, title: 'The container is not empty' },
  virtual_has_physicals: { status: 409, title: 'The virtual item has physical instances' },
  parent_deleted: { status: 409, title: 'The container is deleted' },
  virtual_deleted: { status: 409, title: 'The virtual item is deleted' },
  grid_in_use: { status: 409, title: 'Slots outside the new grid are in use' },
  invalid_transition: { status: 409, title: 'Not a move the sample lifecycle allows' },
  items_would_be_invalid: { status: 409, title: 'Items would no longer be valid' },
  file_too_large: { status: 413, title: 'Payload too large' },
  // The server itself.
  internal_error: { status: 500, title: 'Internal server error' },
  database_unavailable: { status: 503, title: 'Service unavailable' },
  blast_unavailable: { status: 503, title: 'Sequence search is not available' },
  blast_timeout: { status: 503, title: 'The sequence search took too long' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCatalogue;

export const PROBLEM_CODES = Object.keys(problemCatalogue) as ProblemCode[];

export interface FieldError {
  /** Where the problem is: a JSON pointer into the request body or a field name. */
  readonly field: string;
  readonly message: string;
}

/** A problem a service reports: its code decides the status and title. */
export class DomainError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ProblemCode,
    detail: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(detail);
    this.status = problemCatalogue[code].status;
    this.title = problemCatalogue[code].title;
  }
}

export class NotFound extends DomainError {
  constructor(what: string, id?: string) {
    super('not_found', id === undefined ? `${what} not found` : `${what} ${id} not found`);
  }
}

export class Unauthorized extends DomainError {
  constructor(detail = 'Authentication required') {
    super('unauthorized', detail);
  }
}

export class CsrfFailed extends DomainError {
  constructor() {
    super('csrf_failed', 'Missing or wrong X-CSRF-Token header');
  }
}

export class Forbidden extends DomainError {
  constructor(detail = 'You are not allowed to do this') {
    super('forbidden', detail);
  }
}

export class TooManyRequests extends DomainError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_requests', detail);
  }
}

export class InvalidSequence extends DomainError {
  constructor(detail: string, field = 'sequence') {
    super('invalid_sequence', detail, [{ field, message: detail }]);
  }
}

export class BlastUnavailable extends DomainError {
  constructor(detail: string) {
    super('blast_unavailable', detail);
  }
}

export class BlastTimeout extends DomainError {
  constructor(seconds: number) {
    super(
      'blast_timeout',
      `BLAST did not finish within ${seconds} s; try a shorter query or a stricter e-value`,
    );
  }
}

export class Invalid extends DomainError {
  constructor(detail: string, errors: readonly FieldError[] = []) {
    super('invalid', detail, errors);
  }
}

export class UnknownSlot extends DomainError {
  constructor(detail: string) {
    super('unknown_slot', detail, [{ field: 'slot', message: detail }]);
  }
}

export class BarcodeEmpty extends DomainError {
  constructor() {
    super('barcode_empty', 'A label needs a barcode');
  }
}

export class NoLabels extends DomainError {
  constructor() {
    super('no_labels', 'There are no labels to print');
  }
}

export class NoFile extends DomainError {
  constructor() {
    super('no_file', 'No file in the request', [{ field: 'file', message: 'missing' }]);
  }
}

export class InvalidStorageName extends DomainError {
  constructor() {
    super('invalid_storage_name', 'Not a file store name', [
      { field: 'storageName', message: 'is not a generated name' },
    ]);
  }
}

export class Conflict extends DomainError {
  constructor(detail: string, errors: readonly FieldError[] = []) {
    super('conflict', detail, errors);
  }
}

export class SlotOccupied extends DomainError {
  constructor(detail: string, errors: readonly FieldError[] = [{ field: 'slot', message: detail }]) {
    super('slot_occupied', detail, errors);
  }
}

export class BarcodeTaken extends DomainError {
  constructor(detail: string, errors: readonly FieldError[] = [{ field: 'barcode', message: detail }]) {
    super('barcode_taken', detail, errors);
  }
}

export class UsernameTaken extends DomainError {
  constructor(username: string) {
    super('username_taken', `Username ${username} is taken`);
  }
}

export class EmailTaken extends DomainError {
  constructor(email: string) {
    super('email_taken', `Email ${email} is already used`);
  }
}

export class TypeNameTaken extends DomainError {
  constructor(name: string) {
    super('type_name_taken', `There is already a type named ${name}`);
  }
}

export class NotDeleted extends DomainError {
  constructor(what: string) {
    super('not_deleted', `${what} is not deleted`);
  }
}

export class InvalidTransition extends DomainError {
  constructor(from: string, to: string) {
    super('invalid_transition', `A ${from} sample cannot become ${to}`);
  }
}

export class ItemsWouldBeInvalid extends DomainError {
  constructor(detail: string, errors: readonly FieldError[]) {
    super('items_would_be_invalid', detail, errors);
  }
}

export class FileTooLarge extends DomainError {
  constructor(maxBytes: number) {
    super('file_too_large', `The file is larger than the limit of ${maxBytes} bytes`);
  }
}

export class NotMultipart extends DomainError {
  constructor(detail: string) {
    super('not_multipart', detail, [{ field: 'body', message: 'not multipart' }]);
  }
}

export class BarcodeTooLong extends DomainError {
  constructor(detail: string) {
    super('barcode_too_long', detail);
  }
}

export class NotPhysical extends DomainError {
  constructor(detail: string) {
    super('not_physical', detail);
  }
}

export class MoveCycle extends DomainError {
  constructor(detail: string) {
    super('move_cycle', detail, [{ field: 'parentId', message: 'would make a cycle' }]);
  }
}

export class UnknownType extends DomainError {
  constructor(detail: string, errors: readonly FieldError[] = []) {
    super('unknown_type', detail, errors);
  }
}

export class TypeClassFixed extends DomainError {
  constructor(detail: string) {
    super('type_class_fixed', detail, [{ field: 'class', message: 'cannot change' }]);
  }
}

export class BuiltinTypeName extends DomainError {
  constructor(detail: string) {
    super('builtin_type_name', detail, [{ field: 'name', message: 'built-in types keep their names' }]);
  }
}

export class BulkInvalid extends DomainError {
  constructor(detail: string, errors: readonly FieldError[]) {
    super('bulk_invalid', detail, errors);
  }
}

export class ContainerNotEmpty extends DomainError {
  constructor(detail: string) {
    super('container_not_empty', detail);
  }
}

export class VirtualHasPhysicals extends DomainError {
  constructor(detail: string) {
    super('virtual_has_physicals', detail);
  }
}

export class ParentDeleted extends DomainError {
  constructor(detail: string) {
    super('parent_deleted', detail);
  }
}

export class VirtualDeleted extends DomainError {
  constructor(detail: string) {
    super('virtual_deleted', detail);
  }
}

export class GridInUse extends DomainError {
  constructor(detail: string) {
    super('grid_in_use', detail);
  }
}

export class IncompleteUpload extends DomainError {
  constructor() {
    super('incomplete_upload', 'The upload ended before its multipart body was complete');
  }
}

export class UploadStalled extends DomainError {
  constructor(idleMs: number) {
    super('upload_stalled', `The upload sent nothing for ${idleMs / 1000} s and was abandoned`);
  }
}
