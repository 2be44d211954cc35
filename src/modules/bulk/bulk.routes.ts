/**
 * HTTP routes of bulk import and export: CSV imports of items and samples (dry run or all-or-nothing), CSV
 * exports of item lists, a project's samples and subtrees, and bionet JSON export and import. CSV bodies are
 * read as text by a parser of this plugin only, with the import body limit.
 */
import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { IdParams, ProblemSchema, problemResponses } from '../../http/common.schema.js';
import { Invalid } from '../../errors/catalogue.js';
import { inTransaction } from '../../db/transaction.js';
import { exportBionet } from './bionet-export.service.js';
import { importBionet } from './bionet-import.service.js';
import {
  BionetEntrySchema,
  BionetExportQuerySchema,
  BionetImportBodySchema,
  BionetImportQuerySchema,
  CsvBodySchema,
  CsvImportQuerySchema,
  CsvTextSchema,
  ImportProblemDocumentSchema,
  ImportReportSchema,
  ItemsCsvQuerySchema,
  SamplesCsvQuerySchema,
  SubtreeCsvQuerySchema,
} from './bulk.schema.js';
import { exportItemsCsv, exportSamplesCsv, exportSubtreeCsv } from './csv-export.service.js';
import { importItemsCsv, importSamplesCsv, readImportFile } from './csv-import.service.js';

const CSV_TYPES = ['text/csv', 'application/csv'];

/** The `map` query parameter: a JSON object of header → target. */
function parseMapping(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    Array.isArray(parsed) ||
    Object.values(parsed).some((value) => typeof value !== 'string')
  ) {
    throw new Invalid('map must be a JSON object of header → target (strings)', [
      { field: 'query/map', message: 'not a JSON object of strings' },
    ]);
  }
  return parsed as Record<string, string>;
}

function sendStream(reply: FastifyReply, chunks: AsyncIterable<string>, type: string, filename: string) {
  return reply
    .type(type)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(Readable.from(chunks));
}

export function registerBulkRoutes(app: App, { config, database: { db }, files }: AppContext): void {
  const tags = ['bulk'];
  const importResponses = {
    200: ImportReportSchema,
    201: ImportReportSchema,
    ...problemResponses,
    413: ProblemSchema,
    422: ImportProblemDocumentSchema,
  };

  // An encapsulated plugin, so that only these routes read CSV bodies (and with the import limit).
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser(
      CSV_TYPES,
      { parseAs: 'string', bodyLimit: config.importLimitBytes },
      (_request, body, done) => done(null, body),
    );

    for (const kind of ['items', 'samples'] as const) {
      scope.post(
        `/api/imports/${kind}`,
        {
          bodyLimit: config.importLimitBytes,
          schema: {
            tags,
            summary:
              kind === 'items'
                ? 'Import items from CSV: dry run (report every bad row), or all or nothing'
                : 'Import samples from CSV (write access to every project named): dry run, or all or nothing',
            consumes: CSV_TYPES,
            body: CsvBodySchema,
            querystring: CsvImportQuerySchema,
            response: importResponses,
          },
        },
        async (request, reply) => {
          const options = { dryRun: request.query.dryRun ?? false, map: parseMapping(request.query.map) };
          const file = await readImportFile(request.body);
          const importCsv = kind === 'items' ? importItemsCsv : importSamplesCsv;
          const report = await inTransaction(db, (trx) => importCsv(trx, actorOf(request), file, options));
          return reply.code(report.dryRun ? 200 : 201).send(report);
        },
      );
    }

    scope.post(
      '/api/imports/bionet',
      {
        bodyLimit: config.importLimitBytes,
        schema: {
          tags,
          summary:
            "Import bionet bioDB entries keeping their ids, places, fields and (administrators' imports only; others' are stamped as the importer's, now) created/updated stamps: dry run, or all or nothing",
          body: BionetImportBodySchema,
          querystring: BionetImportQuerySchema,
          response: importResponses,
        },
      },
      async (request, reply) => {
        const options = {
          dryRun: request.query.dryRun ?? false,
          createTypes: request.query.createTypes ?? false,
        };
        const report = await inTransaction(db, (trx) =>
          importBionet(trx, files, actorOf(request), request.body, options),
        );
        return reply.code(report.dryRun ? 200 : 201).send(report);
      },
    );

    scope.get(
      '/api/exports/items.csv',
      {
        schema: {
          tags,
          summary: 'Items as CSV, with the filters of GET /api/items; imports again as is',
          produces: ['text/csv'],
          querystring: ItemsCsvQuerySchema,
          response: { 200: CsvTextSchema, ...problemResponses },
        },
      },
      async (request, reply) =>
        sendStream(
          reply,
          await exportItemsCsv(db, actorOf(request), request.query),
          'text/csv; charset=utf-8',
          'items.csv',
        ),
    );

    scope.get(
      '/api/projects/:id/samples.csv',
      {
        schema: {
          tags,
          summary:
            "A project's samples as CSV, with the filters of GET /api/projects/:id/samples; imports again as is",
          produces: ['text/csv'],
          params: IdParams,
          querystring: SamplesCsvQuerySchema,
          response: { 200: CsvTextSchema, ...problemResponses },
        },
      },
      async (request, reply) =>
        sendStream(
          reply,
          await exportSamplesCsv(db, actorOf(request), request.params.id, request.query),
          'text/csv; charset=utf-8',
          'samples.csv',
        ),
    );

    scope.get(
      '/api/items/:id/subtree.csv',
      {
        schema: {
          tags,
          summary: "A location's whole subtree as CSV, with each item's path and slot",
          produces: ['text/csv'],
          params: IdParams,
          querystring: SubtreeCsvQuerySchema,
          response: { 200: CsvTextSchema, ...problemResponses },
        },
      },
      async (request, reply) =>
        sendStream(
          reply,
          await exportSubtreeCsv(db, actorOf(request), request.params.id, request.query),
          'text/csv; charset=utf-8',
          'subtree.csv',
        ),
    );

    scope.get(
      '/api/exports/bionet.json',
      {
        schema: {
          tags,
          summary: 'Every live item (or one subtree) as bionet bioDB entries, in key order',
          querystring: BionetExportQuerySchema,
          response: { 200: Type.Array(BionetEntrySchema), ...problemResponses },
        },
      },
      async (request, reply) =>
        sendStream(
          reply,
          await exportBionet(db, actorOf(request), request.query),
          'application/json; charset=utf-8',
          'bionet.json',
        ),
    );
  });
}
