/** HTTP routes of samples: register, read, change status, and list a project's samples. */
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { IdParams, problemResponses } from '../../http/common.schema.js';
import { inTransaction } from '../../db/transaction.js';
import {
  CreateSampleSchema,
  ListSamplesQuerySchema,
  SampleDetailSchema,
  SampleSchema,
  SamplesPageSchema,
  UpdateSampleSchema,
} from './samples.schema.js';
import * as samples from './samples.service.js';

export function registerSampleRoutes(app: App, { database: { db } }: AppContext): void {
  const tags = ['samples'];

  app.post(
    '/api/samples',
    {
      schema: {
        tags,
        summary: 'Register a sample in a project (creates its physical item, optionally in a container slot)',
        body: CreateSampleSchema,
        response: { 201: SampleSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const sample = await inTransaction(db, (trx) =>
        samples.createSample(trx, actorOf(request), request.body),
      );
      return reply.code(201).send(sample);
    },
  );

  app.get(
    '/api/samples/:id',
    {
      schema: {
        tags,
        summary: 'One sample with its item, location path, files and history',
        params: IdParams,
        response: { 200: SampleDetailSchema, ...problemResponses },
      },
    },
    async (request) => samples.getSample(db, actorOf(request), request.params.id),
  );

  app.patch(
    '/api/samples/:id',
    {
      schema: {
        tags,
        summary:
          'Change a sample’s status (registered → received → stored ⇄ in_analysis → consumed / disposed) or collection date',
        params: IdParams,
        body: UpdateSampleSchema,
        response: { 200: SampleSchema, ...problemResponses },
      },
    },
    async (request) =>
      inTransaction(db, (trx) =>
        samples.updateSample(trx, actorOf(request), request.params.id, request.body),
      ),
  );

  app.get(
    '/api/projects/:id/samples',
    {
      schema: {
        tags,
        summary: 'A project’s samples, filtered by status, type and text, cursor-paged',
        params: IdParams,
        querystring: ListSamplesQuerySchema,
        response: { 200: SamplesPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      samples.listProjectSamples(db, actorOf(request), request.params.id, {
        ...request.query,
        limit: request.query.limit ?? 50,
      }),
  );
}
