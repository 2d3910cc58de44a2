// Builds the Fastify app from the feature routes.
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as zlib } from 'node:zlib';
import helmet, { type HelmetOptions } from 'helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { accountsRoutes } from './accounts/accounts.routes.js';
import { teamsRoutes } from './accounts/teams.routes.js';
import { automationsRoutes } from './automations/automations.routes.js';
import { notificationsRoutes } from './notifications/notifications.routes.js';
import { inboxRoutes } from './inbox/inbox.routes.js';
import { runsRoutes } from './runs/runs.routes.js';
import { registerWebUi } from './http/web-ui.js';
import type { AppContext } from './context.js';
import { checkReadiness, type Health } from './health.js';
import { registerMetricsRoute } from './metrics/metrics-route.js';
import { registerAuth } from './http/auth.js';
import { registerErrorHandling } from './http/error-handler.js';
import { registerMethodNotAllowed } from './http/method-not-allowed.js';
import { UI_STYLE_HASHES } from './http/csp.js';
import { registerJsonParser } from './http/json-body.js';
import { registerOpenApi } from './http/openapi.js';
import { responsesRoutes } from './surveys/responses.routes.js';
import { surveysRoutes } from './surveys/surveys.routes.js';
import { VERSION } from './version.js';

/**
 * Closing (SIGTERM): requests in flight finish, and their connections close after their response
 * instead of staying open for keep-alive — otherwise a client that keeps its connection open holds
 * `app.close()` for the whole keep-alive timeout. Idle connections are closed as they become idle.
 */
function registerDraining(app: FastifyInstance): void {
  let draining: NodeJS.Timeout | null = null;
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining) void reply.header('connection', 'close');
    return payload;
  });
  app.addHook('preClose', (done) => {
    draining = setInterval(() => app.server.closeIdleConnections(), 50).unref();
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    if (draining) clearInterval(draining);
    done();
  });
}

/** helmet's settings for every answer: upgrade-insecure-requests and HSTS only when the public URL is https. */
export function securityHeaderOptions(https: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: https ? [] : null,
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", ...UI_STYLE_HASHES],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    strictTransportSecurity: https,
  };
}

type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The headers a middleware sets and removes, recorded once on a stand-in response, when it sets the same
 * ones whatever the request (helmet with fixed directives): the hot path then sets them itself instead of
 * running a dozen chained middlewares for every request. Null when the middleware did not finish at once
 * without reading the request (its headers may depend on it).
 */
function staticHeaders(
  middleware: NodeMiddleware,
): { set: [string, string | string[]][]; removed: string[] } | null {
  const set: [string, string | string[]][] = [];
  const removed: string[] = [];
  let finished = false;
  const request = new Proxy({} as IncomingMessage, {
    get: () => {
      throw new Error('reads the request');
    },
  });
  const response = {
    setHeader: (name: string, value: string | string[]) => set.push([name, value]),
    removeHeader: (name: string) => removed.push(name),
  } as unknown as ServerResponse;
  try {
    middleware(request, response, (err) => {
      finished = err === undefined;
    });
  } catch {
    return null;
  }
  return finished ? { set, removed } : null;
}

/** /healthz, /readyz (each part with its state; 503 when one is down or stuck) and /metrics. */
function registerOperationsRoutes(app: FastifyInstance, ctx: AppContext, health: Health | null): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', version: VERSION }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const readiness = await checkReadiness(ctx.db, health);
    return reply
      .code(readiness.status === 'ready' ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(readiness);
  });
  registerMetricsRoute(app, ctx);
}

/**
 * The HTTP side of a `worker` (SVARBUD_WORKER_PORT): the operations routes alone, so its readiness and
 * its own counters (attempts, durations, requests in flight) can be watched and scraped.
 */
export async function buildOperationsApp(ctx: AppContext, health: Health): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: ctx.log as FastifyBaseLogger, disableRequestLogging: true });
  registerErrorHandling(app);
  registerDraining(app);
  registerOperationsRoutes(app, ctx, health);
  await app.ready();
  return app;
}

export interface AppOptions {
  /** The background loops this process runs (their turns), for /readyz; none: the database only. */
  health?: Health | null;
}

export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: false,
    // Unknown fields in bodies are dropped by the zod schemas; ids in URLs may be long opaque strings.
    routerOptions: { maxParamLength: 200 },
    // Errors the router raises before any route runs, in the catalogue's shape too.
    frameworkErrors: (err, _request, reply: FastifyReply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      // An id longer than any id we issue cannot name anything: not found.
      const body = tooLong
        ? { error: { code: 'NOT_FOUND', message: 'Not found.', details: [] } }
        : {
            error: {
              code: 'VALIDATION_FAILED',
              message: 'The URL is not valid.',
              details: [{ field: 'url', message: 'is not a valid URL' }],
            },
          };
      void reply.code(tooLong ? 404 : 400).send(body);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Response schemas describe the answers (OpenAPI, typed client; a test checks real answers against
  // them) but do not re-encode them: zod's encoder would cost every answer, the hot path's included,
  // and strip whatever a schema forgot instead of letting the test catch it.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerJsonParser(app);
  registerErrorHandling(app);
  registerMethodNotAllowed(app);

  await app.register(cookie);
  // JSON answers of 1 KiB or more (lists, surveys, the CSV) go compressed when the client accepts it;
  // the UI's files were compressed once at start-up (web-ui.ts) and the response hot path opts out.
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    // Brotli's default quality (11) is for static files; per answer, 4 is as fast as gzip and smaller.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
    // Request bodies stay uncompressed: no decompression bombs under the body limit.
    globalDecompression: false,
  });
  // Security headers (helmet), its middleware built once: @fastify/helmet rebuilds it — parsing the CSP
  // directives — for every request.
  // Over plain http (a LAN name, HOST=0.0.0.0) upgrade-insecure-requests would send the browser to an
  // https that is not there: both it and HSTS only when the public URL is https.
  const https = ctx.config.publicUrl.startsWith('https:');
  const securityHeaders = helmet(securityHeaderOptions(https));
  const headers = staticHeaders(securityHeaders);
  app.addHook(
    'onRequest',
    headers
      ? (_request, reply, done) => {
          const raw = reply.raw;
          for (const [name, value] of headers.set) raw.setHeader(name, value);
          for (const name of headers.removed) raw.removeHeader(name);
          done();
        }
      : (request, reply, done) =>
          securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
  registerDraining(app);
  await registerOpenApi(app, VERSION);
  registerAuth(app, ctx);

  registerOperationsRoutes(app, ctx, options.health ?? null);

  await app.register(
    async (api) => {
      await api.register(accountsRoutes(ctx));
      await api.register(teamsRoutes(ctx));
      await api.register(surveysRoutes(ctx));
      await api.register(responsesRoutes(ctx));
      await api.register(automationsRoutes(ctx));
      await api.register(runsRoutes(ctx));
      await api.register(notificationsRoutes(ctx));
      await api.register(inboxRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );
  await registerWebUi(app, ctx);

  return app;
}
