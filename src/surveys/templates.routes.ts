// HTTP for templates (API.md → Surveys): share a survey as a template, list, create a survey from one.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { surveyTitle, toSurveyApi } from './surveys.service.js';
import * as service from './templates.service.js';
import { noNul, NUL } from '../http/text-rules.js';

/** PostgreSQL text cannot hold U+0000; such input is a 400 naming the field, never a 500. */

const tags = ['templates'];
const idParams = z.object({ id: z.string().min(1).max(100).refine(noNul, NUL) });
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(400).optional(),
});

export function templatesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/surveys/:id/share-as-template',
      {
        schema: {
          tags,
          params: idParams,
          body: z.object({ name: z.string().trim().min(1).max(200).refine(noNul, NUL).optional() }).nullish(),
        },
      },
      async (request, reply) => {
        const { orgId } = authOf(request);
        return reply
          .code(201)
          .send(await service.shareAsTemplate(ctx, orgId, request.params.id, request.body?.name));
      },
    );

    app.get('/templates', { schema: { tags, querystring: listQuery } }, async (request) => {
      const { limit, cursor } = request.query;
      return service.listTemplates(ctx, authOf(request).orgId, limit, cursor);
    });

    app.post(
      '/templates/:id/surveys',
      { schema: { tags, params: idParams, body: z.object({ title: surveyTitle.optional() }).nullish() } },
      async (request, reply) => {
        const { orgId } = authOf(request);
        const survey = await service.createSurveyFromTemplate(
          ctx,
          orgId,
          request.params.id,
          request.body?.title,
        );
        return reply.code(201).send(toSurveyApi(survey));
      },
    );

    app.delete('/templates/:id', { schema: { tags, params: idParams } }, async (request, reply) => {
      await service.deleteTemplate(ctx, authOf(request).orgId, request.params.id);
      return reply.code(204).send();
    });
  };
}
