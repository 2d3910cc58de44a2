// HTTP for surveys, questions, background variables, data labels and templates (API.md → Surveys).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';

export function surveysRoutes(_ctx: AppContext): FastifyPluginAsyncZod {
  return async () => {};
}
