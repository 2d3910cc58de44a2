// HTTP for surveys, questions, background variables, data labels and templates (API.md → Surveys).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { idParams, idSchema, listOf, noContent, pageOf } from '../http/schemas.js';
import {
  changeImpactSchema,
  labelledVariableSchema,
  surveySchema,
  surveySummarySchema,
  toSurveyApi,
} from './surveys.api.js';
import * as impact from './impact.service.js';
import * as inputs from './surveys.inputs.js';
import * as service from './surveys.service.js';
import { templatesRoutes } from './templates.routes.js';

const tags = ['surveys'];
const questionParams = idParams.extend({ qid: idSchema });
const backgroundParams = idParams.extend({ vid: idSchema });
const changeImpact = { 200: changeImpactSchema };
const survey = { 200: surveySchema };
const createdSurvey = { 201: surveySchema };
/** Edits of the definition retry on a concurrent edit; one that keeps losing answers 409. */
const edit = ['CONFLICT'] as const;

export function surveysRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/surveys',
      {
        schema: {
          operationId: 'createSurvey',
          summary: 'Create a survey (with background variables and questions, optionally)',
          tags,
          body: inputs.createSurveyBody,
          response: createdSurvey,
        },
      },
      async (request, reply) => {
        const created = await service.createSurvey(ctx, authOf(request).orgId, request.body);
        return reply.code(201).send(toSurveyApi(created));
      },
    );

    app.get(
      '/surveys',
      {
        schema: {
          operationId: 'listSurveys',
          summary: "List the organization's surveys, newest first, with their response counts",
          tags,
          querystring: inputs.listSurveysQuery,
          response: { 200: pageOf(surveySummarySchema) },
        },
      },
      async (request) => {
        const { limit, cursor } = request.query;
        return service.listSurveys(ctx, authOf(request).orgId, limit, cursor);
      },
    );

    app.get(
      '/surveys/:id',
      {
        schema: {
          operationId: 'getSurvey',
          summary: 'Get a survey',
          tags,
          params: idParams,
          response: survey,
        },
      },
      async (request) => toSurveyApi(await service.getSurvey(ctx, authOf(request).orgId, request.params.id)),
    );

    app.patch(
      '/surveys/:id',
      {
        schema: {
          operationId: 'renameSurvey',
          summary: 'Rename a survey',
          tags,
          params: idParams,
          body: inputs.renameSurveyBody,
          response: survey,
          'x-errors': edit,
        },
      },
      async (request) => {
        const { orgId } = authOf(request);
        return toSurveyApi(await service.renameSurvey(ctx, orgId, request.params.id, request.body.title));
      },
    );

    app.delete(
      '/surveys/:id',
      {
        schema: {
          operationId: 'deleteSurvey',
          summary: 'Delete a survey with its responses, automations and runs',
          tags,
          params: idParams,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        await service.deleteSurvey(ctx, authOf(request).orgId, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/surveys/:id/copy',
      {
        schema: {
          operationId: 'copySurvey',
          summary: 'Copy a survey (structure and data labels; no responses)',
          tags,
          params: idParams,
          body: inputs.copySurveyBody,
          response: createdSurvey,
        },
      },
      async (request, reply) => {
        const { orgId } = authOf(request);
        const copy = await service.copySurvey(ctx, orgId, request.params.id, request.body?.title);
        return reply.code(201).send(toSurveyApi(copy));
      },
    );

    app.post(
      '/surveys/:id/questions',
      {
        schema: {
          operationId: 'addQuestion',
          summary: 'Add a question (at the end, or at `position`)',
          tags,
          params: idParams,
          body: inputs.addQuestionBody,
          response: createdSurvey,
          'x-errors': edit,
        },
      },
      async (request, reply) => {
        const updated = await service.addQuestion(
          ctx,
          authOf(request).orgId,
          request.params.id,
          request.body,
        );
        return reply.code(201).send(toSurveyApi(updated));
      },
    );

    app.patch(
      '/surveys/:id/questions/:qid',
      {
        schema: {
          operationId: 'updateQuestion',
          summary: 'Change a question (any of its fields, its position)',
          tags,
          params: questionParams,
          body: inputs.questionPatch,
          response: survey,
          'x-errors': edit,
        },
      },
      async (request) => {
        const { id, qid } = request.params;
        return toSurveyApi(await service.updateQuestion(ctx, authOf(request).orgId, id, qid, request.body));
      },
    );

    app.delete(
      '/surveys/:id/questions/:qid',
      {
        schema: {
          operationId: 'deleteQuestion',
          summary: 'Delete a question',
          tags,
          params: questionParams,
          response: survey,
          'x-errors': edit,
        },
      },
      async (request) => {
        const { id, qid } = request.params;
        return toSurveyApi(await service.deleteQuestion(ctx, authOf(request).orgId, id, qid));
      },
    );

    app.get(
      '/surveys/:id/questions/:qid/impact',
      {
        schema: {
          operationId: 'getQuestionDeletionImpact',
          summary: 'Which automations deleting the question would change (lost variables, moved keys)',
          tags,
          params: questionParams,
          response: changeImpact,
        },
      },
      async (request) => {
        const { id, qid } = request.params;
        return impact.questionDeletionImpact(ctx, authOf(request).orgId, id, qid);
      },
    );

    app.post(
      '/surveys/:id/questions/:qid/copy',
      {
        schema: {
          operationId: 'copyQuestion',
          summary: 'Copy a question right after the original (auto labels)',
          tags,
          params: questionParams,
          response: createdSurvey,
          'x-errors': edit,
        },
      },
      async (request, reply) => {
        const { id, qid } = request.params;
        const copied = await service.copyQuestion(ctx, authOf(request).orgId, id, qid);
        return reply.code(201).send(toSurveyApi(copied.survey));
      },
    );

    app.post(
      '/surveys/:id/background-variables',
      {
        schema: {
          operationId: 'addBackgroundVariable',
          summary: 'Add a custom background variable',
          tags,
          params: idParams,
          body: inputs.backgroundVariableBody,
          response: createdSurvey,
          'x-errors': edit,
        },
      },
      async (request, reply) => {
        const { orgId } = authOf(request);
        const updated = await service.addBackgroundVariable(ctx, orgId, request.params.id, request.body.name);
        return reply.code(201).send(toSurveyApi(updated));
      },
    );

    app.delete(
      '/surveys/:id/background-variables/:vid',
      {
        schema: {
          operationId: 'deleteBackgroundVariable',
          summary: 'Delete a custom background variable (system ones cannot be deleted)',
          tags,
          params: backgroundParams,
          response: survey,
          'x-errors': edit,
        },
      },
      async (request) => {
        const { id, vid } = request.params;
        return toSurveyApi(await service.deleteBackgroundVariable(ctx, authOf(request).orgId, id, vid));
      },
    );

    app.get(
      '/surveys/:id/background-variables/:vid/impact',
      {
        schema: {
          operationId: 'getBackgroundVariableDeletionImpact',
          summary: 'Which automations deleting the background variable would change',
          tags,
          params: backgroundParams,
          response: changeImpact,
        },
      },
      async (request) => {
        const { id, vid } = request.params;
        return impact.backgroundVariableDeletionImpact(ctx, authOf(request).orgId, id, vid);
      },
    );

    app.get(
      '/surveys/:id/data-labels',
      {
        schema: {
          operationId: 'getDataLabels',
          summary: "The survey's variables with their auto, data and effective labels",
          tags,
          params: idParams,
          response: { 200: listOf(labelledVariableSchema) },
        },
      },
      async (request) => service.getDataLabels(ctx, authOf(request).orgId, request.params.id),
    );

    app.put(
      '/surveys/:id/data-labels',
      {
        schema: {
          operationId: 'putDataLabels',
          summary: 'Set data labels, all or nothing (422 lists every broken rule)',
          tags,
          params: idParams,
          body: inputs.dataLabelsBody,
          response: { 200: listOf(labelledVariableSchema) },
          'x-errors': ['DATA_LABELS_INVALID', ...edit],
        },
      },
      async (request) =>
        service.putDataLabels(ctx, authOf(request).orgId, request.params.id, request.body.labels),
    );

    await app.register(templatesRoutes(ctx));
  };
}
