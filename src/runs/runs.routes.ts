// HTTP for the runs log: list with filters and counts, details, replay (API.md → Runs).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';

export function runsRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {};
}
