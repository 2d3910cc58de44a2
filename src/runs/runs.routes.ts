// HTTP for the runs log: list with filters and counts, details, replay (API.md → Runs).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { RUN_STATUSES, type RunStatus } from './runs.store.js';
import * as service from './runs.service.js';
import { SEARCH_MAX_LENGTH } from './search-text.js';
import { noNul, NUL } from '../http/text-rules.js';

/** PostgreSQL text cannot hold U+0000; such input is a 400 naming the field, never a 500. */

const tags = ['runs'];
const id = z.string().min(1).max(100).refine(noNul, NUL);
const params = z.object({ id });

/** One or more statuses: `?status=a&status=b` or `?status=a,b` (or an array in a JSON body). */
const statuses = z.preprocess(
  (v) =>
    v === undefined
      ? undefined
      : (Array.isArray(v) ? v : [v])
          .flatMap((s) => (typeof s === 'string' ? s.split(',') : [s]))
          .map((s) => (typeof s === 'string' ? s.trim() : s))
          .filter((s) => s !== ''),
  z
    .array(z.string())
    .max(20)
    .refine((list) => list.every((s) => (RUN_STATUSES as readonly string[]).includes(s)), {
      message: `must be one or more of ${RUN_STATUSES.join(', ')}`,
    })
    .transform((list) => list as RunStatus[])
    .optional(),
);
const time = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time, e.g. 2026-01-15T12:00:00Z' });

const filterFields = {
  search: z.string().max(SEARCH_MAX_LENGTH).optional(),
  status: statuses,
  from: time.optional(),
  to: time.optional(),
};
const listQuery = z.object({
  ...filterFields,
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(400).optional(),
});
const dailyQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(14),
  timeZone: z.string().min(1).max(100).default('UTC'),
});
const replayBody = z.object({
  runIds: z.array(id).min(1).max(1000).optional(),
  // Strict: a misspelt filter field must not widen the replay to every run of the automation.
  filter: z.strictObject(filterFields).optional(),
});

export function runsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/automations/:id/runs',
      { schema: { tags, params, querystring: listQuery } },
      async (request) => {
        return service.listRuns(ctx, authOf(request).orgId, request.params.id, request.query);
      },
    );
    app.get(
      '/automations/:id/runs/daily',
      { schema: { tags, params, querystring: dailyQuery } },
      async (request) => {
        return service.dailyRuns(ctx, authOf(request).orgId, request.params.id, request.query);
      },
    );
    app.get('/runs/:id', { schema: { tags, params } }, async (request) => {
      return service.getRun(ctx, authOf(request).orgId, request.params.id);
    });
    app.post(
      '/automations/:id/runs/replay',
      { schema: { tags, params, body: replayBody } },
      async (request, reply) => {
        const result = await service.replayRuns(ctx, authOf(request).orgId, request.params.id, request.body);
        return reply.code(202).send(result);
      },
    );
  };
}
