// HTTP for responses: submit, list, CSV download (API.md → Responses).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';

export function responsesRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {};
}
