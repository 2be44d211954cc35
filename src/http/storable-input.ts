/**
 * The request-wide check of text the databases cannot store (see db/storable-text.ts): every string of the
 * path parameters, the query and a JSON body, object keys included, before the route's schema or service
 * sees it. Text bodies are CSV, whose reader reports such cells by row and column instead; streamed bodies
 * (files an agent hands over) are bytes, not text.
 */
import type { FastifyRequest } from 'fastify';
import { findUnstorableText } from '../db/storable-text.js';
import { Invalid } from '../errors/catalogue.js';

/** A body parsed from JSON: a plain object or an array (not a Buffer, nor a request stream taken raw). */
function isParsedJson(body: unknown): body is object {
  if (typeof body !== 'object' || body === null) return false;
  if (Array.isArray(body)) return true;
  const prototype: unknown = Object.getPrototypeOf(body);
  return prototype === Object.prototype || prototype === null;
}

/** A preValidation hook: 422 `invalid` naming each bad value (`params/id`, `query/q`, `/name`). */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  const { body } = request;
  const found = [
    ...findUnstorableText(request.params, 'params'),
    ...findUnstorableText(request.query, 'query'),
    ...(isParsedJson(body) ? findUnstorableText(body) : []),
  ];
  if (found.length > 0)
    throw new Invalid(
      `Text that cannot be stored: ${found.map((f) => `${f.field} ${f.message}`).join('; ')}`,
      found,
    );
}
