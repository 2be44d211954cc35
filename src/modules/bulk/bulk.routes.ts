/**
 * HTTP routes of bulk import and export: CSV imports of items and samples (dry run or all-or-nothing), CSV
 * exports of item lists, a project's samples and subtrees, and bionet JSON export and import. CSV bodies are
 * read as text by a parser of this plugin only, with the import body limit.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { sendDownload } from '../../http/downloads.js';
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
  FastaBodySchema,
  FastaImportQuerySchema,
  FastaTextSchema,
  ImportProblemDocumentSchema,
  ImportReportSchema,
  ItemsCsvQuerySchema,
  ItemsFastaQuerySchema,
  SamplesCsvQuerySchema,
  SubtreeCsvQuerySchema,
} from './bulk.schema.js';
import { exportItemsFasta, exportSelectionFasta } from './fasta-export.service.js';
import { importFasta } from './fasta-import.service.js';
import { readFasta } from './fasta-reader.js';
import { exportItemsCsv, exportSamplesCsv, exportSubtreeCsv } from './csv-export.service.js';
import { importItemsCsv, importSamplesCsv, readImportFile } from './csv-import.service.js';

const CSV_TYPES = ['text/csv', 'application/csv'];
const FASTA_TYPES = ['text/x-fasta', 'application/x-fasta'];

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

/** A selection's comma-separated ids, each once, in their order. */
function selectionIds(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ];
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
    scope.addContentTypeParser(
      FASTA_TYPES,
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
        sendDownload(
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
        sendDownload(
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
        sendDownload(
          reply,
          await exportSubtreeCsv(db, actorOf(request), request.params.id, request.query),
          'text/csv; charset=utf-8',
          'subtree.csv',
        ),
    );

    scope.post(
      '/api/imports/fasta',
      {
        bodyLimit: config.importLimitBytes,
        schema: {
          tags,
          summary:
            "Create or update many items' sequences from FASTA: an entry naming an item (id, human id, barcode or name) updates its sequence, any other creates an item of `type`; dry run, or all or nothing",
          consumes: [...FASTA_TYPES, 'text/plain'],
          body: FastaBodySchema,
          querystring: FastaImportQuerySchema,
          response: importResponses,
        },
      },
      async (request, reply) => {
        const file = await readFasta(request.body);
        const report = await inTransaction(db, (trx) =>
          importFasta(trx, actorOf(request), file, {
            ...request.query,
            dryRun: request.query.dryRun ?? false,
          }),
        );
        return reply.code(report.dryRun ? 200 : 201).send(report);
      },
    );

    scope.get(
      '/api/exports/items.fasta',
      {
        schema: {
          tags,
          summary:
            'Sequences as FASTA: of a selection (`ids`), or of the items GET /api/items lists with the same filters; imports again as is',
          produces: ['text/x-fasta'],
          querystring: ItemsFastaQuerySchema,
          response: { 200: FastaTextSchema, ...problemResponses },
        },
      },
      async (request, reply) => {
        const { ids, field, ...filters } = request.query;
        const { includeHidden: _default, ...narrowing } = filters;
        if (ids !== undefined && Object.keys(narrowing).length > 0) {
          throw new Invalid('a selection (ids) takes no other filter', [
            { field: 'query/ids', message: `not with ${Object.keys(narrowing).join(', ')}` },
          ]);
        }
        const chunks =
          ids === undefined
            ? await exportItemsFasta(db, actorOf(request), { ...filters, field })
            : await exportSelectionFasta(db, actorOf(request), selectionIds(ids), field);
        return sendDownload(reply, chunks, 'text/x-fasta; charset=utf-8', 'sequences.fasta');
      },
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
        sendDownload(
          reply,
          await exportBionet(db, actorOf(request), request.query),
          'application/json; charset=utf-8',
          'bionet.json',
        ),
    );
  });
}
