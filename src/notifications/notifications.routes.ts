// HTTP for failure notifications and the dev mailbox (API.md → Automations, notifications).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { noStore } from '../http/cache.js';
import { LANGUAGES, languageSchema, requestLanguage } from '../http/language.js';
import { idParams as params, isoTime, pageOf, pageQuery } from '../http/schemas.js';
import * as service from './notifications.service.js';

const settingsBody = z.object({
  enabled: z.boolean(),
  // Addresses are checked one by one in the service, so a 400 names the one at fault.
  recipients: z.array(z.string().max(320)).max(100),
  language: languageSchema.optional(),
});
const settingsSchema = z
  .object({
    enabled: z.boolean(),
    recipients: z.array(z.string()),
    language: z.enum(LANGUAGES).describe('the language of the mail (the member who saved the settings)'),
  })
  .meta({
    id: 'NotificationSettings',
    description: 'Who gets failure mail for the automation, and in which language.',
  });
const devMailSchema = z
  .object({
    id: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    createdAt: isoTime,
  })
  .meta({ id: 'DevMail' });

export function notificationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['notifications'];
    app.get(
      '/automations/:id/notifications',
      {
        schema: {
          operationId: 'getNotificationSettings',
          summary: "An automation's failure notification settings",
          tags,
          params,
          response: { 200: settingsSchema },
        },
      },
      async (request) => service.getNotificationSettings(ctx, authOf(request).orgId, request.params.id),
    );
    app.put(
      '/automations/:id/notifications',
      {
        schema: {
          operationId: 'putNotificationSettings',
          summary: "Set an automation's failure notification settings",
          tags,
          params,
          body: settingsBody,
          response: { 200: settingsSchema },
        },
      },
      async (request) =>
        service.saveNotificationSettings(ctx, authOf(request).orgId, request.params.id, {
          enabled: request.body.enabled,
          recipients: request.body.recipients,
          language: requestLanguage(request.body.language, request.headers['accept-language']),
        }),
    );
    // Mail that would have gone out over SMTP when none is configured (SVARBUD_SMTP_URL unset).
    app.get(
      '/dev/mailbox',
      {
        schema: {
          operationId: 'listDevMailbox',
          summary: 'Mail kept instead of sent while no SMTP server is configured, newest first',
          tags,
          querystring: pageQuery,
          response: { 200: pageOf(devMailSchema) },
        },
      },
      // Mail may carry links with tokens in them (invitations).
      async (request, reply) =>
        noStore(reply).send(
          await service.listDevMailbox(ctx, authOf(request).orgId, {
            limit: request.query.limit,
            cursor: request.query.cursor,
          }),
        ),
    );
  };
}
