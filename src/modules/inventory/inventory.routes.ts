/** HTTP routes of the inventory: item types, items, scanned codes, the hierarchy and moves. */
import { Type } from 'typebox';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { IdParams, problemResponses } from '../../http/common.schema.js';
import { inTransaction } from '../../db/transaction.js';
import * as hierarchy from './hierarchy.service.js';
import {
  BulkMoveSchema,
  ChildrenQuerySchema,
  ChildrenSchema,
  CodeParams,
  CreateItemSchema,
  CreateItemTypeSchema,
  DescendantsPageSchema,
  DescendantsQuerySchema,
  ItemSchema,
  ItemsPageSchema,
  ItemTypeSchema,
  ListItemsQuerySchema,
  ListItemTypesQuerySchema,
  MoveItemSchema,
  PathEntrySchema,
  UpdateItemSchema,
  UpdateItemTypeSchema,
} from './inventory.schema.js';
import { createItem } from './item-creation.service.js';
import { deleteItem, restoreItem, updateItem } from './item-changes.service.js';
import { listItems } from './item-lists.service.js';
import { getItem, resolveCode } from './items.service.js';
import * as types from './types.service.js';

export function registerInventoryRoutes(app: App, { database: { db }, placedInSlot }: AppContext): void {
  const tags = ['inventory'];

  app.post(
    '/api/types',
    {
      schema: {
        tags,
        summary:
          'Define an item type: class, typed fields, the virtual rule, an optional grid (admins, staff)',
        body: CreateItemTypeSchema,
        response: { 201: ItemTypeSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const type = await inTransaction(db, (trx) => types.createType(trx, actorOf(request), request.body));
      return reply.code(201).send(type);
    },
  );

  app.get(
    '/api/types',
    {
      schema: {
        tags,
        summary: 'Every item type, by name',
        querystring: ListItemTypesQuerySchema,
        response: { 200: Type.Array(ItemTypeSchema), ...problemResponses },
      },
    },
    async (request) => types.listTypes(db, request.query),
  );

  app.get(
    '/api/types/:id',
    {
      schema: {
        tags,
        summary: 'One item type, by id or name',
        params: IdParams,
        response: { 200: ItemTypeSchema, ...problemResponses },
      },
    },
    async (request) => types.getType(db, request.params.id),
  );

  app.patch(
    '/api/types/:id',
    {
      schema: {
        tags,
        summary: 'Change an item type; refused if existing items would become invalid (admins, staff)',
        params: IdParams,
        body: UpdateItemTypeSchema,
        response: { 200: ItemTypeSchema, ...problemResponses },
      },
    },
    async (request) =>
      inTransaction(db, (trx) => types.updateType(trx, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/items',
    {
      schema: {
        tags,
        summary: 'Create a virtual or physical item; fields are checked against its type',
        body: CreateItemSchema,
        response: { 201: ItemSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const item = await inTransaction(db, (trx) => createItem(trx, actorOf(request), request.body));
      return reply.code(201).send(item);
    },
  );

  app.get(
    '/api/items',
    {
      schema: {
        tags,
        summary:
          'Items filtered by type, class, parent and text (name, human id, barcode), sorted, cursor-paged',
        querystring: ListItemsQuerySchema,
        response: { 200: ItemsPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      listItems(db, actorOf(request), { ...request.query, limit: request.query.limit ?? 50 }),
  );

  app.post(
    '/api/items/move',
    {
      schema: {
        tags,
        summary: 'Move many physicals at once, in order, all or nothing (a failure names the move index)',
        body: BulkMoveSchema,
        response: { 200: Type.Object({ items: Type.Array(ItemSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: await inTransaction(db, (trx) =>
        hierarchy.moveItems(trx, actorOf(request), request.body, placedInSlot),
      ),
    }),
  );

  app.get(
    '/api/items/:id',
    {
      schema: {
        tags,
        summary: 'One item (deleted ones with includeDeleted=true)',
        params: IdParams,
        querystring: Type.Object(
          { includeDeleted: Type.Optional(Type.Boolean({ default: false })) },
          { additionalProperties: false },
        ),
        response: { 200: ItemSchema, ...problemResponses },
      },
    },
    async (request) => getItem(db, actorOf(request), request.params.id, request.query),
  );

  app.patch(
    '/api/items/:id',
    {
      schema: {
        tags,
        summary:
          'Change an item: name, description, fields (merged; null removes), hidden, virtualId, barcode',
        params: IdParams,
        body: UpdateItemSchema,
        response: { 200: ItemSchema, ...problemResponses },
      },
    },
    async (request) =>
      inTransaction(db, (trx) => updateItem(trx, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/items/:id',
    {
      schema: {
        tags,
        summary:
          'Soft-delete an item (its creator, staff, admins); refused for non-empty containers and used virtuals',
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await inTransaction(db, (trx) => deleteItem(trx, actorOf(request), request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/items/:id/restore',
    {
      schema: {
        tags,
        summary: 'Restore a soft-deleted item to its old place (its creator, staff, admins)',
        params: IdParams,
        response: { 200: ItemSchema, ...problemResponses },
      },
    },
    async (request) => inTransaction(db, (trx) => restoreItem(trx, actorOf(request), request.params.id)),
  );

  app.post(
    '/api/items/:id/move',
    {
      schema: {
        tags,
        summary:
          'Move a physical (and what it holds) into another physical, optionally a grid slot; null: top level',
        params: IdParams,
        body: MoveItemSchema,
        response: { 200: ItemSchema, ...problemResponses },
      },
    },
    async (request) =>
      inTransaction(db, (trx) =>
        hierarchy.moveItem(trx, actorOf(request), request.params.id, request.body, placedInSlot),
      ),
  );

  app.get(
    '/api/items/:id/path',
    {
      schema: {
        tags,
        summary: "A physical's location: root → … → parent → the item, with slots",
        params: IdParams,
        response: { 200: Type.Array(PathEntrySchema), ...problemResponses },
      },
    },
    async (request) => hierarchy.getPath(db, actorOf(request), request.params.id),
  );

  app.get(
    '/api/items/:id/children',
    {
      schema: {
        tags,
        summary: 'What a physical holds directly; for grid containers also the slot occupancy and free slots',
        params: IdParams,
        querystring: ChildrenQuerySchema,
        response: { 200: ChildrenSchema, ...problemResponses },
      },
    },
    async (request) =>
      hierarchy.listChildren(db, actorOf(request), request.params.id, {
        ...request.query,
        limit: request.query.limit ?? 500,
      }),
  );

  app.get(
    '/api/items/:id/descendants',
    {
      schema: {
        tags,
        summary:
          'Everything inside a physical in tree order (containers before their contents), with depth; cursor-paged',
        params: IdParams,
        querystring: DescendantsQuerySchema,
        response: { 200: DescendantsPageSchema, ...problemResponses },
      },
    },
    async (request) =>
      hierarchy.listDescendants(db, actorOf(request), request.params.id, {
        ...request.query,
        limit: request.query.limit ?? 100,
      }),
  );

  app.get(
    '/api/barcodes/:code',
    {
      schema: {
        tags,
        summary: 'Resolve a scanned code (barcode, human id or item id) to its item',
        params: CodeParams,
        response: { 200: ItemSchema, ...problemResponses },
      },
    },
    async (request) => resolveCode(db, actorOf(request), request.params.code),
  );
}
