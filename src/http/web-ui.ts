// Serves the web UI (the Vite build in web/dist) on the same port as the API.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

export async function registerWebUi(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
