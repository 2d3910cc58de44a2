// HTTP for accounts: sign-up, login, logout, /me and API keys (API.md → Accounts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { authOf, SESSION_COOKIE } from '../http/auth.js';
import * as service from './accounts.service.js';
import { noNul, NUL } from '../http/text-rules.js';

/** PostgreSQL text cannot hold U+0000; such input is a 400 naming the field, never a 500. */

const email = z.string().trim().email('must be a valid e-mail address').max(254);
const signupBody = z.object({
  email,
  password: z.string().min(10, 'must be at least 10 characters').max(200),
  name: z.string().trim().min(1).max(100).refine(noNul, NUL),
  organizationName: z.string().trim().min(1).max(100).refine(noNul, NUL),
});
const loginBody = z.object({
  email: z.string().trim().min(1).max(254).refine(noNul, NUL),
  password: z.string().min(1).max(200),
});
const apiKeyBody = z.object({ name: z.string().trim().min(1).max(100).refine(noNul, NUL) });
const idParams = z.object({ id: z.string().min(1).max(100).refine(noNul, NUL) });

function setSessionCookie(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https' || ctx.config.publicUrl.startsWith('https:'),
    maxAge: Math.floor(service.SESSION_TTL_MS / 1000),
  });
}

export function accountsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/signup',
      { config: { public: true }, schema: { tags: ['accounts'], body: signupBody } },
      async (request, reply) => {
        const signed = await service.signUp(ctx, request.body, request.ip);
        setSessionCookie(ctx, request, reply, signed.sessionToken);
        return reply.code(201).send({ user: signed.user, organization: signed.organization });
      },
    );

    app.post(
      '/auth/login',
      { config: { public: true }, schema: { tags: ['accounts'], body: loginBody } },
      async (request, reply) => {
        const signed = await service.logIn(ctx, request.body, request.ip);
        setSessionCookie(ctx, request, reply, signed.sessionToken);
        return { user: signed.user, organization: signed.organization };
      },
    );

    app.post(
      '/auth/logout',
      { config: { public: true }, schema: { tags: ['accounts'] } },
      async (request, reply) => {
        if (request.auth?.sessionId) await service.logOut(ctx, request.auth.sessionId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send();
      },
    );

    app.get('/me', { schema: { tags: ['accounts'] } }, async (request) => {
      const auth = authOf(request);
      const who = await service.describeCaller(ctx, auth.orgId, auth.userId);
      // The UI limits the runs log's period filter to the retention window.
      return { ...who, csrfToken: auth.csrfToken, runRetentionDays: ctx.config.runRetentionDays };
    });

    app.post('/api-keys', { schema: { tags: ['accounts'], body: apiKeyBody } }, async (request, reply) => {
      const auth = authOf(request);
      return reply
        .code(201)
        .send(await service.createApiKey(ctx, auth.orgId, auth.userId, request.body.name));
    });

    app.get('/api-keys', { schema: { tags: ['accounts'] } }, async (request) => {
      return { items: await service.listApiKeys(ctx, authOf(request).orgId) };
    });

    app.delete(
      '/api-keys/:id',
      { schema: { tags: ['accounts'], params: idParams } },
      async (request, reply) => {
        await service.deleteApiKey(ctx, authOf(request).orgId, request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
