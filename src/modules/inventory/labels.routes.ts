/** HTTP routes of labels: one item's label as SVG or PNG, and a printable PDF sheet of many. */
import { Type } from 'typebox';
import type { App, AppContext } from '../../http/app-context.js';
import { actorOf } from '../../http/authentication.js';
import { IdParams, problemResponses } from '../../http/common.schema.js';
import { getLabelContents } from './items.service.js';
import { renderLabelPng, renderLabelSheetPdf, renderLabelSvg } from './labels.js';

export function registerLabelRoutes(app: App, { database: { db } }: AppContext): void {
  const tags = ['inventory'];
  const binary = { 200: Type.Unknown({ description: 'the rendered label' }), ...problemResponses };

  app.get(
    '/api/items/:id/label.svg',
    {
      schema: {
        tags,
        summary: 'The item’s label as SVG: DataMatrix (barcode, else human id), human id and name',
        params: IdParams,
        produces: ['image/svg+xml'],
        response: binary,
      },
    },
    async (request, reply) => {
      const [label] = await getLabelContents(db, actorOf(request), [request.params.id]);
      return reply.type('image/svg+xml; charset=utf-8').send(renderLabelSvg(label!));
    },
  );

  app.get(
    '/api/items/:id/label.png',
    {
      schema: {
        tags,
        summary: 'The item’s label as PNG (default 300 dpi)',
        params: IdParams,
        querystring: Type.Object({ dpi: Type.Optional(Type.Integer({ minimum: 72, maximum: 1200 })) }),
        produces: ['image/png'],
        response: binary,
      },
    },
    async (request, reply) => {
      const [label] = await getLabelContents(db, actorOf(request), [request.params.id]);
      const png = await renderLabelPng(
        label!,
        request.query.dpi === undefined ? {} : { dpi: request.query.dpi },
      );
      return reply.type('image/png').send(png);
    },
  );

  app.post(
    '/api/labels',
    {
      schema: {
        tags,
        summary: 'A printable PDF sheet of labels (A4 3×8 by default) for the given items, in order',
        body: Type.Object(
          {
            itemIds: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
              minItems: 1,
              maxItems: 2000,
            }),
            pageSize: Type.Optional(Type.Union([Type.Literal('A4'), Type.Literal('LETTER')])),
          },
          { additionalProperties: false },
        ),
        produces: ['application/pdf'],
        response: binary,
      },
    },
    async (request, reply) => {
      const labels = await getLabelContents(db, actorOf(request), request.body.itemIds);
      const pdf = await renderLabelSheetPdf(
        labels,
        request.body.pageSize === undefined ? {} : { pageSize: request.body.pageSize },
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', 'inline; filename="labels.pdf"')
        .send(pdf);
    },
  );
}
