// HTTP for teams: members, invitations and accepting one (API.md → Accounts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { authOf } from '../http/auth.js';
import { noStore } from '../http/cache.js';
import { requestLanguage } from '../http/language.js';
import { idParams, listOf, noContent } from '../http/schemas.js';
import { setSessionCookie } from './accounts.routes.js';
import { signedIn } from './accounts.schemas.js';
import * as schemas from './teams.schemas.js';
import * as service from './teams.service.js';

export function teamsRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['accounts'];
    app.get(
      '/members',
      {
        schema: {
          operationId: 'listMembers',
          summary: "List the organization's members",
          tags,
          response: { 200: listOf(schemas.member) },
        },
      },
      async (request) => ({ items: await service.listMembers(ctx, authOf(request).orgId) }),
    );

    app.delete(
      '/members/:id',
      {
        schema: {
          operationId: 'removeMember',
          summary: 'Remove a member (its sessions end at once); never the last one',
          tags,
          params: idParams,
          response: { 204: noContent },
          'x-errors': ['LAST_MEMBER'],
        },
      },
      async (request, reply) => {
        await service.removeMember(ctx, authOf(request).orgId, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/invitations',
      {
        schema: {
          operationId: 'createInvitation',
          summary: 'Invite someone by e-mail: a single-use link, valid 7 days, goes out through the outbox',
          tags,
          body: schemas.invitationBody,
          response: { 201: schemas.invitation },
          'x-errors': ['ALREADY_MEMBER', 'EMAIL_TAKEN', 'RATE_LIMITED'],
        },
      },
      async (request, reply) => {
        const auth = authOf(request);
        const created = await service.invite(ctx, auth, {
          email: request.body.email,
          language: requestLanguage(request.body.language, request.headers['accept-language']),
        });
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/invitations',
      {
        schema: {
          operationId: 'listInvitations',
          summary: 'List the pending invitations (not accepted, not expired), newest first',
          tags,
          response: { 200: listOf(schemas.invitation) },
        },
      },
      async (request) => ({ items: await service.listInvitations(ctx, authOf(request).orgId) }),
    );

    app.delete(
      '/invitations/:id',
      {
        schema: {
          operationId: 'deleteInvitation',
          summary: 'Withdraw a pending invitation (its link stops working)',
          tags,
          params: idParams,
          response: { 204: noContent },
        },
      },
      async (request, reply) => {
        await service.revokeInvitation(ctx, authOf(request).orgId, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/auth/accept-invitation',
      {
        config: { public: true },
        schema: {
          operationId: 'acceptInvitation',
          summary: 'Accept an invitation: join the inviting organization as a new member, and sign in',
          tags,
          security: [],
          body: schemas.acceptInvitationBody,
          response: { 201: signedIn },
          'x-errors': ['NOT_FOUND', 'EMAIL_TAKEN', 'RATE_LIMITED'],
        },
      },
      async (request, reply) => {
        const signed = await service.acceptInvitation(ctx, request.body, request.ip);
        setSessionCookie(ctx, request, reply, signed.sessionToken);
        return noStore(reply).code(201).send({ user: signed.user, organization: signed.organization });
      },
    );
  };
}
