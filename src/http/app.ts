/**
 * The HTTP application: Fastify with TypeBox schemas on every route, the OpenAPI document and explorer,
 * authentication, security headers, request ids, one log line per request, problem+json errors, and the
 * web UI's static files. `buildApp` registers everything and returns the instance unstarted (tests inject).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { LogController } from 'fastify';
import { Type } from 'typebox';
import { VERSION } from '../config/version.js';
import { pingDatabase } from '../db/database.js';
import { registerAccountRoutes } from '../modules/accounts/accounts.routes.js';
import { LoginThrottle } from '../modules/accounts/login-throttle.js';
import { registerEventRoutes } from '../modules/history/events.routes.js';
import { registerHistoryRoutes } from '../modules/history/history.routes.js';
import { hideUnseenItemReferences, inventoryAuditTypes } from '../modules/inventory/audit-types.js';
import { storeSampleMovedIntoSlot } from '../modules/samples/samples.service.js';
import { registerBulkRoutes } from '../modules/bulk/bulk.routes.js';
import { computeAuditTypes } from '../modules/compute/audit-types.js';
import { registerAnalysisTypeRoutes } from '../modules/compute/analysis-types.routes.js';
import { registerAgentRoutes } from '../modules/compute/agent.routes.js';
import { registerAnalysisRoutes } from '../modules/compute/analyses.routes.js';
import { registerComputeRoutes } from '../modules/compute/compute.routes.js';
import { instrumentAuditTypes } from '../modules/instruments/audit-types.js';
import { registerInstrumentRoutes } from '../modules/instruments/instruments.routes.js';
import { registerRecordRoutes } from '../modules/records/records.routes.js';
import { registerSearchRoutes } from '../modules/search/search.routes.js';
import { registerSequenceSearchRoutes } from '../modules/search/sequence-search.routes.js';
import { recordsOfSessions } from '../modules/records/records.service.js';
import { registerInventoryRoutes } from '../modules/inventory/inventory.routes.js';
import { registerItemFileRoutes } from '../modules/inventory/item-files.routes.js';
import { registerLabelRoutes } from '../modules/inventory/labels.routes.js';
import { registerSampleRoutes } from '../modules/samples/samples.routes.js';
import { FileStore } from '../files/file-store.js';
import fastifyMultipart from '@fastify/multipart';
import { registerProjectRoutes } from '../modules/projects/projects.routes.js';
import { registerTaskRoutes } from '../tasks/tasks.routes.js';
import { registerApiExplorer } from './api-explorer.js';
import { authenticateRequest } from './authentication.js';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  installErrorHandler,
  sendProblem,
} from './error-handler.js';
import { computeSecurityHeaders, isApiRequest } from './security-headers.js';
import type { App, AppContext } from './app-context.js';
import { accessLogWriter, lazyRequestLogger } from './logger.js';
import { refuseUnstorableText } from './storable-input.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

function createValidators() {
  const common = { allErrors: false, strict: false, useDefaults: true, removeAdditional: false } as const;
  // Bodies are taken as sent ("12" is not 12); query strings and path parameters are text and get coerced.
  const bodyAjv = addFormats.default(new Ajv({ ...common, coerceTypes: false }));
  const textAjv = addFormats.default(new Ajv({ ...common, coerceTypes: 'array' }));
  return { bodyAjv, textAjv };
}

export async function buildApp(
  context: Omit<
    AppContext,
    | 'loginThrottle'
    | 'files'
    | 'labWideAuditTypes'
    | 'hideUnseenAuditReferences'
    | 'placedInSlot'
    | 'wakeAgents'
    | 'recordsOfSessions'
  > &
    Partial<Pick<AppContext, 'loginThrottle' | 'files' | 'wakeAgents'>>,
): Promise<App> {
  const { config, log } = context;
  const ctx: AppContext = {
    ...context,
    loginThrottle:
      context.loginThrottle ?? new LoginThrottle(config.loginMaxFailures, config.loginWindowMinutes * 60_000),
    files: context.files ?? new FileStore(config.filesDir),
    labWideAuditTypes: [...inventoryAuditTypes, ...computeAuditTypes, ...instrumentAuditTypes],
    hideUnseenAuditReferences: hideUnseenItemReferences,
    placedInSlot: storeSampleMovedIntoSlot,
    // Without embedded agents (tests, `cairn worker`), queued jobs wait for an agent's next poll.
    wakeAgents: context.wakeAgents ?? (() => undefined),
    recordsOfSessions,
  };
  const securityHeaders = computeSecurityHeaders(config);
  const app = Fastify({
    frameworkErrors: frameworkErrorHandler(securityHeaders.api),
    clientErrorHandler: clientErrorHandler(securityHeaders.api),
    // A request that reaches a closing server (behind another on a kept-alive connection) is served, with
    // `Connection: close`, rather than refused with Fastify's bare-JSON 503: close() waits for it anyway.
    return503OnClosing: false,
    loggerInstance: log,
    childLoggerFactory: lazyRequestLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    genReqId: (req) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  const { bodyAjv, textAjv } = createValidators();
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? bodyAjv.compile(schema) : textAjv.compile(schema),
  );

  // One hook for what every request needs first: security headers, its id, who is asking.
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request, reply) => {
    const headers = isApiRequest(request.url) ? securityHeaders.api : securityHeaders.document;
    void reply.headers(headers).header('x-request-id', request.id);
    await authenticateRequest(ctx.database.db, request);
  });
  // Text neither database can store is refused before any schema or service sees it (db/storable-text.ts).
  app.addHook('preValidation', refuseUnstorableText);
  // The access line is written by the process logger's access-line writer (the id as a field, as in a request's
  // own logger's lines): request loggers are then only built for requests that log something else.
  const writeAccessLine = accessLogWriter(log);
  app.addHook('onResponse', (request, reply, done) => {
    writeAccessLine({
      reqId: request.id,
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    });
    done();
  });

  installErrorHandler(app);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cairn API',
        version: VERSION,
        description:
          'Cairn LIMS: projects, samples, inventory, instrument records and HPC analyses. Errors are RFC 9457 problem documents (application/problem+json) with a stable `code`.',
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token from POST /api/tokens or `cairn token create`',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'cairn_session',
            description: 'Browser session; writes also need X-CSRF-Token',
          },
        },
      },
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    },
  });
  await registerApiExplorer(app);

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database check',
        security: [],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.String(), version: Type.String() }),
        },
      },
    },
    async (request, reply) => {
      try {
        await pingDatabase(ctx.database.db);
      } catch (error) {
        request.log.error({ err: error }, 'health check: database unreachable');
        return sendProblem(request, reply, 'database_unavailable', 'The database does not answer');
      }
      return { status: 'ok' as const, database: ctx.database.dialect, version: VERSION };
    },
  );

  registerAccountRoutes(app, ctx);
  registerProjectRoutes(app, ctx);
  registerHistoryRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerInventoryRoutes(app, ctx);
  // Multipart parsing only where files are uploaded: the plugin adds an onResponse hook (a promise) to every
  // route of its scope. The file store enforces the real size limit while streaming; the parser's is a
  // backstop just above it.
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, {
      limits: { fileSize: config.uploadLimitBytes + 1, files: 20, fields: 20 },
    });
    registerItemFileRoutes(uploads, ctx);
  });
  registerLabelRoutes(app, ctx);
  registerSampleRoutes(app, ctx);
  registerBulkRoutes(app, ctx);
  registerComputeRoutes(app, ctx);
  registerAnalysisTypeRoutes(app, ctx);
  registerAnalysisRoutes(app, ctx);
  registerAgentRoutes(app, ctx);
  registerInstrumentRoutes(app, ctx);
  registerRecordRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerSequenceSearchRoutes(app, ctx);
  registerTaskRoutes(app, ctx);

  await serveWebUi(app, config.webDir);
  return app;
}

/** Serves the built web UI at / with history-API fallback to index.html (when it has been built). */
async function serveWebUi(app: App, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.log.warn({ webDir }, 'web UI not built (npm run build:web); serving the API only');
    return;
  }
  await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  // index.html is read on each request (it is small), so a rebuilt UI is picked up without a restart.
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (request.url.startsWith('/api/')) {
      return sendProblem(
        request,
        reply,
        'route_not_found',
        `No route ${request.method} ${request.url.split('?')[0]}`,
      );
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
