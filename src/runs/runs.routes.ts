// HTTP for the runs log: list with filters and counts, details, replay (API.md → Runs).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { RUN_ORIGINS, RUN_STATUSES } from './runs.store.js';
import * as service from './runs.service.js';
import * as sending from './send-existing.js';
import { SEARCH_MAX_LENGTH } from './search-text.js';
import { idParams as params, idSchema as id, isoTime, pageQuery } from '../http/schemas.js';
import { attemptErrorSchema, runStatusCountsSchema } from '../automations/automations.schemas.js';

const tags = ['runs'];

/** One or more of `values`: `?name=a&name=b` or `?name=a,b` (or an array in a JSON body). */
function repeatable<const T extends readonly string[]>(values: T) {
  return z.preprocess(
    (v) =>
      v === undefined
        ? undefined
        : (Array.isArray(v) ? v : [v])
            .flatMap((s) => (typeof s === 'string' ? s.split(',') : [s]))
            .map((s) => (typeof s === 'string' ? s.trim() : s))
            .filter((s) => s !== ''),
    z
      // The enum is for the document and the typed client; the refine below names the field on a 400.
      .array(z.string().meta({ enum: [...values] }))
      .max(20)
      .refine((list) => list.every((s) => (values as readonly string[]).includes(s)), {
        message: `must be one or more of ${values.join(', ')}`,
      })
      .transform((list) => list as unknown as T[number][])
      .optional(),
  );
}
const statuses = repeatable(RUN_STATUSES);
const origins = repeatable(RUN_ORIGINS);
const time = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time, e.g. 2026-01-15T12:00:00Z' });

const filterFields = {
  search: z.string().max(SEARCH_MAX_LENGTH).optional(),
  status: statuses,
  origin: origins,
  from: time.optional(),
  to: time.optional(),
};
const listQuery = pageQuery.extend(filterFields);
const dailyQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(14),
  timeZone: z.string().min(1).max(100).default('UTC'),
});
const replayBody = z.object({
  runIds: z.array(id).min(1).max(1000).optional(),
  // Strict: a misspelt filter field must not widen the replay to every run of the automation.
  filter: z.strictObject(filterFields).optional(),
});

const runStatus = z.enum(RUN_STATUSES);
const runSummarySchema = z
  .object({
    id: z.string(),
    automationId: z.string(),
    responseId: z.string(),
    name: z
      .string()
      .describe('"First Last" when known, else the e-mail, else ""; "Anonymous" on anonymous surveys'),
    email: z.string().nullable(),
    status: runStatus,
    statusChangedAt: isoTime,
    createdAt: isoTime,
    pushUrl: z.string().describe("the URL of the latest attempt, or the automation's URL before the first"),
    attempts: z.number().int(),
    nextAttemptAt: isoTime.nullable(),
    origin: z
      .enum(RUN_ORIGINS)
      .describe('`completion` of its response, a `backfill` (send existing responses) or a `manual` send'),
  })
  .meta({ id: 'RunSummary' });
const statusFlags = z.object({
  scheduled: z.boolean(),
  running: z.boolean(),
  succeeded: z.boolean(),
  failed: z.boolean(),
});
const runPageSchema = z
  .object({
    items: z.array(runSummarySchema),
    nextCursor: z.string().nullable(),
    counts: runStatusCountsSchema.describe('runs per status for the filter without its status part'),
    countsCapped: statusFlags.describe('true where the count is a lower bound (counting stopped)'),
  })
  .meta({ id: 'RunPage' });
const runSchema = runSummarySchema
  .extend({
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    message: z.string().describe('the exact body every attempt sends'),
    attemptLog: z.array(
      z.object({
        number: z.number().int(),
        trigger: z.enum(['auto', 'replay']),
        url: z.string(),
        startedAt: isoTime,
        durationMs: z.number().int(),
        statusCode: z.number().int().nullable(),
        error: attemptErrorSchema.nullable(),
        responseBody: z.string().nullable(),
        requestHeaders: z
          .array(z.object({ name: z.string(), value: z.string() }))
          .nullable()
          .describe(
            'the headers sent, names lower-cased, in order; `webhook-signature` shortened (`v1,abcd…wxyz`) and ' +
              'values of headers that may hold a credential (Authorization, names with key, token, secret, ' +
              'auth…) masked as `••••••`; null for attempts recorded before headers were kept',
          ),
      }),
    ),
  })
  .meta({ id: 'Run' });
const dailySchema = z
  .object({
    timeZone: z.string(),
    days: z.array(
      z.object({
        date: z.string().describe('YYYY-MM-DD in `timeZone`'),
        scheduled: z.number().int(),
        running: z.number().int(),
        succeeded: z.number().int(),
        failed: z.number().int(),
      }),
    ),
    lastRunAt: isoTime.nullable(),
  })
  .meta({ id: 'DailyRuns' });
const replayResultSchema = z
  .object({
    replayed: z.number().int(),
    skipped: z.array(z.object({ id: z.string(), reason: z.enum(['running', 'not_found']) })),
    automationEnabled: z.boolean(),
    message: z.string(),
  })
  .meta({ id: 'ReplayResult', description: 'The runs are scheduled to be sent again now.' });

const backfillBody = z
  .object({
    from: time.optional().describe('completion time of the responses, inclusive'),
    to: time.optional().describe('completion time of the responses, exclusive'),
    onlyMissing: z
      .boolean()
      .default(true)
      .describe('only responses this automation has no run for (default); false: every response'),
    dryRun: z.boolean().default(false).describe('only count: answers 200 `{wouldCreate}`, creates nothing'),
  })
  // No body at all: every response of the survey that has no run of this automation yet.
  .nullish();
const backfillCountSchema = z
  .object({ wouldCreate: z.number().int() })
  .meta({ id: 'BackfillCount', description: 'How many runs the backfill would create (`dryRun`).' });
const backfillResultSchema = z
  .object({
    created: z.number().int(),
    automationEnabled: z.boolean().describe('false: the runs are held until the automation is enabled'),
    message: z.string(),
  })
  .meta({
    id: 'BackfillResult',
    description: 'Every run is created (origin `backfill`) and due now when this answer comes.',
  });
const sendParams = z.object({ id, responseId: id });
const sendBody = z.object({ automationId: id.describe('an automation of this survey') });
const sentSchema = z
  .object({ run: runSummarySchema })
  .meta({ id: 'SentRun', description: 'The run created (origin `manual`), due now.' });

export function runsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/automations/:id/runs',
      {
        schema: {
          operationId: 'listRuns',
          summary: "List an automation's runs, newest first, with counts per status",
          tags,
          params,
          querystring: listQuery,
          response: { 200: runPageSchema },
          'x-errors': ['PERIOD_OUT_OF_RANGE'],
        },
      },
      async (request) => {
        return service.listRuns(ctx, authOf(request).orgId, request.params.id, request.query);
      },
    );
    app.get(
      '/automations/:id/runs/daily',
      {
        schema: {
          operationId: 'getDailyRuns',
          summary: "An automation's runs per local day and status",
          tags,
          params,
          querystring: dailyQuery,
          response: { 200: dailySchema },
        },
      },
      async (request) => {
        return service.dailyRuns(ctx, authOf(request).orgId, request.params.id, request.query);
      },
    );
    app.get(
      '/runs/:id',
      {
        schema: {
          operationId: 'getRun',
          summary: 'Get a run with its message and attempt log',
          tags,
          params,
          response: { 200: runSchema },
        },
      },
      async (request) => service.getRun(ctx, authOf(request).orgId, request.params.id),
    );
    app.post(
      '/automations/:id/runs/replay',
      {
        schema: {
          operationId: 'replayRuns',
          summary: 'Send runs again: the listed ones, or every run matching a filter',
          tags,
          params,
          body: replayBody,
          response: { 202: replayResultSchema },
          'x-errors': ['PERIOD_OUT_OF_RANGE'],
        },
      },
      async (request, reply) => {
        const result = await service.replayRuns(ctx, authOf(request).orgId, request.params.id, request.body);
        return reply.code(202).send(result);
      },
    );
    app.post(
      '/automations/:id/backfill',
      {
        schema: {
          operationId: 'backfillRuns',
          summary:
            "Send existing responses: create runs for the survey's responses completed in a period (count first with `dryRun`)",
          tags,
          params,
          body: backfillBody,
          response: { 200: backfillCountSchema, 202: backfillResultSchema },
          'x-errors': ['BACKFILL_TOO_LARGE'],
        },
      },
      async (request, reply) => {
        const result = await sending.backfill(
          ctx,
          authOf(request).orgId,
          request.params.id,
          request.body ?? {},
        );
        if (result.dryRun) return reply.code(200).send({ wouldCreate: result.wouldCreate });
        const { dryRun: _dryRun, ...created } = result;
        return reply.code(202).send(created);
      },
    );
    app.post(
      '/surveys/:id/responses/:responseId/send',
      {
        schema: {
          operationId: 'sendResponse',
          summary: 'Send one response to an automation of its survey (creates a run, origin `manual`)',
          tags,
          params: sendParams,
          body: sendBody,
          response: { 201: sentSchema },
        },
      },
      async (request, reply) => {
        const { id: surveyId, responseId } = request.params;
        const result = await sending.sendResponse(
          ctx,
          authOf(request).orgId,
          surveyId,
          responseId,
          request.body.automationId,
        );
        return reply.code(201).send(result);
      },
    );
  };
}
