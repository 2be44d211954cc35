/**
 * The one place that turns errors into RFC 9457 problem documents (application/problem+json):
 * domain errors keep their status and code; validation, parsing and size errors become 4xx; anything else
 * is logged with the request id and answered as a bare 500 that leaks nothing. Fastify's errors before routing
 * (a URL it cannot decode) and Node's for requests that are not HTTP get problem documents too.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  DomainError,
  problemCatalogue,
  TooManyRequests,
  type FieldError,
  type ProblemCode,
} from '../errors/catalogue.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance: string;
  requestId: string;
  errors?: FieldError[];
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  detail: string,
  errors: readonly FieldError[] = [],
): FastifyReply {
  const { status, title } = problemCatalogue[code];
  const problem: Problem = {
    type: `urn:cairn:problem:${code}`,
    title,
    status,
    detail,
    code,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: request.id,
    ...(errors.length > 0 && { errors: [...errors] }),
  };
  // Serialized here rather than by the route's response schema, so that a problem always reaches the client as
  // itself: a schema that does not fit it would turn the answer into a bare 500 (test/api/problem-documents
  // holds the declared schemas to what is sent).
  return reply.code(status).type('application/problem+json; charset=utf-8').send(JSON.stringify(problem));
}

function validationErrors(error: FastifyError): FieldError[] {
  return (error.validation ?? []).map((item) => {
    const missing = (item.params as { missingProperty?: string }).missingProperty;
    const additional = (item.params as { additionalProperty?: string }).additionalProperty;
    const base = item.instancePath || '';
    const field = missing ? `${base}/${missing}` : additional ? `${base}/${additional}` : base || '/';
    const message = additional ? 'is not a known field' : (item.message ?? 'is invalid');
    return { field: `${error.validationContext ?? 'body'}${field}`, message };
  });
}

/** Fastify's own errors about a request, by their code. */
const clientErrorCodes: Record<string, ProblemCode> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_content_length',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error instanceof TooManyRequests) void reply.header('retry-after', String(error.retryAfterSeconds));
      return sendProblem(request, reply, error.code, error.message, error.errors);
    }
    if (error.validation) {
      const errors = validationErrors(error);
      const detail = errors.map((e) => `${e.field} ${e.message}`).join('; ');
      return sendProblem(request, reply, 'validation_failed', detail, errors);
    }
    const known = error.code ? clientErrorCodes[error.code] : undefined;
    if (known) return sendProblem(request, reply, known, error.message);
    if (
      error instanceof SyntaxError ||
      (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
    ) {
      return sendProblem(request, reply, 'bad_request', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      request,
      reply,
      'internal_error',
      'Something went wrong; the request id identifies it in the server log',
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
  );
}

/**
 * Fastify's errors before a request reaches the router (`frameworkErrors`). No hook has run for these requests,
 * so the API's security headers and the request id are set here.
 */
export function frameworkErrorHandler(apiHeaders: Readonly<Record<string, string>>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    void reply.headers(apiHeaders).header('x-request-id', request.id);
    switch (error.code) {
      case 'FST_ERR_BAD_URL':
        void sendProblem(request, reply, 'bad_url', 'The URL is not validly percent-encoded');
        return;
      case 'FST_ERR_MAX_PARAM_LENGTH':
        void sendProblem(
          request,
          reply,
          'uri_too_long',
          'A segment of the path is longer than the server accepts',
        );
        return;
      default:
        request.log.error({ err: error }, 'unhandled framework error');
        void sendProblem(
          request,
          reply,
          'internal_error',
          'Something went wrong; the request id identifies it in the server log',
        );
    }
  };
}

/**
 * Node's errors for bytes that are not an HTTP request (`clientError`): answered on the socket itself, which is
 * then closed, with a problem document under a fresh request id (there is no request, so the instance is that id).
 */
export function clientErrorHandler(apiHeaders: Readonly<Record<string, string>>) {
  return (error: ConnectionError, socket: Socket): void => {
    // A reset connection has nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [code, detail]: [ProblemCode, string] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['request_timeout', 'The request did not arrive in time']
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? ['headers_too_large', 'The request headers are too large']
          : ['bad_request', 'The request is not valid HTTP'];
    const { status, title } = problemCatalogue[code];
    const requestId = randomUUID();
    const body = JSON.stringify({
      type: `urn:cairn:problem:${code}`,
      title,
      status,
      detail,
      code,
      instance: `urn:uuid:${requestId}`,
      requestId,
    } satisfies Problem);
    const headers = {
      ...apiHeaders,
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'x-request-id': requestId,
      connection: 'close',
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${title}\r\n${head.join('')}\r\n${body}`);
    else socket.destroy();
  };
}
