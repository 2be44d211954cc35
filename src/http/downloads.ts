/** Downloads streamed as they are made (exports): never held whole in memory, saved under a file name. */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** Sends text chunks as an attachment named `filename`. */
export function sendDownload(
  reply: FastifyReply,
  chunks: AsyncIterable<string>,
  type: string,
  filename: string,
): FastifyReply {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(Readable.from(chunks));
}
