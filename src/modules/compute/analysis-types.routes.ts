/** HTTP routes of the analysis type registry: list the types with their parameter schemas, register one. */
import { Type } from 'typebox';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { problemResponses } from '../../http/common.schema.js';
import { inTransaction } from '../../db/transaction.js';
import { AnalysisTypeSchema, AnalysisTypesListSchema, CreateAnalysisTypeSchema } from './analyses.schema.js';
import * as types from './analysis-types.service.js';

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });
const ListQuery = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Every version of this type, latest first' }),
    ),
  },
  { additionalProperties: false },
);

export function registerAnalysisTypeRoutes(app: App, { database: { db } }: AppContext): void {
  const tags = ['compute'];

  app.get(
    '/api/analysis-types',
    {
      schema: {
        tags,
        summary: 'Analysis types: the latest version of each, with its parameter schema',
        description:
          'The latest version is the newest registered. `?name=` lists every version of one type, latest ' +
          'first (none for an unknown name).',
        querystring: ListQuery,
        response: { 200: AnalysisTypesListSchema, ...problemResponses },
      },
    },
    async (request) => {
      const { name } = request.query;
      const found = name === undefined ? await types.listTypes(db) : await types.listTypeVersions(db, name);
      return { items: found.map(types.toAnalysisType) };
    },
  );

  app.get(
    '/api/analysis-types/:name',
    {
      schema: {
        tags,
        summary: 'The latest version of one analysis type',
        params: NameParams,
        response: { 200: AnalysisTypeSchema, ...problemResponses },
      },
    },
    async (request) => types.toAnalysisType(await types.getLatestType(db, request.params.name)),
  );

  app.post(
    '/api/analysis-types',
    {
      schema: {
        tags,
        summary: 'Register a version of an analysis type (admins)',
        description:
          'The command is a template of arguments (`{params.NAME}`, `{inputs}`, `{resources.cpus}`), never a ' +
          'shell line; `parameters` is a JSON Schema of type object. A definition that does not hold together ' +
          'is 422 `invalid` naming the field (`parameters.type`, `command.2`, `outputs.0.path`, ' +
          '`resources.time`). The same name and version again with the same definition answers the existing ' +
          'version (200); with a different one it is 409 `conflict`: versions never change.',
        body: CreateAnalysisTypeSchema,
        response: { 200: AnalysisTypeSchema, 201: AnalysisTypeSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { type, created } = await inTransaction(db, (trx) =>
        types.registerType(trx, actorOf(request), request.body),
      );
      return reply.code(created ? 201 : 200).send(types.toAnalysisType(type));
    },
  );
}
