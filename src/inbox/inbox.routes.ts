// HTTP for the request inbox: the public receiver route and the organization's API to read it.
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import * as service from './inbox.service.js';
import { noNul, NUL } from '../http/text-rules.js';

const id = z.string().min(1).max(100).refine(noNul, NUL);
const tokenParams = z.object({
  token: z.string().min(1).max(200).refine(noNul, NUL),
});
const inboxParams = z.object({ id });
const requestParams = z.object({ id, requestId: id });
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  // The id of the last request of the previous page; anything else is a 400, not a silently empty page.
  cursor: z
    .string()
    .regex(/^ireq_[0-9a-z]{26}$/, 'is not a cursor from a previous page')
    .optional(),
});
const createBody = z.object({
  name: z.string().trim().min(1).max(100).refine(noNul, NUL),
});

export function inboxRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['inbox'];

    // The receiver: public, any content type, the raw bytes kept for signature verification.
    await app.register(async (receiver) => {
      receiver.removeAllContentTypeParsers();
      receiver.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      receiver.withTypeProvider<ZodTypeProvider>().post(
        '/inbox/:token',
        {
          config: { public: true },
          schema: {
            tags,
            params: tokenParams,
            security: [],
            description:
              'Records what arrives (method, headers without cookies, body) with its Standard Webhooks ' +
              'verification status: valid | invalid | unsigned | no_matching_automation.',
          },
        },
        async (request) => {
          const body = request.body;
          await service.receive(ctx, request.params.token, {
            method: request.method,
            headers: request.headers,
            body: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
            clientAddress: request.ip,
          });
          return { received: true };
        },
      );
    });

    app.get('/inboxes', { schema: { tags } }, async (request) => {
      return { items: await service.listInboxes(ctx, authOf(request).orgId) };
    });
    app.post('/inboxes', { schema: { tags, body: createBody } }, async (request, reply) => {
      return reply.code(201).send(await service.addInbox(ctx, authOf(request).orgId, request.body.name));
    });
    app.get(
      '/inboxes/:id/requests',
      { schema: { tags, params: inboxParams, querystring: listQuery } },
      async (request) => {
        const { limit, cursor } = request.query;
        return service.listRequests(ctx, authOf(request).orgId, request.params.id, limit, cursor ?? null);
      },
    );
    app.delete('/inboxes/:id/requests', { schema: { tags, params: inboxParams } }, async (request, reply) => {
      await service.clearRequests(ctx, authOf(request).orgId, request.params.id);
      return reply.code(204).send();
    });
    app.delete(
      '/inboxes/:id/requests/:requestId',
      { schema: { tags, params: requestParams } },
      async (request, reply) => {
        const { id: inboxId, requestId } = request.params;
        await service.deleteRequest(ctx, authOf(request).orgId, inboxId, requestId);
        return reply.code(204).send();
      },
    );
  };
}
