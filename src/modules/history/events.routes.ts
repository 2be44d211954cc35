/**
 * HTTP route of the live events: `GET /api/events`, the audit trail as Server-Sent Events, each event the
 * caller may see once it is final, resumable after any event id (`Last-Event-ID`).
 */
import { Type } from 'typebox';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf, reauthenticate } from '../../http/authentication.js';
import { problemResponses } from '../../http/common.schema.js';
import { replyWithEventStream, type EventStreamReply } from '../../http/server-sent-events.js';
import { EventFeed, type OpenStream } from './event-stream.js';
import type { LiveEvent } from './history.schema.js';
import { LiveEventsQuerySchema } from './history.schema.js';

/** A comment this often keeps proxies from closing a quiet stream; the caller's credentials are checked again. */
const KEEP_ALIVE_MS = 15_000;

const LastEventIdHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,15}$',
      description: 'Resume after this event id (browsers resend the last id they got when they reconnect)',
    }),
  ),
});

export function registerEventRoutes(app: App, ctx: AppContext): void {
  const {
    database: { db },
    config,
    log,
  } = ctx;
  const feed = new EventFeed({
    db,
    databaseUrl: config.databaseUrl,
    log,
    labWideTypes: ctx.labWideAuditTypes,
    hideUnseenReferences: ctx.hideUnseenAuditReferences,
  });
  const replies = new Set<EventStreamReply>();
  // Open streams would keep the server from closing: end them first (clients reconnect to another process).
  app.addHook('preClose', async () => {
    for (const reply of replies) reply.end();
    await feed.close();
  });

  app.get(
    '/api/events',
    {
      schema: {
        tags: ['audit'],
        summary: 'Live events: changes the caller may see, as Server-Sent Events',
        description:
          'Each change is sent once it is committed, as `id: <audit event id>`, `event: <entity type>` and ' +
          '`data:` the event as JSON (the audit event without its before view: `after` blanked as the history ' +
          'blanks it). Without `Last-Event-ID` (header, or the `lastEventId` parameter) the stream starts with ' +
          'changes made after it opened; with it, after that event, so a client that reconnects misses nothing ' +
          'and gets nothing twice. A `: keep-alive` comment comes every 15 s. Project rights apply as in ' +
          '`GET /api/audit`; the stream ends when the credentials no longer hold.',
        querystring: LiveEventsQuerySchema,
        headers: LastEventIdHeaders,
        response: {
          200: {
            description: 'One frame per event: `id`, `event` (the entity type) and `data` (JSON)',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { types, entityId, lastEventId } = request.query;
      const resumeAfter = request.headers['last-event-id'] ?? lastEventId;
      let sse: EventStreamReply | null = null;
      const early: LiveEvent[] = [];
      const send = (event: LiveEvent) => sse?.send({ id: event.id, event: event.entityType, data: event });
      const stream: OpenStream = await feed.open(
        {
          actor: actorOf(request),
          entityTypes: types?.split(','),
          entityId,
          afterId: resumeAfter === undefined ? undefined : Number(resumeAfter),
        },
        { send: (events) => (sse === null ? early.push(...events) : events.forEach(send)) },
      );
      const events = replyWithEventStream(reply, {
        keepAliveMs: KEEP_ALIVE_MS,
        onKeepAlive: () => {
          reauthenticate(db, request).then(
            (actor) => {
              stream.refresh(actor);
              if (actor === null) events.end();
            },
            (error: unknown) => request.log.warn({ err: error }, 'live events: checking credentials failed'),
          );
        },
        onEnd: () => {
          stream.close();
          if (sse !== null) replies.delete(sse);
        },
      });
      sse = events;
      if (!events.ended) replies.add(events);
      early.forEach(send);
      return reply;
    },
  );
}
