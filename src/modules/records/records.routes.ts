/** HTTP routes of experiment records: the list, a record (JSON), its XML, its previews and its zip. */
import { Type } from 'typebox';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { IdParams, problemResponses } from '../../http/common.schema.js';
import {
  ListRecordsQuerySchema,
  ListSampleRecordsQuerySchema,
  RecordFileParams,
  RecordSchema,
  RecordsPageSchema,
} from './records.schema.js';
import * as records from './records.service.js';

export function registerRecordRoutes(app: App, { config, database: { db }, files }: AppContext): void {
  const tags = ['records'];
  const who =
    "A record is seen by its session's user, the members of its project, staff and admins; for anyone else it " +
    'does not exist (404). Its project and samples are named only to those who may see them.';

  app.get(
    '/api/records',
    {
      schema: {
        tags,
        summary:
          'Experiment records, newest session first; filters (instrument, dates, user, project, text); cursor-paged',
        description: who,
        querystring: ListRecordsQuerySchema,
        response: { 200: RecordsPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      records.listRecords(db, actorOf(request), { ...request.query, limit: request.query.limit ?? 50 }),
  );

  app.get(
    '/api/samples/:id/records',
    {
      schema: {
        tags,
        summary: 'The records made with a sample, newest session first; cursor-paged',
        description: `${who} The sample must be one the caller sees (else 404).`,
        params: IdParams,
        querystring: ListSampleRecordsQuerySchema,
        response: { 200: RecordsPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      records.listSampleRecords(db, actorOf(request), request.params.id, {
        ...request.query,
        limit: request.query.limit ?? 50,
      }),
  );

  app.get(
    '/api/records/:id',
    {
      schema: {
        tags,
        summary: 'One record: summary, samples, projects, activities with their setup and datasets (JSON)',
        description: who,
        params: IdParams,
        response: { 200: RecordSchema, ...problemResponses },
      },
    },
    async (request) => records.getRecord(db, actorOf(request), request.params.id),
  );

  app.get(
    '/api/records/:id/xml',
    {
      schema: {
        tags,
        summary: "The record as NexusLIMS's Nexus Experiment XML (valid against nexus-experiment.xsd)",
        params: IdParams,
        produces: ['application/xml'],
        response: { 200: Type.Unknown({ description: 'the XML' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const xml = await records.getRecordXml(db, actorOf(request), request.params.id);
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="record-${request.params.id}.xml"`)
        .send(xml);
    },
  );

  app.get(
    '/api/records/:id/files/:fileId/preview',
    {
      schema: {
        tags,
        summary: "A dataset's PNG preview",
        params: RecordFileParams,
        produces: ['image/png'],
        response: { 200: Type.Unknown({ description: 'the PNG' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const stream = await records.openRecordPreview(
        db,
        actorOf(request),
        files,
        request.params.id,
        request.params.fileId,
      );
      return reply.type('image/png').header('x-content-type-options', 'nosniff').send(stream);
    },
  );

  app.get(
    '/api/records/:id/files.zip',
    {
      schema: {
        tags,
        summary: "The record's files, record.json, record.xml and previews/ as one zip (streamed)",
        description: `${who} Files gone from disk since the build are listed in MISSING.txt inside the zip.`,
        params: IdParams,
        produces: ['application/zip'],
        response: { 200: Type.Unknown({ description: 'the zip' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const stream = await records.openRecordZip(
        db,
        actorOf(request),
        files,
        config.instrumentDataDir,
        request.params.id,
      );
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="record-${request.params.id}.zip"`)
        .send(stream);
    },
  );
}
