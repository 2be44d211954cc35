/** HTTP routes of the compute module: HPC resources and their agents' tokens. */
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { IdParams, problemResponses } from '../../http/common.schema.js';
import { inTransaction } from '../../db/transaction.js';
import {
  AgentTokenSchema,
  CreateAgentTokenSchema,
  CreateHpcResourceSchema,
  HpcResourceSchema,
  HpcResourcesPageSchema,
  ListHpcResourcesQuerySchema,
  UpdateHpcResourceSchema,
} from './compute.schema.js';
import * as resources from './hpc-resources.service.js';
import { issueAgentToken } from './resource-agents.service.js';

export function registerComputeRoutes(app: App, { database: { db }, config }: AppContext): void {
  const tags = ['compute'];
  const heartbeats: resources.HeartbeatPolicy = { staleSeconds: config.agentStaleSeconds };
  const statusNote =
    'A resource whose agent has sent no heartbeat for `CAIRN_AGENT_STALE_SECONDS` is answered as `offline`, ' +
    'whatever status an admin set; `lastHeartbeatAt` is null for resources served by the embedded agent.';

  app.post(
    '/api/hpc-resources',
    {
      schema: {
        tags,
        summary: 'Register an HPC resource (admins)',
        description:
          'A new resource is `online` unless `status` says otherwise. Names are unique (409 `conflict`); a bad ' +
          'setting is 422 `invalid` naming it (`settings.defaultTime`, …).',
        body: CreateHpcResourceSchema,
        response: { 201: HpcResourceSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const resource = await inTransaction(db, (trx) =>
        resources.createResource(trx, actorOf(request), request.body, heartbeats),
      );
      return reply.code(201).send(resource);
    },
  );

  app.get(
    '/api/hpc-resources',
    {
      schema: {
        tags,
        summary: 'HPC resources by name, cursor-paged',
        description: statusNote,
        querystring: ListHpcResourcesQuerySchema,
        response: { 200: HpcResourcesPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      resources.listResources(db, { ...request.query, limit: request.query.limit ?? 50 }, heartbeats),
  );

  app.get(
    '/api/hpc-resources/:id',
    {
      schema: {
        tags,
        summary: 'One HPC resource',
        description: statusNote,
        params: IdParams,
        response: { 200: HpcResourceSchema, ...problemResponses },
      },
    },
    async (request) => resources.getResource(db, request.params.id, heartbeats),
  );

  app.patch(
    '/api/hpc-resources/:id',
    {
      schema: {
        tags,
        summary: 'Change an HPC resource (admins): name, description, status, settings',
        description:
          '`settings` replaces the settings as a whole. `draining`: the resource takes no new jobs and ' +
          'finishes the ones it has.',
        params: IdParams,
        body: UpdateHpcResourceSchema,
        response: { 200: HpcResourceSchema, ...problemResponses },
      },
    },
    async (request) =>
      inTransaction(db, (trx) =>
        resources.updateResource(trx, actorOf(request), request.params.id, request.body, heartbeats),
      ),
  );

  app.post(
    '/api/hpc-resources/:id/agent-tokens',
    {
      schema: {
        tags,
        summary: "Issue an API token for the resource's agent (admins); the secret is shown once",
        description:
          "The first token makes the resource's agent account (`agent-<name>`), a machine account whose tokens " +
          'reach only the agent routes of this resource. Give the token to `cairn agent --token` beside the ' +
          'cluster.',
        params: IdParams,
        body: CreateAgentTokenSchema,
        response: { 201: AgentTokenSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const token = await inTransaction(db, (trx) =>
        issueAgentToken(trx, actorOf(request), request.params.id, request.body, heartbeats),
      );
      return reply.code(201).send(token);
    },
  );
}
