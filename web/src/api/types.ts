/**
 * Names for the API's request and response shapes, all taken from the generated `paths` (schema.d.ts) so
 * that they follow the server; nothing here is written by hand. The helpers (`Ok`, `BodyOf`, `QueryOf`) are
 * how every page group's own type names (inventory-types.ts, sample-types.ts…) read the generated paths.
 */
import type { paths } from './schema';

/** The JSON body of a response or request description. */
export type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
/** The JSON of an operation's 200 (or else 201) answer. */
export type Ok<Path extends keyof paths, Method extends keyof paths[Path]> = paths[Path][Method] extends {
  responses: { 200: infer Response };
}
  ? JsonOf<Response>
  : paths[Path][Method] extends { responses: { 201: infer Response } }
    ? JsonOf<Response>
    : never;
/** The JSON body an operation takes. */
export type BodyOf<Path extends keyof paths, Method extends keyof paths[Path]> = paths[Path][Method] extends {
  requestBody: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;
/** The query parameters of a path's GET. */
export type QueryOf<Path extends keyof paths> = paths[Path] extends {
  get: { parameters: { query?: infer Query } };
}
  ? NonNullable<Query>
  : never;

export type Problem = JsonOf<paths['/api/projects']['get']['responses'][400]>;

export type SessionInfo = Ok<'/api/auth/me', 'get'>;
export type User = SessionInfo['user'];
export type SystemRole = User['role'];
export type CreateUser = BodyOf<'/api/users', 'post'>;
export type Token = Ok<'/api/tokens', 'get'>[number];
export type CreatedToken = Ok<'/api/tokens', 'post'>;

export type Project = Ok<'/api/projects/{id}', 'get'>;
export type ProjectStatus = Project['status'];
export type ProjectRole = NonNullable<Project['myRole']>;
export type ProjectQuery = QueryOf<'/api/projects'>;
export type ProjectSort = NonNullable<ProjectQuery['sort']>;
export type CreateProject = BodyOf<'/api/projects', 'post'>;
export type UpdateProject = BodyOf<'/api/projects/{id}', 'patch'>;
export type Member = Ok<'/api/projects/{id}/members', 'get'>[number];

export type AuditEvent = Ok<'/api/audit', 'get'>['items'][number];

export type Task = Ok<'/api/tasks/{id}', 'get'>;
export type TaskStatus = Task['status'];
