/**
 * HTTP routes of the agents (`/api/agent/resources/:resource/…`): what `cairn agent` beside a cluster calls. They
 * need the token of a machine account that is an agent of the named resource; that token reaches nothing else.
 */
import type { IncomingMessage } from 'node:http';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { problemResponses } from '../../http/common.schema.js';
import { inTransaction } from '../../db/transaction.js';
import {
  AdoptSchema,
  AgentIdQuery,
  AgentJobParams,
  AgentJobsSchema,
  AgentResourceParams,
  ClaimSchema,
  HeartbeatAnswerSchema,
  HeartbeatSchema,
  InputParams,
  LogParams,
  OutputQuerySchema,
  ReportAnswerSchema,
  ReportBodySchema,
} from './agent.schema.js';
import { HpcResourceSchema } from './compute.schema.js';
import * as jobs from './hpc-jobs.service.js';
import type { HeartbeatPolicy } from './hpc-resources.service.js';

export function registerAgentRoutes(app: App, { database: { db }, config, files }: AppContext): void {
  const tags = ['agent'];
  const policy: HeartbeatPolicy = { staleSeconds: config.agentStaleSeconds };
  const agentRoute = { agent: true };
  const session = (request: Parameters<typeof actorOf>[0], resource: string, agentId: string) =>
    jobs.openAgentSession(db, actorOf(request), { name: resource }, agentId, policy);

  app.get(
    '/api/agent/resources/:resource',
    {
      config: agentRoute,
      schema: {
        tags,
        summary: 'The resource the agent serves: its type, status and settings',
        params: AgentResourceParams,
        querystring: AgentIdQuery,
        response: { 200: HpcResourceSchema, ...problemResponses },
      },
    },
    async (request) => (await session(request, request.params.resource, request.query.agentId)).resource,
  );

  app.post(
    '/api/agent/resources/:resource/heartbeat',
    {
      config: agentRoute,
      schema: {
        tags,
        summary:
          "The agent is alive: renews its jobs' leases, keeps the logs' tails; answers the jobs to cancel",
        params: AgentResourceParams,
        body: HeartbeatSchema,
        response: { 200: HeartbeatAnswerSchema, ...problemResponses },
      },
    },
    async (request) => {
      const open = await session(request, request.params.resource, request.body.agentId);
      return inTransaction(db, (trx) => jobs.heartbeat(trx, open, request.body.jobs));
    },
  );

  app.post(
    '/api/agent/resources/:resource/claim',
    {
      config: agentRoute,
      schema: {
        tags,
        summary:
          'Take up to `limit` queued jobs of the resource, leased to this agent (none while it drains)',
        params: AgentResourceParams,
        body: ClaimSchema,
        response: { 200: AgentJobsSchema, ...problemResponses },
      },
    },
    async (request) => {
      const open = await session(request, request.params.resource, request.body.agentId);
      return { jobs: await inTransaction(db, (trx) => jobs.claimJobs(trx, open, request.body.limit)) };
    },
  );

  app.post(
    '/api/agent/resources/:resource/adopt',
    {
      config: agentRoute,
      schema: {
        tags,
        summary: "The unended jobs this agent holds, and those a vanished agent's lease left behind",
        params: AgentResourceParams,
        body: AdoptSchema,
        response: { 200: AgentJobsSchema, ...problemResponses },
      },
    },
    async (request) => {
      const open = await session(request, request.params.resource, request.body.agentId);
      return { jobs: await inTransaction(db, (trx) => jobs.adoptJobs(trx, open)) };
    },
  );

  app.post(
    '/api/agent/resources/:resource/jobs/:jobId/report',
    {
      config: agentRoute,
      schema: {
        tags,
        summary: 'Report a state change of a job the agent holds (submitted, running, ended)',
        description:
          'Reports only move a job forward and are idempotent. An ending reported `completed` whose required ' +
          'outputs were not handed over first is recorded as failed. 409 when another agent holds the job.',
        params: AgentJobParams,
        body: ReportBodySchema,
        response: { 200: ReportAnswerSchema, ...problemResponses },
      },
    },
    async (request) => {
      const open = await session(request, request.params.resource, request.body.agentId);
      return inTransaction(db, (trx) => jobs.reportJob(trx, open, request.params.jobId, request.body.report));
    },
  );

  app.get(
    '/api/agent/resources/:resource/jobs/:jobId/inputs/:fileId',
    {
      config: agentRoute,
      schema: {
        tags,
        summary: 'Download an input file of a job the agent holds',
        params: InputParams,
        querystring: AgentIdQuery,
        produces: ['application/octet-stream'],
        response: { 200: Type.Unknown({ description: 'the file' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const open = await session(request, request.params.resource, request.query.agentId);
      const input = await jobs.openJobInput(db, files, open, request.params.jobId, request.params.fileId);
      return reply
        .type('application/octet-stream')
        .header('content-length', String(input.size))
        .header('x-content-type-options', 'nosniff')
        .send(input.stream);
    },
  );

  // Uploads stream the request body into the file store: an encapsulated plugin takes octet-stream bodies raw.
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
    const rawBody = (body: unknown) => body as IncomingMessage;

    scope.put(
      '/api/agent/resources/:resource/jobs/:jobId/outputs',
      {
        config: agentRoute,
        schema: {
          tags,
          summary: 'Hand over an output file of a job the agent holds (application/octet-stream, streamed)',
          description:
            "`name` must match the declared output's pattern; the same name again replaces it. At most " +
            'CAIRN_UPLOAD_LIMIT_BYTES.',
          consumes: ['application/octet-stream'],
          params: AgentJobParams,
          querystring: OutputQuerySchema,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        const open = await session(request, request.params.resource, request.query.agentId);
        await jobs.saveJobOutput(db, files, open, request.params.jobId, {
          output: request.query.output,
          name: request.query.name,
          stream: rawBody(request.body),
          maxBytes: config.uploadLimitBytes,
        });
        return reply.code(204).send(null);
      },
    );

    scope.put(
      '/api/agent/resources/:resource/jobs/:jobId/logs/:stream',
      {
        config: agentRoute,
        schema: {
          tags,
          summary: 'Hand over the whole stdout or stderr log of a job the agent holds (streamed)',
          consumes: ['application/octet-stream'],
          params: LogParams,
          querystring: AgentIdQuery,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        const open = await session(request, request.params.resource, request.query.agentId);
        await jobs.saveJobLog(db, files, open, request.params.jobId, {
          stream: request.params.stream,
          content: rawBody(request.body),
          maxBytes: config.uploadLimitBytes,
        });
        return reply.code(204).send(null);
      },
    );
  });
}
