// HTTP for the request inbox: the public receiver route and the organization's API to read it.
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { noStore } from '../http/cache.js';
import {
  idSchema,
  isoTime,
  listOf,
  noContent,
  pageOf,
  pageQuery,
  storedText,
  tokenSchema,
} from '../http/schemas.js';
import * as service from './inbox.service.js';

const tokenParams = z.object({ token: tokenSchema });
const inboxParams = z.object({ id: idSchema });
const requestParams = z.object({ id: idSchema, requestId: idSchema });
const createBody = z.object({ name: storedText(1, 100) });

const inboxSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string().describe('where to point an automation: public, unguessable'),
    createdAt: isoTime,
  })
  .meta({ id: 'Inbox' });
const inboxRequestSchema = z
  .object({
    id: z.string(),
    method: z.string(),
    headers: z.record(z.string(), z.string()).describe('lower-case names; cookies left out'),
    body: z.string(),
    bodyBytes: z.number().int(),
    bodyTruncated: z.boolean(),
    verification: z
      .enum(['valid', 'invalid', 'unsigned', 'no_matching_automation'])
      .describe("Standard Webhooks verification against the organization's automations pointing here"),
    automationId: z.string().nullable().describe('the automation whose secret verified it'),
    receivedAt: isoTime,
  })
  .meta({ id: 'InboxRequest' });

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
          compress: false,
          schema: {
            operationId: 'receiveAtInbox',
            summary: 'Record a request at an inbox (point an automation here)',
            tags,
            params: tokenParams,
            security: [],
            description:
              'Records what arrives (method, headers without cookies, body) with its Standard Webhooks ' +
              'verification status: valid | invalid | unsigned | no_matching_automation.',
            response: { 200: z.object({ received: z.literal(true) }).describe('Recorded.') },
            'x-errors': ['PAYLOAD_TOO_LARGE', 'RATE_LIMITED'],
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
          return { received: true as const };
        },
      );
    });

    app.get(
      '/inboxes',
      {
        schema: {
          operationId: 'listInboxes',
          summary: "List the organization's inboxes (the default one is created on first use)",
          tags,
          response: { 200: listOf(inboxSchema) },
        },
      },
      // Inbox URLs are capabilities: whoever has one can post to it.
      async (request, reply) =>
        noStore(reply).send({ items: await service.listInboxes(ctx, authOf(request).orgId) }),
    );
    app.post(
      '/inboxes',
      {
        schema: {
          operationId: 'createInbox',
          summary: 'Create another inbox',
          tags,
          body: createBody,
          response: { 201: inboxSchema },
        },
      },
      async (request, reply) =>
        noStore(reply)
          .code(201)
          .send(await service.addInbox(ctx, authOf(request).orgId, request.body.name)),
    );
    app.get(
      '/inboxes/:id/requests',
      {
        schema: {
          operationId: 'listInboxRequests',
          summary: 'The requests an inbox recorded, newest first',
          tags,
          params: inboxParams,
          querystring: pageQuery,
          response: { 200: pageOf(inboxRequestSchema) },
        },
      },
      async (request) => {
        const { limit, cursor } = request.query;
        return service.listRequests(ctx, authOf(request).orgId, request.params.id, limit, cursor);
      },
    );
    app.delete(
      '/inboxes/:id/requests',
      {
        schema: {
          operationId: 'clearInbox',
          summary: 'Delete every request an inbox recorded',
          tags,
          params: inboxParams,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        await service.clearRequests(ctx, authOf(request).orgId, request.params.id);
        return reply.code(204).send(null);
      },
    );
    app.delete(
      '/inboxes/:id/requests/:requestId',
      {
        schema: {
          operationId: 'deleteInboxRequest',
          summary: 'Delete one recorded request',
          tags,
          params: requestParams,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        const { id: inboxId, requestId } = request.params;
        await service.deleteRequest(ctx, authOf(request).orgId, inboxId, requestId);
        return reply.code(204).send(null);
      },
    );
  };
}
