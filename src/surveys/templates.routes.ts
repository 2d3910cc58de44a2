// HTTP for templates (API.md → Surveys): share a survey as a template, list, create a survey from one,
// rename, delete.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { idParams, isoTime, noContent, pageOf, pageQuery, storedText } from '../http/schemas.js';
import { surveySchema, toSurveyApi } from './surveys.api.js';
import { surveyTitle } from './surveys.inputs.js';
import * as service from './templates.service.js';

const tags = ['templates'];
const templateSchema = z
  .object({ id: z.string(), name: z.string(), sourceSurveyId: z.string().nullable(), createdAt: isoTime })
  .meta({ id: 'Template' });

export function templatesRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/surveys/:id/share-as-template',
      {
        schema: {
          operationId: 'shareSurveyAsTemplate',
          summary: 'Share a survey as a template of the organization',
          tags,
          params: idParams,
          body: z.object({ name: storedText(1, 200).optional() }).nullish(),
          response: { 201: templateSchema },
        },
      },
      async (request, reply) => {
        const { orgId } = authOf(request);
        return reply
          .code(201)
          .send(await service.shareAsTemplate(ctx, orgId, request.params.id, request.body?.name));
      },
    );

    app.get(
      '/templates',
      {
        schema: {
          operationId: 'listTemplates',
          summary: "List the organization's templates, newest first",
          tags,
          querystring: pageQuery,
          response: { 200: pageOf(templateSchema) },
        },
      },
      async (request) => {
        const { limit, cursor } = request.query;
        return service.listTemplates(ctx, authOf(request).orgId, limit, cursor);
      },
    );

    app.post(
      '/templates/:id/surveys',
      {
        schema: {
          operationId: 'createSurveyFromTemplate',
          summary: 'Create a survey from a template (data labels copied)',
          tags,
          params: idParams,
          body: z.object({ title: surveyTitle.optional() }).nullish(),
          response: { 201: surveySchema },
        },
      },
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

    app.patch(
      '/templates/:id',
      {
        schema: {
          operationId: 'renameTemplate',
          summary: 'Rename a template (surveys made from it keep their titles)',
          tags,
          params: idParams,
          body: z.object({ name: storedText(1, 200) }),
          response: { 200: templateSchema },
        },
      },
      async (request) =>
        service.renameTemplate(ctx, authOf(request).orgId, request.params.id, request.body.name),
    );

    app.delete(
      '/templates/:id',
      {
        schema: {
          operationId: 'deleteTemplate',
          summary: 'Delete a template (surveys made from it stay)',
          tags,
          params: idParams,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        await service.deleteTemplate(ctx, authOf(request).orgId, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
