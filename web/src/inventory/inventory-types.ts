/**
 * Names for the inventory and sample shapes of the API, all taken from the generated `paths` (schema.d.ts) so
 * that they follow the server; nothing here is written by hand.
 */
import type { paths } from '../api/schema';

export type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
export type Ok<Path extends keyof paths, Method extends keyof paths[Path]> = paths[Path][Method] extends {
  responses: { 200: infer Response };
}
  ? JsonOf<Response>
  : paths[Path][Method] extends { responses: { 201: infer Response } }
    ? JsonOf<Response>
    : never;
export type BodyOf<Path extends keyof paths, Method extends keyof paths[Path]> = paths[Path][Method] extends {
  requestBody: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;
export type QueryOf<Path extends keyof paths> = paths[Path] extends {
  get: { parameters: { query?: infer Query } };
}
  ? NonNullable<Query>
  : never;

export type ItemType = Ok<'/api/types', 'get'>[number];
export type FieldDefinition = ItemType['fields'][number];
export type FieldKind = FieldDefinition['kind'];
export type ItemClass = ItemType['class'];

export type Item = Ok<'/api/items/{id}', 'get'>;
export type ItemFieldValue = Item['fields'][string];
export type ItemQuery = QueryOf<'/api/items'>;
export type CreateItem = BodyOf<'/api/items', 'post'>;
export type UpdateItem = BodyOf<'/api/items/{id}', 'patch'>;
export type MoveItem = BodyOf<'/api/items/{id}/move', 'post'>;
export type PathEntry = Ok<'/api/items/{id}/path', 'get'>[number];
export type Children = Ok<'/api/items/{id}/children', 'get'>;
export type GridOccupancy = NonNullable<Children['grid']>;
export type SlotOccupant = GridOccupancy['occupancy'][string];
export type ItemFile = Ok<'/api/items/{id}/files', 'get'>[number];
