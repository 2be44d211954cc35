/**
 * Names for the inventory shapes of the API, all taken from the generated `paths` (schema.d.ts) through the
 * helpers of api/types.ts, so that they follow the server; nothing here is written by hand.
 */
import type { BodyOf, Ok, QueryOf } from '../api/types';

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
