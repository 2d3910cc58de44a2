// HTTP for surveys, questions, background variables, data labels and templates (API.md → Surveys).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import * as service from './surveys.service.js';
import { templatesRoutes } from './templates.routes.js';
import { noNul, NUL } from '../http/text-rules.js';

/** PostgreSQL text cannot hold U+0000; such input is a 400 naming the field, never a 500. */

const tags = ['surveys'];
const surveyParams = z.object({ id: z.string().min(1).max(100).refine(noNul, NUL) });
const questionParams = surveyParams.extend({ qid: z.string().min(1).max(100).refine(noNul, NUL) });

const createBody = z.object({
  title: service.surveyTitle,
  anonymous: z.boolean().optional(),
  backgroundVariables: z
    .array(z.object({ name: service.backgroundVariableName }))
    .max(service.MAX_CUSTOM_BACKGROUND_VARIABLES)
    .optional(),
  questions: z.array(service.questionInput).max(service.MAX_QUESTIONS).optional(),
});
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(400).optional(),
});
const addQuestionBody = z.intersection(
  service.questionInput,
  z.object({ position: z.number().int().min(1).optional() }),
);

export function surveysRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/surveys', { schema: { tags, body: createBody } }, async (request, reply) => {
      const survey = await service.createSurvey(ctx, authOf(request).orgId, request.body);
      return reply.code(201).send(service.toSurveyApi(survey));
    });

    app.get('/surveys', { schema: { tags, querystring: listQuery } }, async (request) => {
      const { limit, cursor } = request.query;
      return service.listSurveys(ctx, authOf(request).orgId, limit, cursor);
    });

    app.get('/surveys/:id', { schema: { tags, params: surveyParams } }, async (request) => {
      return service.toSurveyApi(await service.getSurvey(ctx, authOf(request).orgId, request.params.id));
    });

    app.patch(
      '/surveys/:id',
      { schema: { tags, params: surveyParams, body: z.object({ title: service.surveyTitle }) } },
      async (request) => {
        const { orgId } = authOf(request);
        return service.toSurveyApi(
          await service.renameSurvey(ctx, orgId, request.params.id, request.body.title),
        );
      },
    );

    app.delete('/surveys/:id', { schema: { tags, params: surveyParams } }, async (request, reply) => {
      await service.deleteSurvey(ctx, authOf(request).orgId, request.params.id);
      return reply.code(204).send();
    });

    app.post(
      '/surveys/:id/copy',
      {
        schema: {
          tags,
          params: surveyParams,
          body: z.object({ title: service.surveyTitle.optional() }).nullish(),
        },
      },
      async (request, reply) => {
        const { orgId } = authOf(request);
        const survey = await service.copySurvey(ctx, orgId, request.params.id, request.body?.title);
        return reply.code(201).send(service.toSurveyApi(survey));
      },
    );

    app.post(
      '/surveys/:id/questions',
      { schema: { tags, params: surveyParams, body: addQuestionBody } },
      async (request, reply) => {
        const survey = await service.addQuestion(ctx, authOf(request).orgId, request.params.id, request.body);
        return reply.code(201).send(service.toSurveyApi(survey));
      },
    );

    app.patch(
      '/surveys/:id/questions/:qid',
      { schema: { tags, params: questionParams, body: service.questionPatch } },
      async (request) => {
        const { id, qid } = request.params;
        return service.toSurveyApi(
          await service.updateQuestion(ctx, authOf(request).orgId, id, qid, request.body),
        );
      },
    );

    app.delete(
      '/surveys/:id/questions/:qid',
      { schema: { tags, params: questionParams } },
      async (request) => {
        const { id, qid } = request.params;
        return service.toSurveyApi(await service.deleteQuestion(ctx, authOf(request).orgId, id, qid));
      },
    );

    app.post(
      '/surveys/:id/questions/:qid/copy',
      { schema: { tags, params: questionParams } },
      async (request, reply) => {
        const { id, qid } = request.params;
        const copied = await service.copyQuestion(ctx, authOf(request).orgId, id, qid);
        return reply.code(201).send(service.toSurveyApi(copied.survey));
      },
    );

    app.post(
      '/surveys/:id/background-variables',
      { schema: { tags, params: surveyParams, body: z.object({ name: service.backgroundVariableName }) } },
      async (request, reply) => {
        const { orgId } = authOf(request);
        const survey = await service.addBackgroundVariable(ctx, orgId, request.params.id, request.body.name);
        return reply.code(201).send(service.toSurveyApi(survey));
      },
    );

    app.get('/surveys/:id/data-labels', { schema: { tags, params: surveyParams } }, async (request) => {
      return service.getDataLabels(ctx, authOf(request).orgId, request.params.id);
    });

    app.put(
      '/surveys/:id/data-labels',
      {
        schema: {
          tags,
          params: surveyParams,
          body: z.object({ labels: z.record(z.string(), z.string().nullable()) }),
        },
      },
      async (request) => {
        return service.putDataLabels(ctx, authOf(request).orgId, request.params.id, request.body.labels);
      },
    );

    await app.register(templatesRoutes(ctx));
  };
}
