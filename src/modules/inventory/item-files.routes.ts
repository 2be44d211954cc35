/** HTTP routes of item files: streamed multipart upload, listing, and download with the detected type. */
import { Type } from 'typebox';
import { contentDisposition } from '../../files/file-names.js';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { IdParams, ProblemSchema, problemResponses } from '../../http/common.schema.js';
import { NoFile, NotMultipart } from '../../errors/catalogue.js';
import { readUploadedFiles } from '../../http/multipart-uploads.js';
import { ItemFileSchema } from './item-files.schema.js';
import { attachFiles, listItemFiles, openItemFile } from './item-files.service.js';

export function registerItemFileRoutes(app: App, { database: { db }, files, config }: AppContext): void {
  const tags = ['inventory'];

  app.post(
    '/api/items/:id/files',
    {
      schema: {
        tags,
        summary: `Attach files to an item (multipart/form-data, streamed; at most CAIRN_UPLOAD_LIMIT_BYTES each)`,
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: {
          201: Type.Array(ItemFileSchema),
          408: ProblemSchema,
          413: ProblemSchema,
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new NotMultipart('Send the files as multipart/form-data');
      }
      const created = await attachFiles(
        db,
        files,
        actorOf(request),
        request.params.id,
        readUploadedFiles(request, reply, config.uploadIdleSeconds * 1000),
        config.uploadLimitBytes,
      );
      if (created.length === 0) throw new NoFile();
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/items/:id/files',
    {
      schema: {
        tags,
        summary: 'The files of an item',
        params: IdParams,
        response: { 200: Type.Array(ItemFileSchema), ...problemResponses },
      },
    },
    async (request) => listItemFiles(db, actorOf(request), request.params.id),
  );

  app.get(
    '/api/files/:id',
    {
      schema: {
        tags,
        summary: 'Download a file with its detected content type',
        params: IdParams,
        produces: ['application/octet-stream'],
        response: { 200: Type.Unknown({ description: 'the file' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { file, stream } = await openItemFile(db, actorOf(request), files, request.params.id);
      return reply
        .type(file.contentType)
        .header('content-length', String(file.size))
        .header('content-disposition', contentDisposition(file.name))
        .header('x-content-type-options', 'nosniff')
        .send(stream);
    },
  );
}
