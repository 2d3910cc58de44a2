// HTTP for failure notifications and the dev mailbox (API.md → Automations, notifications).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';

export function notificationsRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {};
}
