// HTTP for automations (API.md → Automations).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { noStore } from '../http/cache.js';
import { idParams, listOf, noContent } from '../http/schemas.js';
import { USER_AGENT } from '../version.js';
import { createSender } from '../delivery/http-sender.js';
import { selfTargetsOf } from '../inbox/self-targets.js';
import * as schemas from './automations.schemas.js';
import * as service from './automations.service.js';

const tags = ['automations'];
const automation = { 200: schemas.automationSchema };
const testResult = { 200: schemas.testResultSchema };

export function automationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
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

    app.post(
      '/automations/test-connection',
      {
        schema: {
          operationId: 'testConnection',
          summary:
            'Send a signed sample message with settings not saved yet (signed with `secret` when given)',
          tags,
          body: schemas.testConnectionBody,
          response: testResult,
          'x-errors': ['RATE_LIMITED'],
        },
      },
      async (request, reply) =>
        noStore(reply).send(
          await service.testNewConnection(ctx, sender, authOf(request).orgId, request.body),
        ),
    );
    app.post(
      '/automations/:id/test',
      {
        schema: {
          operationId: 'testAutomation',
          summary:
            "Send a signed sample message with the automation's settings, and any unsaved ones over them",
          tags,
          params: idParams,
          body: schemas.testAutomationBody,
          response: testResult,
          'x-errors': ['RATE_LIMITED'],
        },
      },
      async (request, reply) => {
        const { orgId } = authOf(request);
        const result = await service.testSavedAutomation(
          ctx,
          sender,
          orgId,
          request.params.id,
          request.body ?? {},
        );
        return noStore(reply).send(result);
      },
    );
    app.post(
      '/automations',
      {
        schema: {
          operationId: 'createAutomation',
          summary: 'Create an automation (an outgoing webhook for a survey)',
          tags,
          body: schemas.createAutomationBody,
          response: { 201: schemas.automationSchema },
        },
      },
      async (request, reply) =>
        noStore(reply)
          .code(201)
          .send(await service.createAutomation(ctx, authOf(request).orgId, request.body)),
    );
    app.get(
      '/automations',
      {
        schema: {
          operationId: 'listAutomations',
          summary: "List the organization's automations (of one survey with `surveyId`)",
          tags,
          querystring: schemas.listAutomationsQuery,
          response: { 200: listOf(schemas.automationSchema) },
        },
      },
      async (request, reply) =>
        noStore(reply).send({
          items: await service.listAutomations(ctx, authOf(request).orgId, request.query.surveyId),
        }),
    );
    app.get(
      '/automations/:id',
      {
        schema: {
          operationId: 'getAutomation',
          summary: 'Get an automation',
          tags,
          params: idParams,
          response: automation,
        },
      },
      async (request, reply) =>
        noStore(reply).send(await service.getAutomation(ctx, authOf(request).orgId, request.params.id)),
    );
    app.patch(
      '/automations/:id',
      {
        schema: {
          operationId: 'updateAutomation',
          summary: 'Change an automation (`enabled: true` resumes its held runs)',
          tags,
          params: idParams,
          body: schemas.patchAutomationBody,
          response: automation,
        },
      },
      async (request, reply) =>
        noStore(reply).send(
          await service.updateAutomation(ctx, authOf(request).orgId, request.params.id, request.body),
        ),
    );
    app.delete(
      '/automations/:id',
      {
        schema: {
          operationId: 'deleteAutomation',
          summary: 'Delete an automation with its runs',
          tags,
          params: idParams,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        await service.deleteAutomation(ctx, authOf(request).orgId, request.params.id);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/automations/:id/schema',
      {
        schema: {
          operationId: 'getMessageSchema',
          summary: "The JSON Schema (2020-12) of the automation's messages now, and an example message",
          tags,
          params: idParams,
          response: { 200: schemas.messageSchemaAnswer },
        },
      },
      async (request, reply) =>
        noStore(reply).send(await service.getMessageSchema(ctx, authOf(request).orgId, request.params.id)),
    );
    app.post(
      '/automations/:id/rotate-secret',
      {
        schema: {
          operationId: 'rotateSecret',
          summary: 'Give an automation a new signing secret (earlier ones keep signing for 24 h)',
          tags,
          params: idParams,
          response: automation,
        },
      },
      async (request, reply) =>
        noStore(reply).send(await service.rotateSecret(ctx, authOf(request).orgId, request.params.id)),
    );
  };
}
