// GET /metrics (API.md → Operations). With SVARBUD_METRICS_TOKEN it needs `Authorization: Bearer
// <token>`; without, it answers loopback clients only and is a 404 to everyone else — including
// requests relayed by a reverse proxy on the same machine (they carry Forwarded / X-Forwarded-For).
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../http/errors.js';
import { createMetrics } from './metrics.js';

function sameSecret(a: string, b: string): boolean {
  // Hashes have the same length whatever was sent, so the comparison leaks nothing about the token.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

function isProxied(request: FastifyRequest): boolean {
  const h = request.headers;
  return h.forwarded !== undefined || h['x-forwarded-for'] !== undefined || h['x-real-ip'] !== undefined;
}

export function registerMetricsRoute(app: FastifyInstance, ctx: AppContext): void {
  const metrics = createMetrics(ctx.db, () => ctx.clock.now());
  const token = ctx.config.metricsToken;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (token) {
      const auth = request.headers.authorization ?? '';
      const sent = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : '';
      if (!sent || !sameSecret(sent, token)) {
        throw new AppError('UNAUTHENTICATED', 'Send Authorization: Bearer <SVARBUD_METRICS_TOKEN>.');
      }
    } else if (!isLoopback(request.ip) || isProxied(request)) {
      throw notFound(`No route GET /metrics.`);
    }
    const text = await metrics.render();
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(text);
  });
}
