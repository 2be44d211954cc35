/** HTTP routes of the task queue (administrators). */
import { Type } from 'typebox';
import type { App, AppContext } from '../http/app-context.js';
import { actorOf } from '../http/authentication.js';
import { problemResponses, SerialId } from '../http/common.schema.js';
import { getTask, listTasks, TaskSchema, TaskStatusSchema } from './tasks.service.js';

export function registerTaskRoutes(app: App, { database: { db } }: AppContext): void {
  const tags = ['tasks'];
  app.get(
    '/api/tasks',
    {
      schema: {
        tags,
        summary: 'Background tasks, newest first (admins)',
        querystring: Type.Object({
          status: Type.Optional(TaskStatusSchema),
          name: Type.Optional(Type.String({ maxLength: 100 })),
          cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(TaskSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) =>
      listTasks(db, actorOf(request), {
        status: request.query.status,
        name: request.query.name,
        cursor: request.query.cursor === undefined ? undefined : Number(request.query.cursor),
        limit: request.query.limit ?? 50,
      }),
  );
  app.get(
    '/api/tasks/:id',
    {
      schema: {
        tags,
        summary: 'One background task (admins)',
        params: Type.Object({ id: SerialId }),
        response: { 200: TaskSchema, ...problemResponses },
      },
    },
    async (request) => getTask(db, actorOf(request), request.params.id),
  );
}
