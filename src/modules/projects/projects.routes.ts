/** HTTP routes of projects and their members. */
import { Type } from 'typebox';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { IdParams, problemResponses } from '../../http/common.schema.js';
import { inTransaction } from '../../db/transaction.js';
import {
  AddMemberSchema,
  CreateProjectSchema,
  ListProjectsQuerySchema,
  MemberSchema,
  ProjectSchema,
  ProjectsPageSchema,
  UpdateProjectSchema,
} from './projects.schema.js';
import * as projects from './projects.service.js';

export function registerProjectRoutes(app: App, { database: { db } }: AppContext): void {
  const tags = ['projects'];

  app.post(
    '/api/projects',
    {
      schema: {
        tags,
        summary: 'Create a project (you become its manager unless you name one)',
        body: CreateProjectSchema,
        response: { 201: ProjectSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const project = await inTransaction(db, (trx) =>
        projects.createProject(trx, actorOf(request), request.body),
      );
      return reply.code(201).send(project);
    },
  );

  app.get(
    '/api/projects',
    {
      schema: {
        tags,
        summary: 'Projects you belong to (admins: all), filtered by status and text, sorted, cursor-paged',
        querystring: ListProjectsQuerySchema,
        response: { 200: ProjectsPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      projects.listProjects(db, actorOf(request), { ...request.query, limit: request.query.limit ?? 50 }),
  );

  app.get(
    '/api/projects/:id',
    {
      schema: {
        tags,
        summary: 'One project',
        params: IdParams,
        response: { 200: ProjectSchema, ...problemResponses },
      },
    },
    async (request) => projects.getProject(db, actorOf(request), request.params.id),
  );

  app.patch(
    '/api/projects/:id',
    {
      schema: {
        tags,
        summary: 'Change a project (members; status and manager: managers)',
        description:
          'Members change the name, description and dates; managers also the status and the manager. ' +
          '`managerUsername` must name an active user, as on create (a deactivated one: 422 `invalid`, field ' +
          '`managerUsername`). The new manager becomes a member with role `manager`; the previous manager stays a ' +
          'member with role `member` (and so may no longer manage the project); each membership change is in the ' +
          'audit trail. Naming the current manager changes no membership.',
        params: IdParams,
        body: UpdateProjectSchema,
        response: { 200: ProjectSchema, ...problemResponses },
      },
    },
    async (request) =>
      inTransaction(db, (trx) =>
        projects.updateProject(trx, actorOf(request), request.params.id, request.body),
      ),
  );

  app.delete(
    '/api/projects/:id',
    {
      schema: {
        tags,
        summary: 'Delete a project (managers)',
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await inTransaction(db, (trx) => projects.deleteProject(trx, actorOf(request), request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/projects/:id/members',
    {
      schema: {
        tags,
        summary: 'Members of a project',
        params: IdParams,
        response: { 200: Type.Array(MemberSchema), ...problemResponses },
      },
    },
    async (request) => projects.listMembers(db, actorOf(request), request.params.id),
  );

  app.post(
    '/api/projects/:id/members',
    {
      schema: {
        tags,
        summary: 'Add a member or change their role (managers)',
        params: IdParams,
        body: AddMemberSchema,
        response: { 201: MemberSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const member = await inTransaction(db, (trx) =>
        projects.addMember(trx, actorOf(request), request.params.id, request.body),
      );
      return reply.code(201).send(member);
    },
  );

  app.delete(
    '/api/projects/:id/members/:userId',
    {
      schema: {
        tags,
        summary: 'Remove a member (managers)',
        params: Type.Object({ id: Type.String({ maxLength: 200 }), userId: Type.String({ maxLength: 200 }) }),
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await inTransaction(db, (trx) =>
        projects.removeMember(trx, actorOf(request), request.params.id, request.params.userId),
      );
      return reply.code(204).send(null);
    },
  );
}
