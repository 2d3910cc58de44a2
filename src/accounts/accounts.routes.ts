// HTTP for accounts: sign-up, login, logout, /me and API keys (API.md → Accounts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { authOf, SESSION_COOKIE } from '../http/auth.js';
import { idParams, listOf, noContent } from '../http/schemas.js';
import { noStore } from '../http/cache.js';
import * as schemas from './accounts.schemas.js';
import * as service from './accounts.service.js';

/** Sets the session cookie (HttpOnly, SameSite=Lax, Secure behind https). */
export function setSessionCookie(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
) {
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
    const tags = ['accounts'];
    app.post(
      '/auth/signup',
      {
        config: { public: true },
        schema: {
          operationId: 'signUp',
          summary: 'Create an organization and its first member, and sign in',
          tags,
          security: [],
          body: schemas.signupBody,
          response: { 201: schemas.signedIn },
          'x-errors': ['SIGNUP_CLOSED', 'EMAIL_TAKEN'],
        },
      },
      async (request, reply) => {
        const signed = await service.signUp(ctx, request.body, request.ip);
        setSessionCookie(ctx, request, reply, signed.sessionToken);
        return reply.code(201).send({ user: signed.user, organization: signed.organization });
      },
    );

    app.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          operationId: 'logIn',
          summary: 'Sign in with e-mail and password (sets the session cookie)',
          tags,
          security: [],
          body: schemas.loginBody,
          response: { 200: schemas.signedIn },
          'x-errors': ['INVALID_CREDENTIALS', 'RATE_LIMITED'],
        },
      },
      async (request, reply) => {
        const signed = await service.logIn(ctx, request.body, request.ip);
        setSessionCookie(ctx, request, reply, signed.sessionToken);
        return reply.send({ user: signed.user, organization: signed.organization });
      },
    );

    // Public so that an expired session can still clear its cookie; a live session must send its
    // CSRF token, or any page could sign the user out.
    app.post(
      '/auth/logout',
      {
        config: { public: true, csrf: true },
        schema: {
          operationId: 'logOut',
          summary: 'Sign out: ends the session and clears its cookie',
          tags,
          security: [{ session: [], csrf: [] }, {}],
          response: { 204: noContent },
          'x-errors': ['CSRF_TOKEN_INVALID'],
        },
      },
      async (request, reply) => {
        if (request.auth?.sessionId) await service.logOut(ctx, request.auth.sessionId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/me',
      {
        schema: {
          operationId: 'getMe',
          summary: 'Who is calling, and the CSRF token for cookie requests',
          tags,
          response: { 200: schemas.me },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const who = await service.describeCaller(ctx, auth.orgId, auth.userId);
        // The UI limits the runs log's period filter to the retention window, and shows the dev mailbox
        // only while mail goes there.
        return noStore(reply).send({
          ...who,
          csrfToken: auth.csrfToken,
          runRetentionDays: ctx.config.runRetentionDays,
          devMailbox: ctx.config.smtpUrl === null,
        });
      },
    );

    app.post(
      '/api-keys',
      {
        schema: {
          operationId: 'createApiKey',
          summary: 'Create an API key (the key is shown only in this answer)',
          tags,
          body: schemas.apiKeyBody,
          response: { 201: schemas.createdApiKey },
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const created = await service.createApiKey(ctx, auth.orgId, auth.userId, request.body.name);
        return noStore(reply).code(201).send(created);
      },
    );

    app.get(
      '/api-keys',
      {
        schema: {
          operationId: 'listApiKeys',
          summary: "List the organization's API keys (without the keys)",
          tags,
          response: { 200: listOf(schemas.apiKey) },
        },
      },
      async (request) => ({ items: await service.listApiKeys(ctx, authOf(request).orgId) }),
    );

    app.delete(
      '/api-keys/:id',
      {
        schema: {
          operationId: 'deleteApiKey',
          summary: 'Delete an API key (it stops working at once)',
          tags,
          params: idParams,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        await service.deleteApiKey(ctx, authOf(request).orgId, request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
