/**
 * Reading the files of a multipart/form-data request (@fastify/multipart, busboy) so that every way an upload
 * can fail to finish ends the request: a client that stops sending (the socket idle for `idleMs`) gets
 * 408 `upload_stalled`; a body that ends, or a client that hangs up, before a part's end gets 400
 * `incomplete_upload`. Each file is handed on as a stream that fails with that error, so whoever is storing it
 * removes its partial copy; a request whose body was not read to its end is answered with `Connection: close`.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IncompleteUpload, UploadStalled } from '../errors/catalogue.js';

export interface UploadedFile {
  readonly stream: Readable;
  readonly filename: string;
  readonly mimetype: string;
}

/** The file parts of a multipart request, one at a time; read each stream to its end before asking for the next. */
export async function* readUploadedFiles(
  request: FastifyRequest,
  reply: FastifyReply,
  idleMs: number,
): AsyncGenerator<UploadedFile> {
  const raw = request.raw;
  const stall = new AbortController();
  const stalled = new Promise<never>((_resolve, reject) =>
    stall.signal.addEventListener('abort', () => reject(stall.signal.reason as Error)),
  );
  stalled.catch(() => undefined);
  const parts = request.files()[Symbol.asyncIterator]();
  // The first call pipes the body into the parser; the idle clock watches the bytes from then on.
  let next = parts.next();
  const idle = setTimeout(() => stall.abort(new UploadStalled(idleMs)), idleMs);
  const onData = () => idle.refresh();
  raw.on('data', onData);
  try {
    for (;;) {
      const part = await Promise.race([next, stalled]);
      if (part.done) break;
      const { file, filename, mimetype } = part.value;
      yield { stream: guardPart(file, stall.signal), filename, mimetype };
      next = parts.next();
    }
    // The parser ends the parts quietly when the client hangs up between two of them.
    if (raw.destroyed && !isBodyComplete(request)) throw new IncompleteUpload();
  } finally {
    clearTimeout(idle);
    raw.off('data', onData);
    // The rest of an unread body would be taken for the next request on this connection.
    if (!isBodyComplete(request)) void reply.header('connection', 'close');
  }
}

/** Whether the whole body has arrived (inject's requests, which have no `complete`, always arrive whole). */
function isBodyComplete(request: FastifyRequest): boolean {
  const complete: boolean | undefined = request.raw.complete;
  return complete ?? true;
}

/**
 * The part's bytes as a stream of our own that fails with 400 `incomplete_upload` when the parser gives up on
 * the part (the body ended, the client hung up) and with 408 when the upload stalls; a consumer that stops
 * reading releases the part.
 */
function guardPart(part: Readable, stall: AbortSignal): Readable {
  const body = new PassThrough();
  // The part may fail before its consumer starts reading (it keeps the error and reports it then).
  body.on('error', () => undefined);
  const cut = (error: Error) => {
    if (!body.destroyed) body.destroy(error);
    part.destroy();
  };
  part.once('error', () => cut(new IncompleteUpload()));
  part.once('close', () => {
    if (!part.readableEnded) cut(new IncompleteUpload());
  });
  const onStall = () => cut(stall.reason as Error);
  stall.addEventListener('abort', onStall, { once: true });
  body.once('close', () => {
    stall.removeEventListener('abort', onStall);
    if (!part.readableEnded) part.destroy();
  });
  part.pipe(body);
  return body;
}
