/** HTTP routes of analyses: ask for one or a batch, list, read, logs, files, cancel, retry. */
import { Type } from 'typebox';
import { contentDisposition } from '../../files/file-names.js';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { IdParams, problemResponses } from '../../http/common.schema.js';
import { inTransaction } from '../../db/transaction.js';
import {
  AnalysesBatchSchema,
  AnalysesPageSchema,
  AnalysisFileSchema,
  AnalysisSchema,
  AnalysisSummarySchema,
  CreateAnalysesBatchSchema,
  CreateAnalysisSchema,
  ListAnalysesQuerySchema,
  LogQuerySchema,
} from './analyses.schema.js';
import * as analyses from './analyses.service.js';
import type { HeartbeatPolicy } from './hpc-resources.service.js';

export function registerAnalysisRoutes(
  app: App,
  { database: { db }, config, files, wakeAgents }: AppContext,
): void {
  const tags = ['compute'];
  const policy: HeartbeatPolicy = { staleSeconds: config.agentStaleSeconds };
  const refusals =
    'An unknown type or parameters that do not fit its schema are 422 naming the field (`params.<name>`); a ' +
    'sample the caller may not see is 404, a viewer 403; a resource that is offline or draining is 409.';

  app.post(
    '/api/analyses',
    {
      schema: {
        tags,
        summary: 'Ask for an analysis of a sample (written queued with its first job)',
        description: `The type's latest version is used and kept with the analysis. ${refusals}`,
        body: CreateAnalysisSchema,
        response: { 201: AnalysisSummarySchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { sampleId, ...rest } = request.body;
      const [created] = await inTransaction(db, (trx) =>
        analyses.createAnalyses(trx, actorOf(request), { ...rest, sampleIds: [sampleId] }, policy),
      );
      wakeAgents([created!.resource.id]);
      return reply.code(201).send(created!);
    },
  );

  app.post(
    '/api/analyses/batch',
    {
      schema: {
        tags,
        summary: 'Ask for one analysis per sample of a list, all or nothing',
        description: `Field errors name the sample by its place in the list (\`sampleIds/3\`). ${refusals}`,
        body: CreateAnalysesBatchSchema,
        response: { 201: AnalysesBatchSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await inTransaction(db, (trx) =>
        analyses.createAnalyses(trx, actorOf(request), request.body, policy),
      );
      wakeAgents([...new Set(created.map((analysis) => analysis.resource.id))]);
      return reply.code(201).send({ items: created });
    },
  );

  app.get(
    '/api/analyses',
    {
      schema: {
        tags,
        summary: 'Analyses the caller may see, newest first, with their current job; filters; cursor-paged',
        querystring: ListAnalysesQuerySchema,
        response: { 200: AnalysesPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      analyses.listAnalyses(db, actorOf(request), { ...request.query, limit: request.query.limit ?? 50 }),
  );

  app.get(
    '/api/analyses/:id',
    {
      schema: {
        tags,
        summary: 'One analysis: the current job, earlier attempts, files, log tails and provenance',
        params: IdParams,
        response: { 200: AnalysisSchema, ...problemResponses },
      },
    },
    async (request) => analyses.getAnalysis(db, actorOf(request), request.params.id),
  );

  app.get(
    '/api/analyses/:id/log',
    {
      schema: {
        tags,
        summary: "The whole log of the analysis's current job, streamed",
        description:
          'Once the job has ended, the whole log its agent handed over; while it runs, the tail last reported ' +
          '(header `Cairn-Log-Complete: false`).',
        params: IdParams,
        querystring: LogQuerySchema,
        produces: ['text/plain'],
        response: { 200: Type.Unknown({ description: 'the log' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const log = await analyses.openAnalysisLog(
        db,
        actorOf(request),
        files,
        request.params.id,
        request.query.stream ?? 'stdout',
      );
      reply
        .type('text/plain; charset=utf-8')
        .header('cairn-log-complete', String(log.complete))
        .header('x-content-type-options', 'nosniff');
      return reply.send(log.stream ?? log.text);
    },
  );

  app.get(
    '/api/analyses/:id/files',
    {
      schema: {
        tags,
        summary: "The analysis's files (its result path), oldest first",
        params: IdParams,
        response: { 200: Type.Array(AnalysisFileSchema), ...problemResponses },
      },
    },
    async (request) => analyses.listAnalysisFiles(db, actorOf(request), request.params.id),
  );

  app.get(
    '/api/analyses/:id/files/:fileId',
    {
      schema: {
        tags,
        summary: 'Download a file of the analysis with its detected content type',
        params: Type.Object({ id: IdParams.properties.id, fileId: IdParams.properties.id }),
        produces: ['application/octet-stream'],
        response: { 200: Type.Unknown({ description: 'the file' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const file = await analyses.openAnalysisFile(
        db,
        actorOf(request),
        files,
        request.params.id,
        request.params.fileId,
      );
      return reply
        .type(file.contentType)
        .header('content-length', String(file.size))
        .header('content-disposition', contentDisposition(file.name.split('/').pop() ?? file.name))
        .header('x-content-type-options', 'nosniff')
        .send(file.stream);
    },
  );

  app.post(
    '/api/analyses/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel an analysis',
        description:
          'A job no agent holds yet is cancelled at once; one an agent holds is asked to stop, and its agent ' +
          'reports the ending. An ended analysis is 409.',
        params: IdParams,
        response: { 200: AnalysisSchema, ...problemResponses },
      },
    },
    async (request) => {
      const analysis = await inTransaction(db, (trx) =>
        analyses.cancelAnalysis(trx, actorOf(request), request.params.id),
      );
      wakeAgents([analysis.resource.id]);
      return analysis;
    },
  );

  app.post(
    '/api/analyses/:id/retry',
    {
      schema: {
        tags,
        summary: 'Run an ended analysis again as a new attempt (the old one is kept)',
        description:
          "Same type version, parameters and resource; inputs chosen again from the sample's files. An " +
          'analysis still queued or running is 409, and so is one whose resource is offline or draining.',
        params: IdParams,
        response: { 200: AnalysisSchema, ...problemResponses },
      },
    },
    async (request) => {
      const analysis = await inTransaction(db, (trx) =>
        analyses.retryAnalysis(trx, actorOf(request), request.params.id, policy),
      );
      wakeAgents([analysis.resource.id]);
      return analysis;
    },
  );
}
