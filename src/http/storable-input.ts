/**
 * The request-wide check of text the databases cannot store (see db/storable-text.ts): every string of the
 * path parameters, the query and a JSON body, object keys included, before the route's schema or service
 * sees it. Text bodies are CSV, whose reader reports such cells by row and column instead.
 */
import type { FastifyRequest } from 'fastify';
import { findUnstorableText } from '../db/storable-text.js';
import { Invalid } from '../errors/catalogue.js';

/** A preValidation hook: 422 `invalid` naming each bad value (`params/id`, `query/q`, `/name`). */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  const { body } = request;
  const found = [
    ...findUnstorableText(request.params, 'params'),
    ...findUnstorableText(request.query, 'query'),
    ...(typeof body === 'object' && body !== null && !Buffer.isBuffer(body) ? findUnstorableText(body) : []),
  ];
  if (found.length > 0)
    throw new Invalid(
      `Text that cannot be stored: ${found.map((f) => `${f.field} ${f.message}`).join('; ')}`,
      found,
    );
}
