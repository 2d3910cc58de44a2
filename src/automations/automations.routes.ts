// HTTP for automations (API.md → Automations).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { USER_AGENT } from '../version.js';
import { createSender } from '../delivery/http-sender.js';
import { selfTargetsOf } from '../inbox/self-targets.js';
import * as service from './automations.service.js';
import { noNul, NUL } from '../http/text-rules.js';

/** PostgreSQL text cannot hold U+0000; such input is a 400 naming the field, never a 500. */

const id = z.string().min(1).max(100).refine(noNul, NUL);
export const variableSelectionSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('all') }),
  z.object({ mode: z.literal('specific'), ids: z.array(id).max(2000) }),
]);
const labels = z.enum(['auto', 'data']);
const answerFormat = z.enum(['text', 'code']);
const headers = z.record(z.string().max(200), z.string().max(4000));
const name = z
  .string()
  .trim()
  .min(1, 'must be 1–100 characters')
  .max(100, 'must be 1–100 characters')
  .refine(noNul, NUL);
const url = z.string().trim().min(1).max(4000).refine(noNul, NUL);

const createBody = z.object({
  type: z.literal('outgoing_webhook'),
  surveyId: id,
  name,
  url,
  enabled: z.boolean().optional(),
  variables: variableSelectionSchema,
  labels,
  answerFormat: answerFormat.optional(),
  headers: headers.optional(),
});
const patchBody = z
  .object({
    name,
    url,
    enabled: z.boolean(),
    variables: variableSelectionSchema,
    labels,
    answerFormat,
    headers,
  })
  .partial();
const params = z.object({ id });
const listQuery = z.object({ surveyId: id.optional() });

const testBody = createBody.omit({ type: true, name: true, enabled: true });

export function automationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['automations'];
    // Connection tests go out exactly like deliveries: same guard, timeouts and classification.
    const sender = createSender({
      connectTimeoutMs: ctx.config.connectTimeoutMs,
      requestTimeoutMs: ctx.config.requestTimeoutMs,
      allowCidrs: ctx.config.allowCidrs,
      userAgent: USER_AGENT,
      // The wizard's Test connection works against this process's own inbox, as deliveries do.
      selfTargets: selfTargetsOf(ctx.config.publicUrl, app.server),
    });
    app.addHook('onClose', async () => sender.close());
    app.post('/automations/test-connection', { schema: { tags, body: testBody } }, async (request) => {
      return service.testNewConnection(ctx, sender, authOf(request).orgId, request.body);
    });
    app.post('/automations/:id/test', { schema: { tags, params } }, async (request) => {
      return service.testSavedAutomation(ctx, sender, authOf(request).orgId, request.params.id);
    });
    app.post('/automations', { schema: { tags, body: createBody } }, async (request, reply) => {
      return reply.code(201).send(await service.createAutomation(ctx, authOf(request).orgId, request.body));
    });
    app.get('/automations', { schema: { tags, querystring: listQuery } }, async (request) => {
      return { items: await service.listAutomations(ctx, authOf(request).orgId, request.query.surveyId) };
    });
    app.get('/automations/:id', { schema: { tags, params } }, async (request) => {
      return service.getAutomation(ctx, authOf(request).orgId, request.params.id);
    });
    app.patch('/automations/:id', { schema: { tags, params, body: patchBody } }, async (request) => {
      return service.updateAutomation(ctx, authOf(request).orgId, request.params.id, request.body);
    });
    app.delete('/automations/:id', { schema: { tags, params } }, async (request, reply) => {
      await service.deleteAutomation(ctx, authOf(request).orgId, request.params.id);
      return reply.code(204).send();
    });
    app.post('/automations/:id/rotate-secret', { schema: { tags, params } }, async (request) => {
      return service.rotateSecret(ctx, authOf(request).orgId, request.params.id);
    });
  };
}
