// HTTP for responses: submit, list, CSV download (API.md → Responses), and the respondent page.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { publicRoutes } from './public.routes.js';
import { responseSubmissionSchema } from './response-validation.js';
import * as service from './responses.service.js';
import { noNul, NUL } from '../http/text-rules.js';

/** PostgreSQL text cannot hold U+0000; such input is a 400 naming the field, never a 500. */

const surveyParams = z.object({ id: z.string().min(1).max(100).refine(noNul, NUL) });
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(200).optional(),
});
const csvQuery = z.object({ labels: z.enum(['auto', 'data']).default('auto') });

export function responsesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/surveys/:id/responses',
      { schema: { tags: ['responses'], params: surveyParams, body: responseSubmissionSchema } },
      async (request, reply) => {
        const orgId = authOf(request).orgId;
        const created = await service.submitResponseToSurvey(ctx, orgId, request.params.id, request.body);
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/surveys/:id/responses',
      { schema: { tags: ['responses'], params: surveyParams, querystring: listQuery } },
      async (request) => service.listResponses(ctx, authOf(request).orgId, request.params.id, request.query),
    );

    app.get(
      '/surveys/:id/responses.csv',
      { schema: { tags: ['responses'], params: surveyParams, querystring: csvQuery } },
      async (request, reply) => {
        const orgId = authOf(request).orgId;
        const csv = await service.responsesCsv(ctx, orgId, request.params.id, request.query.labels);
        csv.stream.on('error', (err) => request.log.error({ err }, 'response download failed midway'));
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${csv.fileName}"`)
          .header('cache-control', 'no-store')
          .send(csv.stream);
      },
    );

    await app.register(publicRoutes(ctx));
  };
}
