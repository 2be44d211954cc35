/** HTTP routes of instruments and their sessions (the Session Logger's API). */
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { problemResponses } from '../../http/common.schema.js';
import { inTransaction } from '../../db/transaction.js';
import {
  CreateInstrumentSchema,
  IdempotencyHeaders,
  InstrumentParams,
  InstrumentSchema,
  InstrumentsListSchema,
  ListSessionsQuerySchema,
  SessionParams,
  SessionSchema,
  SessionsPageSchema,
  StartSessionSchema,
  UpdateInstrumentSchema,
} from './instruments.schema.js';
import * as instruments from './instruments.service.js';
import * as builds from './session-builds.service.js';
import * as sessions from './sessions.service.js';

export function registerInstrumentRoutes(
  app: App,
  { database: { db }, config, recordsOfSessions }: AppContext,
): void {
  const tags = ['instruments'];
  const dataRoot = config.instrumentDataDir;

  app.post(
    '/api/instruments',
    {
      schema: {
        tags,
        summary: 'Register an instrument (staff)',
        description:
          '`filestorePath` must lie inside CAIRN_INSTRUMENT_DATA_DIR and `timezone` be an IANA zone (422 naming ' +
          'the field); a PID, API URL, computer name or address another instrument has is 409.',
        body: CreateInstrumentSchema,
        response: { 201: InstrumentSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await inTransaction(db, (trx) =>
        instruments.createInstrument(trx, actorOf(request), request.body, dataRoot),
      );
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/instruments',
    {
      schema: {
        tags,
        summary: 'Every instrument, by PID',
        response: { 200: InstrumentsListSchema, ...problemResponses },
      },
    },
    async () => ({ items: await instruments.listInstruments(db) }),
  );

  app.get(
    '/api/instruments/:pid',
    {
      schema: {
        tags,
        summary: 'One instrument',
        params: InstrumentParams,
        response: { 200: InstrumentSchema, ...problemResponses },
      },
    },
    async (request) => instruments.getInstrument(db, request.params.pid),
  );

  app.patch(
    '/api/instruments/:pid',
    {
      schema: {
        tags,
        summary: "Change an instrument's settings (staff); its PID stays",
        params: InstrumentParams,
        body: UpdateInstrumentSchema,
        response: { 200: InstrumentSchema, ...problemResponses },
      },
    },
    async (request) =>
      inTransaction(db, (trx) =>
        instruments.updateInstrument(trx, actorOf(request), request.params.pid, request.body, dataRoot),
      ),
  );

  app.post(
    '/api/sessions',
    {
      schema: {
        tags,
        summary: 'Start a session on an instrument (a START row, WAITING_FOR_END)',
        description:
          'Returns the session identifier to end it with. An unknown instrument is 422; an instrument whose ' +
          'sessions come from NEMO is 409. Staff may log a session for another user (`user`).',
        headers: IdempotencyHeaders,
        body: StartSessionSchema,
        response: { 201: SessionSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const session = await inTransaction(db, (trx) =>
        sessions.startSession(trx, actorOf(request), request.body, request.headers['idempotency-key']),
      );
      return reply.code(201).send(session);
    },
  );

  app.post(
    '/api/sessions/:sessionIdentifier/end',
    {
      schema: {
        tags,
        summary: 'End a session (an END row; every row of the session TO_BE_BUILT)',
        description: 'An unknown session is 404; one that has ended already is 409.',
        headers: IdempotencyHeaders,
        params: SessionParams,
        response: { 200: SessionSchema, ...problemResponses },
      },
    },
    async (request) =>
      inTransaction(db, (trx) =>
        sessions.endSession(
          trx,
          actorOf(request),
          request.params.sessionIdentifier,
          request.headers['idempotency-key'],
        ),
      ),
  );

  app.get(
    '/api/sessions',
    {
      schema: {
        tags,
        summary: 'Sessions, one row each, newest first; filters; cursor-paged',
        description: 'Staff and admins see every session; others the sessions logged as them.',
        querystring: ListSessionsQuerySchema,
        response: { 200: SessionsPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      sessions.listSessions(
        db,
        actorOf(request),
        { ...request.query, limit: request.query.limit ?? 50 },
        recordsOfSessions,
      ),
  );

  app.post(
    '/api/sessions/:sessionIdentifier/rebuild',
    {
      schema: {
        tags,
        summary: 'Send a session whose record build failed (ERROR) back to be built (staff)',
        description: 'Only an ERROR session can be sent back (409 otherwise).',
        params: SessionParams,
        response: { 200: SessionSchema, ...problemResponses },
      },
    },
    async (request) =>
      inTransaction(db, async (trx) => {
        await builds.retrySessionBuild(trx, actorOf(request), request.params.sessionIdentifier);
        return sessions.getSession(trx, actorOf(request), request.params.sessionIdentifier);
      }),
  );

  app.get(
    '/api/sessions/:sessionIdentifier',
    {
      schema: {
        tags,
        summary: 'One session',
        params: SessionParams,
        response: { 200: SessionSchema, ...problemResponses },
      },
    },
    async (request) =>
      sessions.getSession(db, actorOf(request), request.params.sessionIdentifier, recordsOfSessions),
  );
}
