// HTTP for the respondent page: public (no sign-in), rate-limited per client address.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import * as service from './public.service.js';
import { responseSubmissionSchema } from './response-validation.js';
import { noNul, NUL } from '../http/text-rules.js';

/** PostgreSQL text cannot hold U+0000; such input is a 400 naming the field, never a 500. */

const tokenParams = z.object({ token: z.string().min(1).max(200).refine(noNul, NUL) });

export function publicRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/public/surveys/:token',
      { config: { public: true }, schema: { tags: ['respondent page'], params: tokenParams, security: [] } },
      async (request) => service.showPublicSurvey(ctx, request.params.token, request.ip),
    );

    app.post(
      '/public/surveys/:token/responses',
      {
        config: { public: true },
        schema: {
          tags: ['respondent page'],
          params: tokenParams,
          body: responseSubmissionSchema,
          security: [],
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
