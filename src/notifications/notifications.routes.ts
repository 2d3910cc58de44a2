// HTTP for failure notifications and the dev mailbox (API.md → Automations, notifications).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import * as service from './notifications.service.js';
import { noNul, NUL } from '../http/text-rules.js';

/** PostgreSQL text cannot hold U+0000; such input is a 400 naming the field, never a 500. */
const params = z.object({
  id: z.string().min(1).max(100).refine(noNul, NUL),
});
const settingsBody = z.object({
  enabled: z.boolean(),
  // Addresses are checked one by one in the service, so a 400 names the one at fault.
  recipients: z.array(z.string().max(320)).max(100),
});
const mailboxQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  // The id of the last mail of the previous page.
  cursor: z
    .string()
    .regex(/^mail_[0-9a-z]{26}$/, 'is not a cursor from a previous page')
    .optional(),
});

export function notificationsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['notifications'];
    app.get('/automations/:id/notifications', { schema: { tags, params } }, async (request) => {
      return service.getNotificationSettings(ctx, authOf(request).orgId, request.params.id);
    });
    app.put(
      '/automations/:id/notifications',
      { schema: { tags, params, body: settingsBody } },
      async (request) => {
        return service.saveNotificationSettings(ctx, authOf(request).orgId, request.params.id, request.body);
      },
    );
    // Mail that would have gone out over SMTP when none is configured (SVARBUD_SMTP_URL unset).
    app.get('/dev/mailbox', { schema: { tags, querystring: mailboxQuery } }, async (request) => {
      return service.listDevMailbox(ctx, authOf(request).orgId, {
        limit: request.query.limit,
        cursor: request.query.cursor ?? null,
      });
    });
  };
}
