// HTTP for the respondent page: public (no sign-in), rate-limited per client address.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { tokenSchema } from '../http/schemas.js';
import * as service from './public.service.js';
import { responseSubmissionSchema } from './response-validation.js';
import { respondentSurveySchema } from './responses.schemas.js';

const tags = ['respondent page'];
const tokenParams = z.object({ token: tokenSchema });

export function publicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/public/surveys/:token',
      {
        config: { public: true },
        schema: {
          operationId: 'getRespondentSurvey',
          summary: 'The survey as its respondent page shows it',
          tags,
          params: tokenParams,
          security: [],
          response: { 200: respondentSurveySchema },
          'x-errors': ['RATE_LIMITED'],
        },
      },
      async (request) => service.showPublicSurvey(ctx, request.params.token, request.ip),
    );

    app.post(
      '/public/surveys/:token/responses',
      {
        config: { public: true },
        compress: false,
        schema: {
          operationId: 'submitRespondentResponse',
          summary: 'Submit a response from the respondent page',
          tags,
          params: tokenParams,
          body: responseSubmissionSchema,
          security: [],
          response: { 201: z.object({ id: z.string() }).describe('Stored.') },
          'x-errors': ['RATE_LIMITED', 'RESPONSE_INVALID', 'ANONYMOUS_SURVEY'],
        },
      },
      async (request, reply) => {
        const created = await service.submitPublicResponse(
          ctx,
          request.params.token,
          request.body,
          request.ip,
        );
        return reply.code(201).send(created);
      },
    );
  };
}
