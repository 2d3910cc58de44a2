// HTTP for responses: submit, list, CSV download (API.md → Responses), and the respondent page.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { noStore } from '../http/cache.js';
import { idParams, idSchema, noContent, pageOf, pageQuery } from '../http/schemas.js';
import * as erasure from './erasure.service.js';
import { publicRoutes } from './public.routes.js';
import { responseSubmissionSchema } from './response-validation.js';
import { responseSchema, submittedResponseSchema } from './responses.schemas.js';
import * as service from './responses.service.js';

const tags = ['responses'];
const responseParams = z.object({ id: idSchema, responseId: idSchema });
const eraseBody = z.object({
  email: z.email('must be an e-mail address').max(254).describe('matched case-insensitively'),
});
const erasedSchema = z
  .object({
    responses: z.number().int().describe('responses erased'),
    runs: z.number().int().describe('runs erased with them (messages and attempt logs included)'),
  })
  .meta({ id: 'ErasureResult', description: 'What was erased.' });
const csvQuery = z.object({
  labels: z.enum(['auto', 'data']).default('auto').describe('column headers: auto labels or data labels'),
});

export function responsesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/surveys/:id/responses',
      {
        // The hot path: its answer is small, and no compression hook runs for it.
        compress: false,
        schema: {
          operationId: 'submitResponse',
          summary: 'Submit a completed response (starts a run per enabled automation)',
          tags,
          params: idParams,
          body: responseSubmissionSchema,
          response: { 201: submittedResponseSchema },
          'x-errors': ['RESPONSE_INVALID', 'ANONYMOUS_SURVEY'],
        },
      },
      async (request, reply) => {
        const orgId = authOf(request).orgId;
        const created = await service.submitResponseToSurvey(ctx, orgId, request.params.id, request.body);
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/surveys/:id/responses',
      {
        schema: {
          operationId: 'listResponses',
          summary: "List a survey's responses, newest first",
          tags,
          params: idParams,
          querystring: pageQuery,
          response: { 200: pageOf(responseSchema) },
        },
      },
      async (request) => service.listResponses(ctx, authOf(request).orgId, request.params.id, request.query),
    );

    app.get(
      '/surveys/:id/responses.csv',
      {
        schema: {
          operationId: 'downloadResponsesCsv',
          summary: "Download a survey's responses as CSV, oldest first",
          tags,
          params: idParams,
          querystring: csvQuery,
          response: {
            200: {
              description:
                'Header `ResponseId,CompletedAt,` then one column per variable label in survey order.',
              content: { 'text/csv': { schema: z.string() } },
            },
          },
        },
      },
      async (request, reply) => {
        const orgId = authOf(request).orgId;
        const csv = await service.responsesCsv(ctx, orgId, request.params.id, request.query.labels);
        csv.stream.on('error', (err) => request.log.error({ err }, 'response download failed midway'));
        return (
          noStore(reply)
            .header('content-type', 'text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${csv.fileName}"`)
            // The body is streamed; the schema describes the text it adds up to.
            .send(csv.stream as unknown as string)
        );
      },
    );

    app.delete(
      '/surveys/:id/responses/:responseId',
      {
        schema: {
          operationId: 'deleteResponse',
          summary: 'Delete a response with its runs, their messages and attempt logs',
          tags,
          params: responseParams,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        const { id, responseId } = request.params;
        await erasure.deleteResponse(ctx, authOf(request).orgId, id, responseId);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/responses/erase',
      {
        schema: {
          operationId: 'eraseRespondent',
          summary:
            'Erase every response of one respondent e-mail in the organization, with their runs (a data-subject request)',
          tags,
          body: eraseBody,
          response: { 200: erasedSchema },
        },
      },
      async (request, reply) =>
        noStore(reply).send(await erasure.eraseRespondent(ctx, authOf(request).orgId, request.body.email)),
    );

    await app.register(publicRoutes(ctx));
  };
}
